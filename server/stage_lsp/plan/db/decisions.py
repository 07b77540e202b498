"""Decision lists: db plans that are a planning session's summary rather than a schema.

Two shapes are seen: the raw `<conversation_summary><decisions>1. Użycie jednej tabeli \\`users\\` ...
</decisions><matched_recommendations>...</matched_recommendations>` block, and a "Database Planning
Summary" / "Decyzje" section of numbered decisions. A decision that names a table ("tabela \\`plans\\` z
kolumnami: \\`id\\`, \\`name\\`", "a \\`sessions\\` table") plans it, with the columns it lists; a decision
that rejects one ("❌ Tabela \\`x\\` nie jest potrzebna") rejects it. Recommendations are not decisions (they
can contradict them) and are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stage_lsp.plan.db.lexicon import REJECTION
from stage_lsp.plan.db.names import IDENT, NameHit, normalise
from stage_lsp.plan.outline import Para, Text

DECISIONS_TITLE = re.compile(r"(?i)\b(decisions?|decyzj\w*|planning summary|podsumowanie planowania)\b")
_TAG = re.compile(r"^\s*<(?P<close>/?)(?P<name>[a-z_][a-z0-9_-]*)>\s*$", re.I)
_IGNORED_TAGS = ("recommendation", "rekomendac", "analysis", "analiz")
_TABLE_NAMES = re.compile(
    rf"\b(?:tabel\w*|tables?)(?:\s*:\s*|\s+)(?P<list>`(?:{IDENT}\.)?{IDENT}`(?:\s*(?:,|\bi\b|\band\b|\boraz\b)\s*`(?:{IDENT}\.)?{IDENT}`)*)"
    rf"|(?P<before>`(?:{IDENT}\.)?{IDENT}`)\s+(?:table|tabel\w*)\b",
    re.I,
)
_COLUMNS = re.compile(r"(?i)\b(z\s+kolumn\w*|kolumn\w*|with\s+columns?|columns?)\b\s*:?\s*(?P<rest>.*)$")
_CODE = re.compile(rf"`(?P<n>(?:{IDENT}\.)?{IDENT})`")


@dataclass(frozen=True, slots=True)
class Decision:
    tables: tuple[NameHit, ...]
    rejected: bool
    columns: tuple[NameHit, ...]  # names only; for the one table a decision plans


class TagState:
    """Which `<tags>` of a summary block are open, line by line."""

    def __init__(self) -> None:
        self.open: list[str] = []
        self.skip = False

    def feed(self, para: Para) -> list[Text]:
        """Update with the paragraph's tag lines; return its other lines that are decisions.

        `skip` tells whether the paragraph's first line of content sits in an ignored block."""
        out: list[Text] = []
        self.skip = False
        first_content = True
        for text in para.lines:
            m = _TAG.match(text.text)
            if m:
                name = m.group("name").lower()
                if m.group("close"):
                    if name in self.open:
                        del self.open[self.open.index(name) :]
                else:
                    self.open.append(name)
                continue
            if first_content:
                self.skip = self.ignored
                first_content = False
            if self.in_decisions:
                out.append(text)
        return out

    @property
    def ignored(self) -> bool:
        return any(word in tag for tag in self.open for word in _IGNORED_TAGS)

    @property
    def in_decisions(self) -> bool:
        return "decisions" in self.open and not self.ignored


def read_decision(text: Text) -> Decision | None:
    """The tables a decision line plans or rejects."""
    hits: list[NameHit] = []
    for m in _TABLE_NAMES.finditer(text.text):
        span = m.group("list") or m.group("before") or ""
        base = m.start("list") if m.group("list") else m.start("before")
        for n in _CODE.finditer(span):
            start = base + n.start("n")
            hits.append(
                NameHit(
                    normalise(n.group("n")),
                    text.line,
                    text.at(start),
                    text.at(start + len(n.group("n"))),
                    True,
                )
            )
    if not hits:
        return None
    rejected = bool(
        REJECTION.search(text.text) or re.search(r"(?i)\bnie\s+(będzie|jest)\b|\bno\s+separate\b", text.text)
    )
    columns: list[NameHit] = []
    cm = _COLUMNS.search(text.text)
    if cm and len(hits) == 1 and not rejected:
        offset = cm.start("rest")
        for n in _CODE.finditer(cm.group("rest")):
            start = offset + n.start("n")
            name = n.group("n").lower()
            if name != hits[0].name:
                columns.append(NameHit(name, text.line, text.at(start), text.at(start + len(name)), True))
    return Decision(tuple(hits), rejected, tuple(columns))
