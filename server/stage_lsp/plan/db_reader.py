"""DB plan reader: tables, columns, enums, indexes and RLS intent of a db-plan document.

Every notation of the corpus (FORMATS.md section b) is read: markdown column tables with English and
Polish headers, bullet columns in all their sub-styles, SQL DDL in fences (through the shared SQL layer),
prose and decision lists. Two passes over the document's outline (`plan.db.definitions`, then
`plan.db.intent`): the first finds the tables and their columns, the second what the plan says about
them (indexes, RLS switches, policies), which needs every table name, wherever it is defined. Damaged
documents (SL004) are repaired first; SQL that does not parse is reported (SL007) unless it is hedged
pseudo-code.
"""

from __future__ import annotations

from stage_lsp.core.source import SourceFile
from stage_lsp.plan.damage import repair
from stage_lsp.plan.db.definitions import DefinitionsPass
from stage_lsp.plan.db.intent import IntentPass
from stage_lsp.plan.model import DbPlanDoc
from stage_lsp.plan.outline import outline


class _Reader(DefinitionsPass, IntentPass):
    pass


def read_db_plan(src: SourceFile) -> DbPlanDoc:
    """Read one db-plan file; never raises on its text."""
    repaired = repair(src.rel, src.text, readable=not src.problem)
    reader = _Reader(src.rel, outline(repaired.text))
    reader.definitions()
    reader.intent()
    tables, enums = reader.builder.finish()
    return DbPlanDoc(
        file=src.rel,
        tables=tables,
        enums=enums,
        issues=tuple(repaired.issues) + tuple(reader.issues),
        linked_files=tuple(reader.links),
    )
