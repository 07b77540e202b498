r"""Pass 2 of the db reader: what the plan says about its tables: indexes, RLS on/off, policies.

Context decides which table a sentence is about: a bullet that names tables (`- **profiles**`,
`- Dla tabeli \`households\`:`), else the nearest heading that names tables (`### Tabela: profiles`,
`#### 4.3 RLS – tabele domenowe (\`a\`, \`b\`)`). A sentence with commands and a predicate but no
table in an RLS section applies to the tables that section switched RLS on for ("RLS włączone dla: ...",
"Active for all tables related to `user_id`"). Markdown tables of policies (`| Polityka | Operacja |
Warunek |`) and of indexes (`| Nazwa | Kolumny |`) are read too; SQL fences give the rest.
"""

from __future__ import annotations

import re

from stage_lsp.core.issue import ReaderIssue
from stage_lsp.plan.db.decisions import TagState
from stage_lsp.plan.db.document import NAME_ONLY, BulletCtx, DbDocument, pop_bullets
from stage_lsp.plan.db.indexes import parse_index_line
from stage_lsp.plan.db.lexicon import HEDGE, INDEX_WORD, MAYBE, OPTIONAL
from stage_lsp.plan.db.md_tables import PolicyRow, read_table
from stage_lsp.plan.db.names import IDENT, definition_name, mentioned_tables, normalise
from stage_lsp.plan.db.rls import PolicyHit, parse_policy_line
from stage_lsp.plan.db.rls_toggle import RlsToggle, parse_toggle
from stage_lsp.plan.db.sections import Frame, Sections, label_of, pseudo_heading
from stage_lsp.plan.db.sql_fence import canonical_predicate, looks_like_sql
from stage_lsp.plan.model import Confidence, PlanIndex
from stage_lsp.plan.outline import Fence, Heading, Para, PipeTable, Text

_PROCEDURAL = re.compile(
    r"(?im)^\s*(if\b.*\bthen\b|end\s+if\b|elsif\b|raise\s+(exception|notice)\b|return\s+(new|old|null)\b|"
    r"declare\b|new\.\w+\s*:?=)"
)


