"""Helpers for the API plan reader tests: read inline plan text, find endpoints by key."""

from __future__ import annotations

from stage_lsp.core.location import Range
from stage_lsp.core.source import SourceFile
from stage_lsp.plan.api_reader import read_api_plan
from stage_lsp.plan.model import ApiPlanDoc, PlanEndpoint

PLAN = ".ai/api-plan.md"


def read(text: str, files: dict[str, str] | None = None, rel: str = PLAN) -> ApiPlanDoc:
    """Read `text` as the plan `rel`; `files` are other project files the plan may link."""
    others = files or {}

    def load(target: str) -> SourceFile | None:
        body = others.get(target)
        return SourceFile.from_text(target, body) if body is not None else None

    return read_api_plan(SourceFile.from_text(rel, text), load if files is not None else None)


def keys(doc: ApiPlanDoc) -> list[str]:
    return [e.key for e in doc.endpoints]


def one(doc: ApiPlanDoc, key: str) -> PlanEndpoint:
    found = [e for e in doc.endpoints if e.key == key]
    assert len(found) == 1, f"{key}: {keys(doc)}"
    return found[0]


def where(e: PlanEndpoint) -> Range:
    return e.location.range
