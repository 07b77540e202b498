"""RLS switched on or off in prose, for named tables, the surrounding table, or every table.

"RLS włączone dla: `a`, `b`", "Enable RLS on all tables", "All tables have RLS enabled", "Active for all
tables related to `user_id`" (the tables with that column), "**Bez RLS** - x, y", "**RLS:** Disabled",
"Żaden mechanizm RLS ... nie został wdrożony" (every table). A hedged statement ("RLS można wyłączyć",
"may be disabled") decides nothing and keeps policies from implying RLS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stage_lsp.plan.db.lexicon import (
    ALL_TABLES,
    MAYBE,
    NOTE_LINE,
    RLS_OFF,
    RLS_ON,
    RLS_WORD,
    WITH_COLUMN,
)
from stage_lsp.plan.db.names import mentioned_tables
from stage_lsp.plan.outline import Text

_ITALIC_LINE = re.compile(r"^\s*(\*[^*].*\*|_[^_].*_)\s*$")


@dataclass(frozen=True, slots=True)
class RlsToggle:
    enabled: bool
    tables: tuple[str, ...]  # named in the statement
    all_tables: bool  # "all tables", "every table"
    with_column: str | None  # "all tables with `household_id`"
    hedged: bool  # "RLS can be disabled", "may be"
    line: int
    col: int
    end_col: int


def is_commentary(text: str) -> bool:
    """A note or an italic aside: describes, does not define."""
    return bool(NOTE_LINE.match(text) or _ITALIC_LINE.match(text))


def parse_toggle(text: Text, known: frozenset[str], *, in_rls_section: bool) -> RlsToggle | None:
    raw = text.text
    if is_commentary(raw):
        return None
    has_word = bool(RLS_WORD.search(raw))
    if not has_word and not in_rls_section:
        return None
    off = RLS_OFF.search(raw)
    on = None if off else RLS_ON.search(raw)
    if not off and not on:
        return None
    if not has_word and not (ALL_TABLES.search(raw) or mentioned_tables(text, known)):
        return None
    hedged = bool(MAYBE.search(raw))
    tables = tuple(dict.fromkeys(h.name for h in mentioned_tables(text, known)))
    all_tables = False
    with_column = None
    blanket = ALL_TABLES.search(raw)
    if not tables and blanket:
        all_tables = True
        wc = WITH_COLUMN.search(raw[blanket.end() :])
        if wc and wc.group("col").lower() not in ("user", "data", "użytkownik", "dane"):
            with_column = wc.group("col").lower()
    elif not tables and off and re.search(r"\bżad(?:en|n\w*)|\bno\s+rls\b|\bnone\b", raw, re.I):
        all_tables = True
    start = len(raw) - len(raw.lstrip())
    return RlsToggle(
        bool(on),
        tables,
        all_tables,
        with_column,
        hedged,
        text.line,
        text.at(start),
        text.at(len(raw.rstrip())),
    )