class IntentPass(DbDocument):
    def intent(self) -> None:
        """Pass 2: indexes, RLS switches and policies, now that every table name is known."""
        sections = Sections()
        tags = TagState()
        bullets: list[BulletCtx] = []
        known = self.known()
        for index, item in enumerate(self.items):
            if isinstance(item, Heading):
                frame = sections.push(item.level, item.text, definition_name(item.text) is not None)
                frame.tables = tuple(dict.fromkeys(h.name for h in mentioned_tables(item.text, known)))
                bullets.clear()
                continue
            if sections.kind == "future":
                continue
            if isinstance(item, Para):
                tags.feed(item)
                if tags.skip:
                    continue
                pseudo = pseudo_heading(item)
                if pseudo is not None:
                    sections.push(1, Text(item.line, item.first.col, pseudo), False)
                    bullets.clear()
                    continue
                self._para_intent(index, item, sections, bullets, known)
            elif isinstance(item, PipeTable):
                self._table_intent(item, sections, bullets, known)
            elif isinstance(item, Fence) and looks_like_sql(item.info, item.body):
                self._fence_intent(index, item, sections, known)

    def _context(self, sections: Sections, bullets: list[BulletCtx], depth: int) -> tuple[str, ...]:
        for ctx in reversed(bullets):
            if ctx.depth < depth and ctx.tables:
                return ctx.tables
        return sections.context_tables()

    def _para_intent(
        self, index: int, para: Para, sections: Sections, bullets: list[BulletCtx], known: frozenset[str]
    ) -> None:
        frame = sections.top
        pop_bullets(bullets, para.depth)
        first = para.first
        label = None if first.line in self.column_lines else label_of(first.text)
        if frame is not None:
            frame.see(para, label)
        context = self._context(sections, bullets, para.depth)
        # a bullet that names tables (`- **profiles**`, `- \`weekly_reports\``, `- users:`) gives them to its children
        nxt = self.next_item(index)
        opens_list = isinstance(nxt, Para) and nxt.bullet and nxt.depth > para.depth
        if label is not None and label[0] == "other":
            return
        if para.bullet and opens_list and para.lines[-1].text.rstrip().rstrip("*_").endswith(":"):
            # "- Polityki (dla każdej tabeli `a`, `b`):" / "- Dla tabeli `households`:": an introduction
            named = tuple(
                dict.fromkeys(h.name for h in mentioned_tables(first, known, skip_code_predicates=False))
            )
            named = named or self._bullet_names(first, known)
            bullets.append(BulletCtx(para.depth, named, hedged=bool(MAYBE.search(first.text))))
            if sections.kind == "rls" or (frame is not None and frame.label == "rls"):
                toggle = parse_toggle(first, known, in_rls_section=True)
                if toggle is not None:
                    self._apply_toggle(toggle, context, sections, frame)
                else:  # "- **Polityka SELECT** (dla roli aplikacyjnej):" is itself a statement
                    for hit in parse_policy_line(first, known):
                        if hit.label:
                            self._apply_policy(hit, context, sections, sections.hedged, section_level=False)
            return
        if para.bullet:
            named = self._bullet_names(first, known)
            if named:
                bullets.append(BulletCtx(para.depth, named))
                rest = re.sub(r"^[^:—–]*[:—–]\s*", "", first.text) if re.search(r"[:—–]", first.text) else ""
                if not rest.strip():
                    return
        intro = isinstance(nxt, Fence) and para.lines[-1].text.rstrip().endswith(":")
        kind = sections.kind
        label_kind = frame.label if frame is not None else None
        for text in para.lines:
            if text.line in self.column_lines:
                continue
            line_label = label_of(text.text)
            effective = label_kind if label_kind in ("rls", "indexes") else kind
            if line_label is not None and line_label[0] in ("rls", "indexes") and not line_label[1]:
                continue
            if effective == "rls" or (line_label is not None and line_label[0] == "rls"):
                if not intro:
                    self._rls_line(
                        text, sections, context, known, frame, bullets, section_level=kind == "rls"
                    )
                continue
            if kind in ("relations", "functions", "views", "enums"):
                continue
            toggle = parse_toggle(text, known, in_rls_section=False)
            if toggle is not None and not intro:
                self._apply_toggle(toggle, context, sections, frame)
                continue
            if effective == "indexes" or (sections.defining() is not None and INDEX_WORD.search(text.text)):
                table = context[0] if len(context) == 1 else None
                for index_hit in parse_index_line(text, known, table, self.builder.columns_of()):
                    self.builder.add_index(
                        index_hit.table,
                        PlanIndex(
                            index_hit.columns,
                            self.loc(index_hit.line, index_hit.col, index_hit.end_col),
                            index_hit.name,
                            index_hit.unique,
                            index_hit.optional,
                            index_hit.method,
                            index_hit.opclasses,
                        ),
                    )

    def _bullet_names(self, text: Text, known: frozenset[str]) -> tuple[str, ...]:
        m = NAME_ONLY.match(text.text)
        if m:
            name = normalise(m.group("a") or m.group("b"))
            return (name,) if name in known else ()
        several = re.match(
            r"^\s*(?P<list>(?:[*`]+[\w.]+[*`]+\s*(?:,|&|\bi\b|\band\b|\boraz\b)?\s*){2,})\s*:?\s*$", text.text
        )
        if several:
            names = tuple(normalise(n) for n in re.findall(r"[*`]+([\w.]+)[*`]+", several.group("list")))
            if names and all(n in known for n in names):
                return names
        head = re.match(rf"^\s*[*`]*(?P<n>(?:{IDENT}\.)?{IDENT})[*`]*\s*(?:\([^)]*\))?\s*:\s*$", text.text)
        if head and normalise(head.group("n")) in known:
            return (normalise(head.group("n")),)
        return ()

    def _rls_line(
        self,
        text: Text,
        sections: Sections,
        context: tuple[str, ...],
        known: frozenset[str],
        frame: Frame | None,
        bullets: list[BulletCtx],
        *,
        section_level: bool,
    ) -> None:
        toggle = parse_toggle(text, known, in_rls_section=True)
        if toggle is not None:
            self._apply_toggle(toggle, context, sections, frame)
            return
        hedged = sections.hedged or bool(HEDGE.search(text.text)) or any(b.hedged for b in bullets)
        for hit in parse_policy_line(text, known):
            self._apply_policy(hit, context, sections, hedged, section_level=section_level)

    def _apply_toggle(
        self, toggle: RlsToggle, context: tuple[str, ...], sections: Sections, frame: Frame | None
    ) -> None:
        where = self.loc(toggle.line, toggle.col, toggle.end_col)
        targets = toggle.tables or (() if toggle.all_tables else context)
        if toggle.hedged:
            for table in targets:
                self.builder.hedge_rls(table)
            return
        if toggle.all_tables and not toggle.tables:
            self.builder.blanket(toggle.enabled, toggle.with_column, where)
            if frame is not None and toggle.enabled:
                frame.targets = tuple(
                    t
                    for t, d in self.builder.tables.items()
                    if "." not in t and (toggle.with_column is None or toggle.with_column in d.columns)
                )
            return
        for table in targets:
            self.builder.set_rls(table, toggle.enabled, where)
        if frame is not None and toggle.enabled and toggle.tables:
            frame.targets = toggle.tables

    def _apply_policy(
        self,
        hit: PolicyHit,
        context: tuple[str, ...],
        sections: Sections,
        hedged: bool,
        *,
        section_level: bool,
    ) -> None:
        where = self.loc(hit.line, hit.col, hit.end_col)
        if hit.analogous:
            source = self.builder.last_policy_table
            if source is None:
                return
            if hit.tables:
                targets = list(hit.tables)
            else:
                targets = [
                    t
                    for t, d in self.builder.tables.items()
                    if "." not in t and (hit.selector_column is None or hit.selector_column in d.columns)
                ]
            self.builder.copy_policies(source, targets, where)
            return
        tables = hit.tables or context
        if not tables and section_level and (hit.using or hit.predicate_in_line):
            tables = sections.rls_targets() or self._enclosing_targets(sections)
        confidence: Confidence = "low" if hedged or not hit.label else "high"
        for table in tables:
            for command in hit.commands:
                self.builder.add_policy(
                    table,
                    command,
                    where,
                    predicate=canonical_predicate(hit.using) if hit.using else None,
                    with_check=canonical_predicate(hit.with_check)
                    if hit.with_check and hit.with_check != hit.using
                    else None,
                    roles=hit.roles,
                    name=hit.name,
                    confidence=confidence,
                )

    @staticmethod
    def _enclosing_targets(sections: Sections) -> tuple[str, ...]:
        for frame in reversed(sections.stack):
            if frame.targets:
                return frame.targets
        return ()

    def _table_intent(
        self, table: PipeTable, sections: Sections, bullets: list[BulletCtx], known: frozenset[str]
    ) -> None:
        context = self._context(sections, bullets, table.depth + 1)
        confidence: Confidence = "low" if sections.hedged else "high"
        for found in read_table(table, known):
            targets = found.tables or context
            if isinstance(found, PolicyRow):
                first, last = found.row[0], found.row[-1]
                where = self.loc(first.line, first.col, last.col + len(last.text))
                for target in targets:
                    for command in found.commands:
                        self.builder.add_policy(
                            target,
                            command,
                            where,
                            predicate=canonical_predicate(found.predicate) if found.predicate else None,
                            name=found.name,
                            confidence=confidence,
                        )
            elif len(targets) == 1:
                cell = found.cell
                where = self.loc(cell.line, cell.col, cell.col + len(cell.text))
                self.builder.add_index(targets[0], PlanIndex(found.columns, where, found.name, found.unique))

    def _fence_intent(self, index: int, fence: Fence, sections: Sections, known: frozenset[str]) -> None:
        facts = self.fence_sql(index, fence)
        hedged = self.fence_hedged(index, sections)
        for rls in facts.rls:
            self.builder.set_rls(rls.table, rls.enabled, rls.location)
        for policy in facts.policies:
            self.builder.add_policy(
                policy.table,
                policy.command,
                policy.location,
                predicate=policy.using,
                with_check=policy.with_check,
                roles=policy.roles,
                name=policy.name,
                confidence="low" if hedged else "high",
                predicate_is_check=False,
            )
        for idx in facts.indexes:
            if idx.table in known:
                optional = _optional_by_comment(fence, idx.location.range.line, idx.location.range.end_line)
                self.builder.add_index(
                    idx.table,
                    PlanIndex(
                        idx.columns, idx.location, idx.name, idx.unique, optional, idx.method, idx.opclasses
                    ),
                )
        if hedged or self._pseudo(fence):
            return
        for error in facts.errors:
            if not error.statement_like:
                continue
            note = "; it was read once per command" if error.recovered else "; this statement was not read"
            self.issues.append(
                ReaderIssue(
                    "SL007",
                    error.location,
                    f"SQL in the plan does not parse: {error.message}{note}",
                    entity=(self.rel, "sql", error.message),
                )
            )

    @staticmethod
    def _pseudo(fence: Fence) -> bool:
        """Not SQL meant to run as written: placeholders (`<table>`, `{table}`, `[your_id]`, `$planId`),
        ellipses, or a PL/pgSQL body
        fragment (`IF ... THEN ... END IF;` outside any `$$` function)."""
        if re.search(r"\.\.\.|…|<[a-z_ ]+>|\{[a-z_]+\}|\[[a-z_ ]+\]|\$[a-z_]\w*", fence.body, re.I):
            return True
        return "$$" not in fence.body and bool(_PROCEDURAL.search(fence.body))


def _optional_by_comment(fence: Fence, first: int, last: int) -> bool:
    """A SQL statement the plan marks optional in its comments: `-- optional` on its lines, or in the
    comment lines right above it (`-- Optional: full-text search`)."""
    lines = fence.body.split("\n")
    start, end = first - fence.body_line, last - fence.body_line
    comments = [line.partition("--")[2] for line in lines[max(start, 0) : end + 1] if "--" in line]
    above = start - 1
    while 0 <= above < len(lines) and lines[above].lstrip().startswith("--"):
        comments.append(lines[above])
        above -= 1
    return any(OPTIONAL.search(c) for c in comments)
