"""Assemble per-file plan documents into the project's PlanModel.

Tables that several db documents define (a plan and the per-table files it links) are merged by name;
stages are assigned to endpoints and tables (`plan.stages`), and user stories are linked to the endpoints
their text names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from stage_lsp.core.issue import ReaderIssue
from stage_lsp.plan.model import (
    ApiPlanDoc,
    DbPlanDoc,
    PlanDocument,
    PlanEndpoint,
    PlanModel,
    PlanTable,
    PrdDoc,
    StagePlanDoc,
    UserStory,
)
from stage_lsp.plan.stages import assign_stages, implicit_stage


def _merge_tables(docs: list[DbPlanDoc]) -> tuple[PlanTable, ...]:
    merged: dict[str, PlanTable] = {}
    for doc in docs:
        for table in doc.tables:
            known = merged.get(table.name)
            if known is None:
                merged[table.name] = table
                continue
            names = {c.name for c in known.columns}
            index_keys = {i.columns for i in known.indexes}
            merged[table.name] = replace(
                known,
                columns=known.columns + tuple(c for c in table.columns if c.name not in names),
                rls=known.rls if known.rls is not None else table.rls,
                rls_location=known.rls_location if known.rls is not None else table.rls_location,
                policies=known.policies + table.policies,
                indexes=known.indexes + tuple(i for i in table.indexes if i.columns not in index_keys),
                rejected=known.rejected and table.rejected,
            )
    return tuple(merged.values())


def _mentioned(endpoint: PlanEndpoint, refs: Mapping[str, tuple[tuple[int, str], ...]]) -> tuple[str, ...]:
    """Stories the plan mentions inside the endpoint's section (or on its definition line)."""
    where = endpoint.section or endpoint.location
    lines = refs.get(where.file, ())
    return tuple(sid for line, sid in lines if where.range.line <= line <= where.range.end_line)


def _link_stories(
    endpoints: tuple[PlanEndpoint, ...],
    stories: tuple[UserStory, ...],
    refs: Mapping[str, tuple[tuple[int, str], ...]],
) -> tuple[PlanEndpoint, ...]:
    """A story names the endpoint (PRD side), or the plan mentions the story in the endpoint's section."""
    if not stories and not refs:
        return endpoints
    out = []
    for endpoint in endpoints:
        linked = _mentioned(endpoint, refs) + tuple(s.id for s in stories if endpoint.key in s.endpoints)
        extra = tuple(dict.fromkeys(s for s in linked if s not in endpoint.user_stories))
        out.append(replace(endpoint, user_stories=endpoint.user_stories + extra) if extra else endpoint)
    return tuple(out)


def assemble_plan(
    api_docs: Iterable[ApiPlanDoc],
    db_docs: Iterable[DbPlanDoc] = (),
    stage_docs: Iterable[StagePlanDoc] = (),
    prd_docs: Iterable[PrdDoc] = (),
    extra_issues: Iterable[ReaderIssue] = (),
    *,
    stage: int | None = None,
    documents: Iterable[PlanDocument] = (),
    db_files: Iterable[str] | None = None,
    story_refs: Mapping[str, tuple[tuple[int, str], ...]] | None = None,
) -> PlanModel:
    api = list(api_docs)
    db = list(db_docs)
    stages_docs = list(stage_docs)
    prds = list(prd_docs)
    base = next((d for d in api if d.base_path), None)
    issues: list[ReaderIssue] = list(extra_issues)
    for docs in (api, db, stages_docs, prds):
        for doc in docs:
            issues.extend(doc.issues)
    stories = tuple(u for d in prds for u in d.user_stories)
    endpoints = _link_stories(tuple(e for d in api for e in d.endpoints), stories, story_refs or {})
    tables = _merge_tables(db)
    stages = tuple(s for d in stages_docs for s in d.stages)
    current = stage
    if stages:
        endpoints, tables = assign_stages(endpoints, tables, stages)
    elif endpoints or tables:
        anchor = endpoints[0].location if endpoints else tables[0].location
        stages = (implicit_stage(endpoints, tables, anchor),)
        endpoints = tuple(replace(e, stage=1) if e.stage is None else e for e in endpoints)
        tables = tuple(replace(t, stage=1) if t.stage is None and not t.rejected else t for t in tables)
        current = stage if stage is not None else 1
    return PlanModel(
        api_files=tuple(d.file for d in api),
        db_files=tuple(db_files) if db_files is not None else tuple(d.file for d in db),
        endpoints=endpoints,
        base_path=base.base_path if base else None,
        base_path_location=base.base_path_location if base else None,
        common_statuses=tuple(s for d in api for s in d.common_statuses),
        common_error_codes=tuple(c for d in api for c in d.common_error_codes),
        tables=tables,
        enums=tuple(e for d in db for e in d.enums),
        stages=stages,
        current_stage=current,
        user_stories=stories,
        issues=tuple(issues),
        documents=tuple(documents),
    )
