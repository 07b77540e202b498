r"""Pass 1 of the db reader: which tables the plan defines, with their columns, and its enums.

A table is defined by a heading that names it (`### 1.2 users`, `### Table: \`profiles\``) in a tables
section or followed by columns, by a bullet that only names it with column bullets below
(`- \`households\``), or by SQL `CREATE TABLE` (not `PARTITION OF`). Columns come from markdown column
tables, column bullets (nested constraint bullets extend them) and "Key attributes: \`a\`, \`b\`" lists.
"❌ `tags` table (not needed)" marks a rejected table. Future/post-MVP sections define nothing.
"""

from __future__ import annotations

import posixpath
import re

from stage_lsp.plan.db.columns import (
    ColumnHit,
    ColumnSpec,
    column_table_shape,
    parse_column_bullet,
    parse_column_row,
    parse_spec,
)
from stage_lsp.plan.db.decisions import DECISIONS_TITLE, TagState, read_decision
from stage_lsp.plan.db.document import LINK, NAME_ONLY, BulletCtx, DbDocument, pop_bullets
from stage_lsp.plan.db.enums import parse_enum_line, values_label
from stage_lsp.plan.db.indexes import split_columns
from stage_lsp.plan.db.lexicon import REJECTION
from stage_lsp.plan.db.mermaid import read_er_diagram
from stage_lsp.plan.db.names import IDENT, NameHit, definition_name, normalise, quoted_names
from stage_lsp.plan.db.sections import Sections, label_of, pseudo_heading
from stage_lsp.plan.db.sql_fence import canonical_expression, canonical_type, looks_like_sql
from stage_lsp.plan.model import PlanColumn, PlanEnum
from stage_lsp.plan.outline import Fence, Heading, Para, PipeTable, Text

_ATTRIBUTES = re.compile(
    r"(?i)^\W*(?:kluczowe\s+|key\s+|inne\s+|other\s+|przykładowe\s+|example\s+|główne\s+|main\s+)?"
    r"(?:atrybut\w*|attributes|columns|kolumny|pola|fields)\b[^:]{0,80}:"
)
_BOLD = re.compile(rf"\*\*(?P<n>(?:{IDENT}\.)?{IDENT})\*\*")
_PK_LIST = re.compile(r"(?i)(?:primary\s+key|\bpk\b)\s*:?\s*\(?\s*(?P<cols>`?[a-z_][\w`, ]*`?)\)")
_TABLES_TITLE = re.compile(r"(?i)\b(tables?|tabele|tabel|lista tabel|encje|entities|table definitions)\b")
LastColumn = tuple[str, ColumnHit, int, str]  # table, column, bullet depth, nested text


