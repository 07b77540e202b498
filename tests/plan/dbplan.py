"""Helpers for the db-plan reader tests: read inline text, look tables up, compact views."""

from __future__ import annotations

from stage_lsp.core.location import Range
from stage_lsp.core.source import SourceFile
from stage_lsp.plan.db_reader import read_db_plan
from stage_lsp.plan.model import DbPlanDoc, PlanTable

REL = ".ai/db-plan.md"


def read(text: str, rel: str = REL) -> DbPlanDoc:
    return read_db_plan(SourceFile.from_text(rel, text))


def table(doc: DbPlanDoc, name: str) -> PlanTable:
    found = [t for t in doc.tables if t.name == name]
    assert len(found) == 1, f"{name}: {[t.name for t in doc.tables]}"
    return found[0]


def names(doc: DbPlanDoc) -> list[str]:
    return [t.name for t in doc.tables if not t.rejected]


def commands(t: PlanTable) -> set[str]:
    return {p.command for p in t.policies}


def index_columns(t: PlanTable) -> set[tuple[str, ...]]:
    return {i.columns for i in t.indexes}


def rng(line: int, col: int, end_col: int, end_line: int | None = None) -> Range:
    return Range(line, col, line if end_line is None else end_line, end_col)
