"""Indexes written in prose: `index on questions(user_id)`, `B-TREE na plans(trainer_id)`, ...

Seen forms: `table(cols)` and `table (cols)` in or out of code spans, `ON table USING GIN (col)`,
`table.col`, "na kolumnie `col` w tabeli x", `` `INDEX` na `(a, b)` `` under a table heading,
`` - `(owner_id, updated_at DESC)` - for ... `` in a per-table index list, `table: a, b (UNIQUE per user)`.
Primary keys and struck-out (`~~...~~`) entries are not indexes. Column lists drop `ASC`/`DESC`, operator
classes and `WHERE` clauses; expressions (`lower(email)`) are kept as written, lower case.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from stage_lsp.plan.db.lexicon import OPTIONAL, PRIMARY_KEY, STRUCK
from stage_lsp.plan.db.names import IDENT, normalise
from stage_lsp.plan.outline import Text

_INDEX_NAME = re.compile(
    rf"^(?:{IDENT}_)?(?:idx|index|ix|uq|uniq|key|gin|gist|trgm|fts)(?:_{IDENT})?$|_(?:idx|key|uq|gin)$", re.I
)
_ON_USING = re.compile(rf"\bon\s+`?(?P<table>(?:\"?{IDENT}\"?\.)?\"?{IDENT}\"?)`?\s+using\s+\w+\s*\(", re.I)
_DOT_COL = re.compile(rf"(?<![\w.])`?(?P<table>{IDENT})`?\.`?(?P<col>{IDENT})`?(?![\w(])")
_ON_COL = re.compile(
    rf"\b(?:on|na|po)\s+(?:(?:the\s+)?column|kolumn\w*|polu)?\s*`(?P<col>{IDENT})(?:\s+(?:asc|desc))?(?:\s+where\b[^`]*)?`",
    re.I,
)
_IN_TABLE = re.compile(
    rf"\b(?:w\s+tabeli|in\s+(?:the\s+)?table|on\s+table|tabeli)\s+`?(?P<table>{IDENT})`?", re.I
)
_LEADING_CODE = re.compile(r"^\s*(?:\(?(?:optional|opcjonalnie)\)?:?\s*)?`(?P<code>[^`]+)`")
_PER = re.compile(r"\(\s*unique\s+(?:per|dla|w obrębie|within)\s+(?P<owner>\w+)\s*\)", re.I)
_ORDER = re.compile(r"(?<!\s)\s+(asc|desc)(\s+nulls\s+(first|last))?\s*$", re.I)
_OPCLASS = re.compile(r"(?<!\s)\s+(?:public\.)?[a-z_0-9]+_ops\s*$", re.I)
_COLLATE = re.compile(r"(?<!\s)\s+collate\s+\S+\s*$", re.I)


@dataclass(frozen=True, slots=True)
class IndexHit:
    table: str
    columns: tuple[str, ...]
    line: int
    col: int
    end_col: int
    unique: bool = False
    optional: bool = False
    name: str | None = None
    method: str | None = None  # gin, gist, brin, spgist, hash: the word nearest before the index
    opclasses: tuple[str | None, ...] = ()


# An access method named on the line: `USING GIN`, `GIN index`, `indeks GIN`, `(GiST)`. `hash` only after
# `using` (it is a common word: "password hash").
_METHOD = re.compile(
    r"\busing\s+(?P<using>gin|gist|brin|spgist|hash|btree)\b|\b(?P<word>gin|gist|brin|spgist|b-?tree)\b", re.I
)


def _method_before(raw: str, start: int, floor: int) -> str | None:
    """The access method named between `floor` and `start` (the nearest), or None (btree, the default)."""
    found = None
    for m in _METHOD.finditer(raw, floor, start):
        found = (m.group("using") or m.group("word")).lower().replace("-", "")
    return None if found in (None, "btree") else found


def split_opclasses(inner: str) -> tuple[str | None, ...]:
    """The operator class written after each column of `split_columns` (`col gin_trgm_ops`), or ()."""
    inner = re.split(r"\bwhere\b", inner, maxsplit=1, flags=re.I)[0]
    out: list[str | None] = []
    depth = 0
    current = ""
    for ch in inner + ",":
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            item = _ORDER.sub("", current.replace("`", "").replace('"', "").strip())
            if item:
                m = _OPCLASS.search(item)
                out.append(m.group(0).strip().lower().removeprefix("public.") if m else None)
            current = ""
        else:
            current += ch
    return tuple(out) if any(out) else ()


def split_columns(inner: str) -> tuple[str, ...]:
    """`a, b DESC, lower(c)` -> ("a", "b", "lower(c)")."""
    inner = re.split(r"\bwhere\b", inner, maxsplit=1, flags=re.I)[0]
    parts: list[str] = []
    depth = 0
    current = ""
    for ch in inner:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    out: list[str] = []
    for part in parts:
        item = part.replace("`", "").replace('"', "").strip()
        item = _COLLATE.sub("", _OPCLASS.sub("", _ORDER.sub("", item))).strip()
        if not item:
            continue
        if re.fullmatch(IDENT, item):
            out.append(item.lower())
        elif "(" in item:
            out.append(re.sub(r"\s+", " ", item).lower())
        else:
            return ()
    return tuple(out)


def _balanced(text: str, open_at: int) -> tuple[str, int] | None:
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[open_at + 1 : i], i + 1
    return None


def _name(text: str) -> str | None:
    for m in re.finditer(r"`([^`]+)`|\*\*([^*]+)\*\*", text):
        word = (m.group(1) or m.group(2) or "").strip()
        if re.fullmatch(IDENT, word) and "_" in word and _INDEX_NAME.search(word):
            return word.lower()
    return None


def parse_index_line(
    text: Text,
    known: frozenset[str],
    context: str | None,
    columns_of: Mapping[str, frozenset[str]],
) -> list[IndexHit]:
    """Indexes a prose line defines; `context` is the table the surrounding heading or bullet names."""
    raw = STRUCK.sub(lambda m: " " * len(m.group(0)), text.text)
    if not raw.strip() or PRIMARY_KEY.search(raw):
        return []
    flat = raw.replace("`", " ").replace('"', " ")
    unique = bool(re.search(r"\bunique\b|\bunikaln\w*", raw, re.I))
    optional = bool(OPTIONAL.search(raw))
    name = _name(raw)
    found: list[IndexHit] = []
    taken: list[tuple[int, int]] = []

    def add(
        table: str, cols: tuple[str, ...], start: int, end: int, inner: str = "", opens: int = -1
    ) -> None:
        if not cols or table not in known:
            return
        if any(h.table == table and h.columns == cols for h in found):
            return
        floor = max((b for _, b in taken), default=0)
        method = _method_before(raw, max(opens, start), floor) or (
            _method_before(raw, len(raw), end) if not found else None  # `notes(tags) -- GIN`
        )
        ops = split_opclasses(inner) if inner else ()
        found.append(
            IndexHit(
                table,
                cols,
                text.line,
                text.at(start),
                text.at(end),
                unique,
                optional,
                name,
                method,
                ops if len(ops) == len(cols) else (),
            )
        )
        taken.append((start, end))

    in_table = _IN_TABLE.search(flat)
    line_table = (
        normalise(in_table.group("table"))
        if in_table and normalise(in_table.group("table")) in known
        else None
    )
    if line_table is None:
        for m in re.finditer(
            rf"(?P<q>[`*]+)(?P<t>{IDENT})[`*]+(?!\s*\(|\.)|(?<![\w.])(?P<u>{IDENT})\s*:", raw
        ):
            name = normalise(m.group("t") or m.group("u"))
            if name in known:
                line_table = name
                break
        if line_table is None:
            word = re.search(
                rf"\b(?:on|na|dla|for|tabeli|table|tabela)\s+(?P<t>{IDENT})\b(?!\s*\(|\.)", flat, re.I
            )
            if word and normalise(word.group("t")) in known:
                line_table = normalise(word.group("t"))
    last_table = line_table or context

    # ON table USING method (cols)
    for m in _ON_USING.finditer(flat):
        named = normalise(m.group("table"))
        inner = _balanced(flat, m.end() - 1)
        if inner and named in known:
            add(named, split_columns(inner[0]), m.start(), inner[1], inner[0], m.end() - 1)
            last_table = named
    # table(cols), table (cols)
    for m in re.finditer(
        rf"(?<![\w$])(?P<table>(?:{IDENT}\s*\.\s*)?{IDENT})\s*\(", flat
    ):  # from word starts only: linear
        named = normalise(m.group("table"))
        if named not in known or any(a <= m.start() < b for a, b in taken):
            continue
        inner = _balanced(flat, m.end() - 1)
        if inner:
            add(named, split_columns(inner[0]), m.start(), inner[1], inner[0])
            last_table = named
    # table.col
    for m in _DOT_COL.finditer(raw):
        named = normalise(m.group("table"))
        if named in known and not any(a <= m.start() < b for a, b in taken):
            add(named, (m.group("col").lower(),), m.start(), m.end())
            last_table = named
    if found and not re.search(r"\band\b|\boraz\b|\bi\b|,\s*`?\(", flat[max(b for _, b in taken) :], re.I):
        return found
    if last_table is None or last_table not in known:
        return found
    table = last_table
    # bare (cols) lists
    for m in re.finditer(r"\(", flat):
        if any(a <= m.start() < b for a, b in taken):
            continue
        before = flat[: m.start()].rstrip()
        if re.search(rf"(?:{IDENT})$", before) and not re.search(
            r"\b(on|na|index|indeks|btree|b-tree|gin|gist|unique|brin|hash)$", before, re.I
        ):
            continue  # a function call or a `name (note)`
        inner = _balanced(flat, m.start())
        if not inner:
            continue
        cols = split_columns(inner[0])
        if cols and all("(" in c or c in columns_of.get(table, frozenset({c})) for c in cols):
            add(table, cols, m.start(), inner[1], inner[0])
    if found:
        return found
    # on `col`, na `col`
    for m in _ON_COL.finditer(raw):
        col = m.group("col").lower()
        if col in known and col != table:
            continue
        add(table, (col,), m.start("col"), m.end("col"))
    if found:
        return found
    # table: a, b (UNIQUE per user), c
    label = re.match(rf"^\s*(?:\*\*|`)?(?P<t>{IDENT})(?:\*\*|`)?\s*:\s*(?P<rest>.+)$", raw)
    if label and normalise(label.group("t")) == table:
        cols_known = columns_of.get(table, frozenset())
        for part in re.split(r",(?![^(]*\))", label.group("rest")):
            item = part.strip()
            per = _PER.search(item)
            word = re.match(rf"`?(?P<c>{IDENT})`?", item)
            if not word:
                continue
            col = word.group("c").lower()
            if cols_known and col not in cols_known:
                continue
            start = raw.find(word.group("c"))
            if per:
                owner = per.group("owner").lower()
                owner_col = next((c for c in (f"{owner}_id", owner) if c in cols_known), None)
                if owner_col:
                    add(table, (owner_col, col), start, start + len(word.group("c")))
                    continue
            add(table, (col,), start, start + len(word.group("c")))
        return found
    # `col` or `(a, b)` leading a bullet of a per-table index list
    lead = _LEADING_CODE.match(raw)
    if lead:
        code = lead.group("code").strip()
        if code.startswith("(") and code.endswith(")"):
            code = code[1:-1]
        cols = split_columns(code)
        known_cols = columns_of.get(table)
        is_name = len(cols) == 1 and _INDEX_NAME.search(cols[0])
        if cols and not is_name and (known_cols is None or all("(" in c or c in known_cols for c in cols)):
            add(table, cols, lead.start("code"), lead.end("code"))
    return found