class DefinitionsPass(DbDocument):
    def definitions(self) -> None:
        """Pass 1: tables, their columns, enums, rejected tables and links to per-table files."""
        sections = Sections()
        tags = TagState()
        decisions: list[Text] = []
        diagrams: list[Fence] = []
        defined_by_last_heading: str | None = None
        bullets: list[BulletCtx] = []
        last_column: LastColumn | None = None  # table, hit, depth, extra text
        enum_heading: tuple[str, Text] | None = None
        for index, item in enumerate(self.items):
            if isinstance(item, Heading):
                hit = definition_name(item.text)
                frame = sections.push(item.level, item.text, hit is not None)
                bullets.clear()
                last_column = None
                enum_heading = None
                if frame.kind == "enums" and hit is not None:
                    enum_heading = (hit.name, item.text)
                if hit is not None and frame.kind == "tables" and self._defines(index, hit, sections):
                    self.builder.define(hit.name, self.loc(hit.line, hit.col, hit.end_col))
                    frame.defines = hit.name
                    frame.tables = (hit.name,)
                elif hit is None and frame.kind == "tables" and defined_by_last_heading is not None:
                    # "#### 1.12 `user_profiles`" then "### ta tabela będzie zarządzana przez Supabase Auth":
                    # a subtitle of the definition, whatever its level
                    frame.defines = defined_by_last_heading
                    frame.tables = (defined_by_last_heading,)
                defined_by_last_heading = frame.defines
                continue
            defined_by_last_heading = None
            if sections.kind == "future":
                continue
            if isinstance(item, Para):
                decided = tags.feed(item)
                if tags.skip:
                    continue
                if decided or any(DECISIONS_TITLE.search(f.text.text) for f in sections.stack):
                    decisions.extend(decided or list(item.lines))
                pseudo = pseudo_heading(item)
                if pseudo is not None:
                    sections.push(1, Text(item.line, item.first.col, pseudo), False)
                    bullets.clear()
                    last_column = None
                    continue
                last_column = self._para_definitions(
                    item, sections, bullets, last_column, enum_heading, index
                )
            elif isinstance(item, PipeTable):
                table = self._current_definition(sections, bullets, item.depth + 1)
                shape = column_table_shape(item.header)
                if table is not None and shape is not None:
                    for row in item.rows:
                        column = parse_column_row(row, shape, frozenset(self.types))
                        if column is not None:
                            self._add_column(table, column)
            elif isinstance(item, Fence) and looks_like_sql(item.info, item.body):
                self._fence_definitions(index, item, sections)
            elif isinstance(item, Fence) and item.info.lower().startswith("mermaid"):
                diagrams.append(item)
        self._decisions(decisions)
        for fence in diagrams:
            self._er_columns(fence)

    def _er_columns(self, fence: Fence) -> None:
        """Columns a mermaid erDiagram lists for the plan's tables (never a table of its own)."""
        for c in read_er_diagram(fence.body):
            if c.table in self.builder.tables and c.name not in self.builder.tables[c.table].columns:
                line, col = fence.body_line + c.line, fence.body_col + c.col
                spec = ColumnSpec(
                    type=c.type, primary_key=c.primary_key, nullable=False if c.primary_key else None
                )
                self._add_column(c.table, ColumnHit(c.name, line, col, col + len(c.name), spec))

    def _decisions(self, lines: list[Text]) -> None:
        """Tables that decisions plan (with the columns they list) or reject.

        Decisions define tables only in a plan that defines none otherwise (a planning summary); in a
        schema plan a "Design decisions" section explains, and only its rejections count."""
        planned = not self.builder.tables
        for text in lines:
            decision = read_decision(text)
            if decision is None:
                continue
            for hit in decision.tables:
                where = self.loc(hit.line, hit.col, hit.end_col)
                if decision.rejected:
                    self.builder.reject(hit.name, where)
                elif planned:
                    self.builder.define(hit.name, where)
            if not planned:
                continue
            if len(decision.tables) == 1 and not decision.rejected:
                for column in decision.columns:
                    self._add_column(
                        decision.tables[0].name,
                        ColumnHit(column.name, column.line, column.col, column.end_col, ColumnSpec()),
                    )

    def _defines(self, index: int, hit: NameHit, sections: Sections) -> bool:
        """A heading naming a table defines it when it sits in a tables section or columns follow."""
        if any(f.kind == "tables" for f in sections.stack[:-1]) and hit.quoted:
            return True
        parent = sections.stack[-2] if len(sections.stack) > 1 else None
        if parent is not None and parent.kind == "tables" and _TABLES_TITLE.search(parent.text.text):
            return True
        for item in self.items[index + 1 :]:
            if isinstance(item, Heading):
                return False
            if isinstance(item, PipeTable) and column_table_shape(item.header) is not None:
                return True
            if isinstance(item, Para):
                if parse_column_bullet(item.first, frozenset(self.types)) is not None and item.bullet:
                    return True
                if LINK.search(item.joined) or _ATTRIBUTES.search(item.first.text):
                    return True
            if isinstance(item, Fence) and re.search(
                rf"(?is)create\s+table\s+(if\s+not\s+exists\s+)?[\"`]?(public\.)?[\"`]?{re.escape(hit.name.split('.')[-1])}\b",
                item.body,
            ):
                return True
        return False

    def _current_definition(self, sections: Sections, bullets: list[BulletCtx], depth: int) -> str | None:
        for ctx in reversed(bullets):
            if ctx.depth < depth and ctx.defines:
                return ctx.defines
        return sections.defining()

    def _add_column(self, table: str, hit: ColumnHit) -> None:
        spec = hit.spec
        self.builder.add_column(
            table,
            PlanColumn(
                hit.name,
                self.loc(hit.line, hit.col, hit.end_col),
                canonical_type(spec.type) if spec.type else None,
                spec.nullable,
                canonical_expression(spec.default) if spec.default else None,
                spec.references,
                spec.primary_key,
                spec.unique,
            ),
        )
        self.column_lines.add(hit.line)

    def _para_definitions(
        self,
        para: Para,
        sections: Sections,
        bullets: list[BulletCtx],
        last_column: LastColumn | None,
        enum_heading: tuple[str, Text] | None,
        index: int,
    ) -> LastColumn | None:
        frame = sections.top
        first = para.first
        pop_bullets(bullets, para.depth)
        is_column = para.bullet and parse_column_bullet(first, frozenset(self.types)) is not None
        label = None if is_column else label_of(first.text)
        if label is None and not is_column and _ATTRIBUTES.search(first.text):
            label = ("columns", first.text.split(":", 1)[1].strip())
        if frame is not None:
            frame.see(para, label)
        # rejected tables: "❌ `tags` table (not needed for MVP)"
        if REJECTION.search(first.text):
            rejected = self._rejected_names(first)
            for hit in rejected:
                self.builder.reject(hit.name, self.loc(hit.line, hit.col, hit.end_col))
            if rejected:
                return last_column
        # links to per-table files: "[See details →](./tables/1-projects.md)"
        for text in para.lines:
            for m in LINK.finditer(text.text):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(self.rel), m.group("href")))
                if target not in self.links:
                    self.links.append(target)
        # enums
        in_enums = sections.kind == "enums"
        if enum_heading is not None:
            values = next((v for v in (values_label(t.text) for t in para.lines) if v), None)
            if values:
                self.builder.add_enum(
                    PlanEnum(
                        enum_heading[0],
                        values,
                        self.loc(
                            enum_heading[1].line,
                            enum_heading[1].col,
                            enum_heading[1].col + len(enum_heading[1].text),
                        ),
                    )
                )
                self.types.add(enum_heading[0])
                return last_column
        enum = parse_enum_line(first.text.lstrip("-* "), in_enum_section=in_enums)
        defining = self._current_definition(sections, bullets, para.depth) is not None
        if enum is not None and (in_enums or (para.bullet and not defining)):
            name, values = enum
            start = first.text.find(name) if name in first.text else 0
            self.builder.add_enum(
                PlanEnum(
                    name,
                    values,
                    self.loc(first.line, first.at(max(start, 0)), first.at(max(start, 0) + len(name))),
                )
            )
            self.types.add(name)
            if in_enums:
                return last_column
        if sections.kind not in ("tables", "other", "notes"):
            return last_column
        label_kind = frame.label if frame is not None else None
        # a bullet that only names a table, with column bullets below it
        if para.bullet:
            only = NAME_ONLY.match(first.text)
            if only and self._columns_follow(index, para.depth):
                name = normalise(only.group("a") or only.group("b"))
                start = first.text.find(only.group("a") or only.group("b"))
                self.builder.define(name, self.loc(first.line, first.at(start), first.at(start + len(name))))
                bullets.append(BulletCtx(para.depth, (name,), name))
                if frame is not None:
                    frame.label = None
                return None
        table = self._current_definition(sections, bullets, para.depth)
        if table is None:
            return last_column
        pk = _PK_LIST.search(first.text)
        if pk and "," in pk.group("cols"):
            self.builder.set_primary_key(table, split_columns(pk.group("cols")))
        if (label is not None and label[0] == "columns") or (
            label is None and _ATTRIBUTES.search(first.text)
        ):
            self._attribute_list(table, para)
            return last_column
        if para.bullet and last_column is not None and para.depth > last_column[2]:
            return self._extend_column(last_column, para)  # nested bullets hold the column's constraints
        if not para.bullet or label_kind not in (None, "columns"):
            return last_column
        column = parse_column_bullet(first, frozenset(self.types), " ".join(t.text for t in para.lines[1:]))
        if column is not None:
            self._add_column(table, column)
            return (table, column, para.depth, " ".join(t.text for t in para.lines[1:]))
        if label_kind == "columns":  # "Kluczowe atrybuty:" then "- `user_id`, `planned_date` (UTC)"
            self._attribute_list(table, para)
            return last_column
        if last_column is not None and para.depth > last_column[2]:
            return self._extend_column(last_column, para)
        return last_column

    def _extend_column(self, last: LastColumn, para: Para) -> LastColumn:
        """Nested bullets under a column bullet hold its constraints (`- PK, NOT NULL`)."""
        table, hit, depth, extra = last
        extra = f"{extra} {para.joined}"
        spec = parse_spec(f"{hit.spec.type or ''} {extra}", frozenset(self.types))
        merged = ColumnHit(hit.name, hit.line, hit.col, hit.end_col, spec)
        self._add_column(table, merged)
        return (table, merged, depth, extra)

    def _attribute_list(self, table: str, para: Para) -> None:
        """ "Kluczowe atrybuty: `code` (PK, tekstowy kod), `name` (czytelna nazwa)": column names."""
        for text in para.lines:
            for m in re.finditer(rf"`(?P<n>{IDENT})`(?:\s*\((?P<hint>[^)]*)\))?", text.text):
                name = m.group("n").lower()
                if name in self.builder.tables:
                    continue
                spec = parse_spec(m.group("hint") or "", frozenset(self.types))
                self._add_column(
                    table, ColumnHit(name, text.line, text.at(m.start("n")), text.at(m.end("n")), spec)
                )

    def _columns_follow(self, index: int, depth: int) -> bool:
        for item in self.items[index + 1 : index + 4]:
            if isinstance(item, Para) and item.bullet and item.depth > depth:
                return parse_column_bullet(item.first, frozenset(self.types)) is not None
            if isinstance(item, Para) and not item.bullet:
                continue
            if not isinstance(item, Para):
                return False
        return False

    def _rejected_names(self, text: Text) -> list[NameHit]:
        """Names a rejection is about: "❌ `tags` ...", or a name next to "table" ("`tags` table")."""
        hits = quoted_names(text) or self._bold_names(text)
        if text.text.lstrip().startswith("❌"):
            return hits[:1]
        out = []
        for hit in hits:
            start, end = hit.col - text.col, hit.end_col - text.col
            around = text.text[max(0, start - 12) : start] + " " + text.text[end : end + 12]
            if re.search(r"(?i)\btab(le|el\w*)\b", around):
                out.append(hit)
        return out

    @staticmethod
    def _bold_names(text: Text) -> list[NameHit]:
        return [
            NameHit(normalise(m.group("n")), text.line, text.at(m.start("n")), text.at(m.end("n")), False)
            for m in _BOLD.finditer(text.text)
        ]

    def _fence_definitions(self, index: int, fence: Fence, sections: Sections) -> None:
        facts = self.fence_sql(index, fence)
        for enum in facts.enums:
            self.builder.add_enum(PlanEnum(enum.name, enum.values, enum.location))
            self.types.add(enum.name)
        for table in facts.tables:
            if table.partition_of:
                continue
            frame = sections.top
            if frame is not None and frame.defines == table.name:
                name = table.name
            else:
                name = self.builder.define(table.name, table.location).name
            for c in table.columns:
                self.builder.add_column(
                    name,
                    PlanColumn(
                        c.name,
                        c.location,
                        c.type,
                        c.nullable,
                        c.default,
                        c.references,
                        c.primary_key,
                        c.unique,
                    ),
                )
                self.column_lines.add(c.location.range.line)
            if table.primary_key:
                self.builder.set_primary_key(name, table.primary_key)
