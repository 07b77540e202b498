"""Columns as plans write them: markdown table rows and the bullet sub-styles of FORMATS.md (b).

- `` `user_id UUID NOT NULL REFERENCES auth.users(id)` `` (the whole definition in one code span)
- `` `daily_rate` DECIMAL(10,2) NOT NULL `` (name in a code span)
- `` `display_name` (`text`, NULLABLE) `` (parenthesised type)
- `id: UUID, PRIMARY KEY, NOT NULL` (comma list), `**id**: UUID ...`, `**name**: \\`text\\`` + nested bullets
- `` `auth_uid` uuid PRIMARY KEY — FK -> `auth.users(id)` `` (dashes and arrows), `` `id UUID PK` — **FK**→... ``

`parse_spec` reads type, nullability, default, reference, primary key and uniqueness from the text after
the name, whatever the separators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stage_lsp.plan.db.names import IDENT
from stage_lsp.plan.outline import Text

_TYPE_WORDS = (
    r"double\s+precision|character\s+varying|bit\s+varying|"
    r"timestamp(?:tz)?(?:\s*\(\d+\))?(?:\s+with(?:out)?\s+time\s+zone)?|"
    r"time(?:tz)?(?:\s*\(\d+\))?(?:\s+with(?:out)?\s+time\s+zone)?|"
    r"uuid|text|citext|varchar|char|character|bpchar|int|integer|int2|int4|int8|smallint|bigint|serial|"
    r"bigserial|smallserial|serial4|serial8|numeric|decimal|real|float4|float8|float|money|boolean|bool|date|"
    r"interval|jsonb?|bytea|inet|cidr|macaddr|tsvector|tsquery|int4range|int8range|numrange|tsrange|"
    r"tstzrange|daterange|vector|halfvec|point|geography|geometry|xml|oid|bit|enum|ltree|hstore"
)
_TYPE = re.compile(
    rf"^(?P<type>(?:{_TYPE_WORDS})\b(?:\s*\([^)]*\))?(?:\s*\[\s*\])*)",
    re.I,
)
_USER_TYPE = re.compile(rf"^(?P<type>(?:{IDENT}\.)?{IDENT}(?:\s*\[\s*\])*)")
_CONSTRAINT_START = re.compile(
    r"^(?:,|$|\)|not\s+null|null|nullable|default|references|primary|unique|check|generated|pk\b|fk\b|"
    r"foreign|constraint|collate|[-–—→]|\(|identity)",
    re.I,
)
_SQL_KEYWORDS = frozenset(
    {
        "unique",
        "primary",
        "not",
        "null",
        "default",
        "references",
        "check",
        "constraint",
        "foreign",
        "key",
        "index",
    }
)
_STRONG_CONSTRAINT = re.compile(r"\b(not\s+null|default|references|primary\s+key|unique|check)\b", re.I)
_NOT_NULL = re.compile(r"\bnot\s+null\b", re.I)
# "required" / "wymagane" state NOT NULL only as a marker of their own ("NOT NULL, required", "(wymagane)",
# a constraints cell saying "Required"); followed by more words they describe the column's meaning
# ("wymagane dokumenty" = required documents, "required for the /warehouse view"), and "wymagania" is a
# noun (requirements): neither says anything about nullability.
_REQUIRED_MARK = re.compile(
    r"\b(?:required|wymagan[yaeo]|obowiązkow[yaeo])\b(?=\s*(?:$|[,;.)|]|\s[-–—]\s))", re.I
)
_NULLABLE = re.compile(
    r"(?<!\bis\s)(?<!\bnot\s)(?<!\bor\s)\bnull(?:able)?\b(?!\s+or\b)|\bopcjonaln\w*\b|\boptional\b", re.I
)
_DEFAULT = re.compile(r"\b(?:default|domyślnie|wartość domyślna)\s*:?\s+(?P<expr>\S.*)", re.I)
_REFERENCES = re.compile(
    rf"(?:\breferences\b|\bfk\b\s*(?:→|->|=>|\bto\b|\bdo\b)?|→|->)\s*\**\s*`?(?P<table>(?:{IDENT}`?\.`?)?{IDENT})`?"
    rf"(?:\s*\(\s*`?(?P<col>{IDENT})`?\s*\)|\.`?(?P<dotcol>{IDENT})`?)?",
    re.I,
)
_PRIMARY = re.compile(r"\bprimary\s+key\b|\bpk\b|\bklucz\w*\s+główn\w*", re.I)
_UNIQUE = re.compile(r"\bunique\b(?!\s*\()|\bunikaln\w*", re.I)
_NOT_COLUMN_NAMES = frozenset(
    {
        "pk",
        "fk",
        "unique",
        "primary",
        "foreign",
        "check",
        "constraint",
        "constraints",
        "index",
        "indexes",
        "exclude",
        "references",
        "key",
        "keys",
        "ograniczenia",
        "klucz",
        "uwaga",
        "relacje",
        "relations",
        "trigger",
        "indeksy",
        "rls",
        "polityki",
        "policies",
        "zasady",
        "przeznaczenie",
        "purpose",
        "dostęp",
        "access",
        "cel",
        "partitioning",
        "create",
        "alter",
        "comment",
    }
)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    type: str | None = None
    nullable: bool | None = None
    default: str | None = None
    references: str | None = None
    primary_key: bool = False
    unique: bool = False


@dataclass(frozen=True, slots=True)
class ColumnHit:
    name: str
    line: int
    col: int
    end_col: int
    spec: ColumnSpec


def _clean(text: str) -> str:
    text = text.replace("**", "").replace("`", "").replace("‣", " ")
    text = re.sub(r"(?<![\w])_(?=\S)|(?<=\S)_(?![\w])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _until_separator(expr: str) -> str:
    depth = 0
    for i, ch in enumerate(expr):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            if depth == 0:
                return expr[:i].strip()
            depth -= 1
        elif (depth == 0 and ch == ",") or (
            depth == 0
            and expr[i:]
            .lower()
            .startswith(
                (" not null", " null", " references", " check", " unique", " primary", " —", " -", " (")
            )
        ):
            return expr[:i].strip()
    return expr.strip()


def parse_type(text: str, known_types: frozenset[str] = frozenset()) -> str | None:
    """The leading SQL type of `text` (lower case, spaces normalised), or None."""
    s = _clean(text).lstrip("(").strip()
    m = _TYPE.match(s)
    if m:
        return re.sub(r"\s+", " ", m.group("type")).lower().replace(" (", "(").replace(" [", "[")
    m = _USER_TYPE.match(s)
    if m:
        word = m.group("type").lower()
        base = word.split("[")[0].strip()
        if base in known_types:
            return word.replace(" ", "")
        if base in _SQL_KEYWORDS:
            return None
        rest = s[m.end() :].strip()
        if rest.startswith(",") and _STRONG_CONSTRAINT.search(rest):
            return word.replace(
                " ", ""
            )  # `status`, `press_review_status`, `NOT NULL` (an enum defined later)
        if rest and _CONSTRAINT_START.match(rest) and not rest.startswith(("-", "–", "—", "(", ",", ")")):
            return word.replace(" ", "")
    return None


def parse_spec(
    text: str, known_types: frozenset[str] = frozenset(), *, type_hint: str | None = None
) -> ColumnSpec:
    """Type, nullability, default, reference, primary key and uniqueness of a column's text."""
    s = _clean(text)
    col_type = parse_type(type_hint, known_types) if type_hint else parse_type(s, known_types)
    if type_hint and col_type is None:
        col_type = _clean(type_hint).lower() or None
    pk = bool(_PRIMARY.search(s))
    nullable: bool | None = None
    if _NOT_NULL.search(s) or pk:
        nullable = False
    elif _NULLABLE.search(re.sub(r"\bdefault\s+null\b", "", s, flags=re.I)):
        nullable = True  # an explicit "may be NULL" outweighs a loose "required"
    elif _REQUIRED_MARK.search(s):
        nullable = False
    default = None
    m = _DEFAULT.search(s)
    if m:
        default = _until_separator(m.group("expr")) or None
    references = None
    for r in _REFERENCES.finditer(s):
        table = r.group("table").replace("`", "").lower()
        if table in ("key", "references", "to"):
            continue
        col = r.group("col") or r.group("dotcol")
        if r.group("dotcol") and "." in table:
            pass
        elif not col and "." in table and not table.startswith("auth."):
            table, _, col = table.rpartition(".")
        references = f"{table}({col.lower()})" if col else table
        break
    if references and references.startswith("public."):
        references = references[len("public.") :]
    return ColumnSpec(col_type, nullable, default, references, pk, bool(_UNIQUE.search(s)))


