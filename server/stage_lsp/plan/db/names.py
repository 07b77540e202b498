"""Table and column names as plans write them: in backticks, bold, numbered headings, with schemas.

`users` and `auth.users` are different tables: a schema other than `public` is kept, `public.` is dropped,
and names are lower-cased (`### Households` is the table `households`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stage_lsp.plan.db.lexicon import SECTION_WORDS
from stage_lsp.plan.outline import Text

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_QUALIFIED = re.compile(rf"^(?:\"?{IDENT}\"?\.)?\"?{IDENT}\"?$")
_CODE_NAME = re.compile(rf"`(?P<a>{IDENT})`\s*\.\s*`(?P<b>{IDENT})`|`(?P<n>(?:{IDENT}\.)?{IDENT})`")
_NUMBERING = re.compile(r"^\s*(?:\\?#+\s*)?(?:(?:\d+|[a-z])(?:\.\d+)*[.)]?|[IVX]+\.)\s+", re.I)
_MARKUP = re.compile(r"(\*\*|__|~~|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
_PREFIX = re.compile(
    r"^(?:(?:system|extended|new|nowa|główna|main|junction|tabela|table|tabele|tables|model|encja|entity)"
    r"\s*)+[:–—-]?\s*",
    re.I,
)
_DESCRIPTION_TAIL = re.compile(
    r"^(?:\s*$|\s*\((?!\))|\s*:|\s+[-–—]\s|\s*[–—]|\s*\[|\s*\{|\s+(?:table|tabela)\s*(?:$|\(|:|\s[-–—]\s)|\s*\*)",
    re.I,
)
_ALWAYS_STOP = frozenset(
    {"sql", "mvp", "todo", "plan", "schema", "schemat", "database", "baza", "public", "auth"}
)
_STOP = frozenset(
    {
        "overview",
        "summary",
        "general",
        "intro",
        "introduction",
        "note",
        "notes",
        "uwagi",
        "opis",
        "description",
        "public",
        "auth",
        "todo",
        "mvp",
        "sql",
        "plan",
        "schema",
        "schemat",
        "database",
        "baza",
        "rls",
        "enable",
        "polityki",
        "policies",
    }
)


@dataclass(frozen=True, slots=True)
class NameHit:
    name: str  # normalised table name
    line: int
    col: int
    end_col: int
    quoted: bool  # written in backticks


def normalise(raw: str) -> str:
    """`"public"."Users"` -> `users`; `auth`.`users` -> `auth.users`."""
    name = raw.replace("`", "").replace('"', "").replace(" ", "").strip().lower()
    if name.startswith("public."):
        name = name[len("public.") :]
    return name


def is_identifier(word: str) -> bool:
    return bool(_QUALIFIED.match(word))


def _section_word(word: str) -> bool:
    return any(pattern.fullmatch(word) for _, pattern in SECTION_WORDS)


def quoted_names(text: Text) -> list[NameHit]:
    """Every backticked identifier (`x`, `schema.x`, `schema`.`x`) in a piece of text."""
    hits: list[NameHit] = []
    for m in _CODE_NAME.finditer(text.text):
        if m.group("a"):
            raw, start, end = f"{m.group('a')}.{m.group('b')}", m.start("a"), m.end("b")
        else:
            raw, start, end = m.group("n"), m.start("n"), m.end("n")
        hits.append(NameHit(normalise(raw), text.line, text.at(start), text.at(end), True))
    return hits


def definition_name(text: Text) -> NameHit | None:
    """The one table a heading or bullet names (`### 1.2 users`, `#### 1.1 \\`orders\\` – notes`)."""
    raw = text.text
    quoted = quoted_names(text)
    if quoted:
        names = {h.name for h in quoted}
        if len(names) > 1 and any(n.startswith("auth.") for n in names):
            # `users` (built-in table `auth.users` Supabase): the schema-qualified name is what it is
            auth = [h for h in quoted if h.name.startswith("auth.")]
            first_plain = quoted[0]
            before = raw[: first_plain.col - text.col]
            if not re.search(r"[A-Za-z]{3,}", _NUMBERING.sub("", before)) and re.search(
                r"built[- ]in|wbudowan|supabase|managed|zarządzan", raw, re.I
            ):
                return auth[0]
        first = quoted[0]
        before = _MARKUP.sub("", raw[: first.col - text.col]).replace("`", "")
        before = _PREFIX.sub("", _NUMBERING.sub("", before)).strip()
        if before:
            return None
        return first
    body = _NUMBERING.sub("", raw, count=1)
    offset = len(raw) - len(body)
    clean = _MARKUP.sub(" ", body)
    stripped = _PREFIX.sub("", clean)
    offset += len(clean) - len(stripped)
    m = re.match(rf"\s*(?P<name>(?:{IDENT}\.)?{IDENT})", stripped)
    if not m:
        return None
    word = m.group("name")
    rest = stripped[m.end() :]
    generic = word.lower() in _STOP or _section_word(word)
    if generic and (
        word != word.lower() or word in _ALWAYS_STOP
    ):  # "### Notes" is a section, `notes` a table
        return None
    if len(word) < 3 or not _DESCRIPTION_TAIL.match(rest):
        return None
    if rest.lstrip().startswith(":") and rest.strip() != ":":  # "Global: Extensions, ...": a label
        return None
    if not re.search(r"[a-z]", word) and "_" not in word:  # ALL-CAPS words are not table names
        return None
    start = raw.find(word, offset - 2 if offset >= 2 else 0)
    if start < 0:
        start = offset
    return NameHit(normalise(word), text.line, text.at(start), text.at(start + len(word)), False)


def mentioned_tables(
    text: Text, known: frozenset[str], *, skip_code_predicates: bool = True
) -> list[NameHit]:
    """Known table names mentioned as whole words; names inside SQL-looking code spans are skipped."""
    hits: list[NameHit] = []
    raw = text.text
    masked = raw
    if skip_code_predicates:
        for m in re.finditer(r"`[^`]*`", raw):
            if re.search(r"[=<>()]|\bselect\b|\bwhere\b", m.group(0), re.I):
                masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
    lowered = masked.lower().replace("`", " ").replace('"', " ")
    lowered = re.sub(r"\bpublic\.", "       ", lowered)
    for name in sorted(known, key=len, reverse=True):
        if name not in lowered:  # the common case, decided without building the name's pattern
            continue
        for m in re.finditer(rf"(?<![\w.]){re.escape(name)}(?![\w])", lowered):
            if any(h.col <= text.at(m.start()) < h.end_col for h in hits):
                continue
            hits.append(NameHit(name, text.line, text.at(m.start()), text.at(m.end()), False))
    hits.sort(key=lambda h: h.col)
    return hits


def find_span(text: Text, word: str) -> tuple[int, int]:
    """Columns of the first occurrence of `word` (case-insensitive) in the text, else the whole text."""
    i = text.text.lower().find(word.lower())
    if i < 0:
        return text.col, text.col + len(text.text)
    return text.at(i), text.at(i + len(word))
