"""Assemble per-file plan documents into the project's PlanModel."""

from __future__ import annotations

from collections.abc import Iterable

from stage_lsp.core.issue import ReaderIssue
from stage_lsp.plan.model import ApiPlanDoc, DbPlanDoc, PlanModel, PrdDoc, StagePlanDoc


def assemble_plan(
    api_docs: Iterable[ApiPlanDoc],
    db_docs: Iterable[DbPlanDoc] = (),
    stage_docs: Iterable[StagePlanDoc] = (),
    prd_docs: Iterable[PrdDoc] = (),
    extra_issues: Iterable[ReaderIssue] = (),
) -> PlanModel:
    api = list(api_docs)
    db = list(db_docs)
    stages = list(stage_docs)
    prds = list(prd_docs)
    base = next((d for d in api if d.base_path), None)
    issues: list[ReaderIssue] = list(extra_issues)
    for docs in (api, db, stages, prds):
        for doc in docs:
            issues.extend(doc.issues)
    return PlanModel(
        api_files=tuple(d.file for d in api),
        db_files=tuple(d.file for d in db),
        endpoints=tuple(e for d in api for e in d.endpoints),
        base_path=base.base_path if base else None,
        base_path_location=base.base_path_location if base else None,
        common_statuses=tuple(s for d in api for s in d.common_statuses),
        common_error_codes=tuple(c for d in api for c in d.common_error_codes),
        tables=tuple(t for d in db for t in d.tables),
        enums=tuple(e for d in db for e in d.enums),
        stages=tuple(s for d in stages for s in d.stages),
        user_stories=tuple(u for d in prds for u in d.user_stories),
        issues=tuple(issues),
    )
