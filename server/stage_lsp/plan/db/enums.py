"""Enum types written in prose.

Seen forms: `` - **attribute_type_enum**: ('strength', 'defense') ``, `` - `side_enum` = ('long','short') ``,
`` - `workout_status`: planned | completed | skipped ``, `- **press_review_status** – enum accepting values:
\\`pending\\`, \\`success\\``, `` - `reservation_status`: ENUM ('aktywna', ...) ``, and a heading
`### quest_status` followed by `**Wartości:** \\`saved\\`, \\`started\\``. SQL `CREATE TYPE ... AS ENUM` is
read from fences.
"""

from __future__ import annotations

import re

from stage_lsp.plan.db.names import IDENT

_ENUM_LINE = re.compile(
    rf"^\s*(?:\*\*|`)?(?P<name>{IDENT})(?:\*\*|`)?\s*(?::|=|–|—|-|∈)\s*(?P<rest>.+)$",
)
_VALUES_LABEL = re.compile(
    r"(?i)^\s*(?:\*\*)?(?:wartości|values|możliwe wartości|allowed values)(?:\*\*)?\s*:\s*(?:\*\*)?\s*(?P<rest>.*)$"
)


def _values(rest: str) -> tuple[str, ...]:
    quoted = re.findall(r"'([^']*)'", rest)
    if quoted:
        return tuple(quoted)
    spans = re.findall(r"`([^`]+)`", rest)
    if spans and all(re.fullmatch(r"[\w\-. ]+", s) for s in spans):
        return tuple(s.strip() for s in spans)
    if "|" in rest:
        parts = [p.strip(" .`*") for p in re.split(r"(?<!\s)\s*\|\s*", re.sub(r"\(.*?\)", "", rest))]
        if all(re.fullmatch(r"[\w\-.]+", p) for p in parts if p) and len([p for p in parts if p]) >= 2:
            return tuple(p for p in parts if p)
    return ()


def parse_enum_line(text: str, *, in_enum_section: bool) -> tuple[str, tuple[str, ...]] | None:
    """(name, values) when the line defines an enum type."""
    m = _ENUM_LINE.match(text)
    if not m:
        return None
    rest = m.group("rest")
    name = m.group("name").lower()
    says_enum = bool(re.search(r"\benum\b|∈|\{", rest, re.I)) or name.endswith(("_enum", "_type", "_status"))
    if not (in_enum_section or says_enum):
        return None
    values = _values(rest)
    if len(values) < 2 and not (values and says_enum):
        return None
    return name, values


def values_label(text: str) -> tuple[str, ...] | None:
    """`**Wartości:** \\`a\\`, \\`b\\`` under an enum heading."""
    m = _VALUES_LABEL.match(text)
    if not m:
        return None
    return _values(m.group("rest")) or None
