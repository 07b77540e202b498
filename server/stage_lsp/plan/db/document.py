"""State shared by the db reader's two passes: the outline, the builder, caches and small helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stage_lsp.core.issue import ReaderIssue
from stage_lsp.core.location import Location, Range
from stage_lsp.plan.db.builder import DbBuilder
from stage_lsp.plan.db.lexicon import HEDGE
from stage_lsp.plan.db.names import IDENT
from stage_lsp.plan.db.sections import Sections
from stage_lsp.plan.db.sql_fence import SqlFacts, read_fence_sql
from stage_lsp.plan.outline import Fence, Item, Para

LINK = re.compile(r"\[[^\[\]\n]{0,500}\]\((?P<href>[^)#\s]+\.md)(?:#[^)]*)?\)")
# a bullet that is only a table name: "- `households`", "- **profiles**", "- `auth.users` _(Supabase)_"
NAME_ONLY = re.compile(
    rf"^\s*(?:`(?P<a>(?:{IDENT}\.)?{IDENT})`|\*\*`?(?P<b>(?:{IDENT}\.)?{IDENT})`?\*\*)\s*:?\s*"
    r"(?:_?\([^)]*\)_?|\*\([^)]*\)\*)?\s*:?\s*$"
)


@dataclass
class BulletCtx:
    """A bullet that names tables: its children are about them (or define its columns)."""

    depth: int
    tables: tuple[str, ...]
    defines: str | None = None
    hedged: bool = False  # "RLS można wyłączyć ... lub:": what follows is one option, not the plan


def pop_bullets(stack: list[BulletCtx], depth: int) -> None:
    while stack and stack[-1].depth >= depth:
        stack.pop()


@dataclass
class DbDocument:
    rel: str
    items: list[Item]
    builder: DbBuilder = field(default_factory=DbBuilder)
    issues: list[ReaderIssue] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    column_lines: set[int] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    sql: dict[int, SqlFacts] = field(default_factory=dict)

    def loc(self, line: int, col: int, end_col: int) -> Location:
        return Location(self.rel, Range(line, col, line, end_col))

    def known(self) -> frozenset[str]:
        return frozenset(self.builder.tables)

    def fence_sql(self, index: int, fence: Fence) -> SqlFacts:
        """The SQL of fence `index`, read once for both passes."""
        facts = self.sql.get(index)
        if facts is None:
            facts = read_fence_sql(self.rel, fence.body, fence.body_line, fence.body_col, fence.body_col)
            self.sql[index] = facts
        return facts

    def next_item(self, index: int) -> Item | None:
        return self.items[index + 1] if index + 1 < len(self.items) else None

    def fence_hedged(self, index: int, sections: Sections) -> bool:
        """ "Example policy:", "Przykładowo (pseudokodowo):", a hedged heading: intent, not a contract."""
        before = self.items[index - 1] if index > 0 else None
        if isinstance(before, Para) and HEDGE.search(before.joined):
            return True
        fence = self.items[index]
        if not isinstance(fence, Fence):
            return sections.hedged
        first = fence.body.strip().split("\n", 1)[0]
        return sections.hedged or bool(first.startswith("--") and HEDGE.search(first))
