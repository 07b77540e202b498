"""Where the reader is in a db plan: the heading stack, each heading's kind and the tables it names.

A heading's kind comes from its own words ("Indeksy", "Row Level Security", "Enums"); a heading that only
names a table ("### 1.2 users", "### Tabela: profiles") takes its kind from the enclosing section, so
`### Tabela: profiles` under `## 8. RLS` is an RLS context for `profiles`, not a table definition.
Top-level numbered list items that are section titles ("1. Tables", "3. Indeksy") act as level-1 headings:
several real plans are written that way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stage_lsp.plan.db.lexicon import HEDGE, LABEL_KINDS, SECTION_WORDS, SectionKind
from stage_lsp.plan.outline import Para, Text

_PRIORITY_KINDS = frozenset({"future", "rls", "indexes", "relations"})
_CONTEXT_KINDS = frozenset({"rls", "indexes", "relations", "enums", "functions", "views", "future"})
_PSEUDO_HEADING = re.compile(
    r"^(tables?|tabele|lista tabel.*|relacj\w*.*|relationships?.*|indeksy.*|indexes.*|zasady.*|"
    r"rls.*|row[- ]level.*|polityki.*|policies.*|dodatkowe uwagi.*|additional.*|uwagi.*|notes.*|"
    r"enums?.*|typy.*|types.*|triggers?.*|funkcje.*|functions.*|widoki.*|views.*)$",
    re.I,
)


_TABLE_WORDS = next(pattern for kind, pattern in SECTION_WORDS if kind == "tables")


def heading_kind(text: str, parent: SectionKind, names_table: bool) -> SectionKind:
    """The kind of a heading; one that starts with a table name is about that table, whatever follows."""
    if names_table:
        for kind, pattern in SECTION_WORDS:
            if kind in ("future", "views") and pattern.search(text):
                return kind
        return parent if parent in _CONTEXT_KINDS else "tables"
    for kind, pattern in SECTION_WORDS:
        if kind in _PRIORITY_KINDS and pattern.search(text):
            return kind
    # the other kinds: the earliest word wins ("Tables with columns, data types" is about tables)
    best: tuple[int, SectionKind] | None = None
    for kind, pattern in SECTION_WORDS:
        if kind in _PRIORITY_KINDS:
            continue
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0] or (m.start() == best[0] and kind != "notes")):
            best = (m.start(), kind)
    if best is not None and best[1] != "tables":
        return best[1]
    if best is not None:
        return parent if parent in _CONTEXT_KINDS else "tables"
    return parent if parent != "tables" else "other"


@dataclass
class Frame:
    level: int
    kind: SectionKind
    text: Text
    tables: tuple[str, ...] = ()  # tables the heading names (definition or context)
    defines: str | None = None  # the table this heading defines
    targets: tuple[str, ...] | None = None  # "RLS enabled for ..." in this section: who blanket rules hit
    label: str | None = None  # the last inline label ("Indexes:", "RLS:") in this section
    label_depth: int = 0  # the list depth it labels: a shallower bullet leaves it
    hedged: bool = False

    def see(self, para: Para, label: tuple[str, str] | None) -> None:
        """Track the label in force for `para`: a new label, or leaving the labelled list."""
        if self.label is not None and para.depth < self.label_depth:
            self.label = None
        if label is not None:
            self.label = label[0]
            self.label_depth = para.depth + 1


@dataclass
class Sections:
    stack: list[Frame] = field(default_factory=list)

    def push(self, level: int, text: Text, names_table: bool) -> Frame:
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.stack[-1].kind if self.stack else "other"
        kind = heading_kind(text.text, parent, names_table)
        hedged = bool(HEDGE.search(text.text)) or (bool(self.stack) and self.stack[-1].hedged)
        frame = Frame(level, kind, text, hedged=hedged)
        self.stack.append(frame)
        return frame

    @property
    def top(self) -> Frame | None:
        return self.stack[-1] if self.stack else None

    @property
    def kind(self) -> SectionKind:
        return self.stack[-1].kind if self.stack else "other"

    @property
    def hedged(self) -> bool:
        return bool(self.stack) and self.stack[-1].hedged

    def context_tables(self) -> tuple[str, ...]:
        for frame in reversed(self.stack):
            if frame.tables:
                return frame.tables
        return ()

    def defining(self) -> str | None:
        top = self.top
        return top.defines if top else None

    def rls_targets(self) -> tuple[str, ...] | None:
        top = self.top
        return top.targets if top else None


def pseudo_heading(para: Para) -> str | None:
    """`1. Tables` as a top-level ordered item: the section title it stands for."""
    if para.depth != 1 or not para.bullet or not para.marker[:1].isdigit() or len(para.lines) != 1:
        return None
    text = para.first.text.strip().rstrip(":")
    if "`" in text or "**" in text or len(text.split()) > 10:
        return None
    return text if _PSEUDO_HEADING.match(text) else None


def label_of(text: str) -> tuple[str, str] | None:
    """An inline label line (`**Indexes:**`, `Ograniczenia:`, `RLS:` + value): (kind, value after it)."""
    m = re.match(
        r"^\s*(?:\*\*|__)?(?P<label>[^:*_`]{2,40}?)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?P<rest>.*)$", text
    )
    if not m:
        return None
    label = m.group("label").strip()
    for kind, pattern in LABEL_KINDS:
        if pattern.match(label):
            return kind, m.group("rest").strip()
    return None