_BULLET_PATTERNS = (
    # `name TYPE ...` (whole definition in one code span)
    re.compile(rf"^`(?P<name>{IDENT})\s+(?P<rest>[^`]+)`(?P<tail>.*)$"),
    # `name` / **name** / name, then `:`, a dash, a parenthesis or a space
    re.compile(rf"^(?P<q>`|\*\*|__)?(?P<name>{IDENT})(?P=q)?(?:\*\*)?\s*(?:[:–—]|\s-\s)?\s*(?P<rest>.+)$"),
)


def parse_column_bullet(
    text: Text, known_types: frozenset[str] = frozenset(), extra: str = ""
) -> ColumnHit | None:
    """A column bullet, or None when the bullet is something else (a constraint, a note)."""
    raw = text.text.strip()
    if raw.startswith("~~"):
        return None
    for i, pattern in enumerate(_BULLET_PATTERNS):
        m = pattern.match(raw)
        if not m:
            continue
        name = m.group("name")
        if name.lower() in _NOT_COLUMN_NAMES or (name.isupper() and len(name) > 1 and "_" not in name):
            return None
        rest = m.group("rest") + (m.group("tail") if i == 0 else "")
        body = _clean(rest)
        if body.startswith("("):  # `name` (`text`, NULLABLE)
            inner = body[1:]
            depth = 1
            for j, ch in enumerate(inner):
                depth += ch == "("
                depth -= ch == ")"
                if depth == 0:
                    body = inner[:j] + " " + inner[j + 1 :]
                    break
        col_type = parse_type(body, known_types)
        if col_type is None:
            return None
        start = text.text.find(name)
        spec = parse_spec(body + " " + extra, known_types)
        return ColumnHit(name.lower(), text.line, text.at(start), text.at(start + len(name)), spec)
    return None


@dataclass(frozen=True, slots=True)
class ColumnTableShape:
    name: int
    type: int | None
    constraints: tuple[int, ...]


_NAME_HEADER = re.compile(
    r"^(column|kolumna|name|nazwa|field|pole|atrybut|attribute|column name|nazwa kolumny)$", re.I
)
_TYPE_HEADER = re.compile(r"^(type|typ|data type|typ danych|rodzaj|sql type|postgres type)$", re.I)
_CONSTRAINT_HEADER = re.compile(
    r"(constraint|ograniczeni|nullable|null|default|domyśln|klucz|key|references|uwagi|notes|attributes)",
    re.I,
)


def column_table_shape(header: tuple[Text, ...]) -> ColumnTableShape | None:
    """Which cells of a markdown table hold the column name, type and constraints; None if not a column table."""
    cells = [c.text.replace("*", "").replace("`", "").strip() for c in header]
    name = next((i for i, c in enumerate(cells) if _NAME_HEADER.match(c)), None)
    col_type = next((i for i, c in enumerate(cells) if _TYPE_HEADER.match(c)), None)
    if name is None or col_type is None:
        return None
    constraints = tuple(
        i for i, c in enumerate(cells) if i not in (name, col_type) and _CONSTRAINT_HEADER.search(c)
    )
    return ColumnTableShape(name, col_type, constraints)


def parse_column_row(
    row: tuple[Text, ...], shape: ColumnTableShape, known_types: frozenset[str] = frozenset()
) -> ColumnHit | None:
    if shape.name >= len(row):
        return None
    cell = row[shape.name]
    raw = cell.text.replace("**", "").replace("`", "").strip()
    if not re.fullmatch(IDENT, raw):
        return None
    type_text = row[shape.type].text if shape.type is not None and shape.type < len(row) else None
    constraints = " ".join(row[i].text for i in shape.constraints if i < len(row))
    spec = parse_spec(constraints, known_types, type_hint=type_text)
    start = cell.text.find(raw)
    return ColumnHit(raw.lower(), cell.line, cell.at(max(start, 0)), cell.at(max(start, 0) + len(raw)), spec)
