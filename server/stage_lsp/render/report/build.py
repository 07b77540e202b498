"""Computing the stage report from the models and the engine's findings.

Each planned item is classified per area: `missing` (the engine reports it missing), `drifted` (the engine
reports another finding about it), `implemented` (present and no finding), or `later` (missing, but placed
in a stage after the current one). Areas: endpoints (SL101/SL103/SL104), statuses and error codes (SL2xx),
fields and stated requirements (SL3xx), tables (SL401-SL406), RLS policies (SL501-SL506), and the
project's checkable rules (SL6xx findings that cite them). Without a stage plan everything is one
implicit stage; plan items that the stage plan does not list form a "Not in the stage plan" section.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location
from stage_lsp.core.violation import Violation
from stage_lsp.plan.model import PlanEndpoint, PlanTable
from stage_lsp.render.report.model import Item, Report, StageSummary, Status, WorkItem
from stage_lsp.render.report.next_items import next_work_items
from stage_lsp.rules._endpoints import current_stage, match_endpoints
from stage_lsp.rules._tables import SUPABASE_SCHEMAS, match_tables, table_key

ENDPOINT_CODES = ("SL101", "SL103", "SL104")


def _findings_by_entity(violations: Iterable[Violation]) -> dict[str, list[Violation]]:
    out: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        for key in v.entity[:2]:
            out[key].append(v)
    return out


def _status(
    findings: Sequence[Violation], missing_codes: tuple[str, ...], present: bool, later: bool
) -> Status:
    if any(v.code in missing_codes for v in findings) or not present:
        return "later" if later else "missing"
    return "drifted" if findings else "implemented"


def _pairs(findings: Sequence[Violation]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted({(v.code, v.message) for v in findings}))


def _endpoint_items(
    ctx: CheckContext, by_entity: dict[str, list[Violation]], current: int | None
) -> list[Item]:
    match = match_endpoints(ctx)
    served = {e.key: r for e, r in match.pairs}
    drift_routes = {e.key: r for e, r in (*match.method_drift, *match.path_drift)}
    items: list[Item] = []
    for order, e in enumerate(ctx.plan.endpoints):
        if e.external:
            continue
        later = _is_later(e.stage, current) or e.post_mvp or e.optional
        route = served.get(e.key) or drift_routes.get(e.key)
        code = route.location if route else None
        all_findings = by_entity.get(e.key, [])
        label = f"{e.method} {e.path}"
        stories = e.user_stories
        present = route is not None
        area_codes = (
            ("endpoints", lambda c: c in ENDPOINT_CODES),
            ("statuses", lambda c: c.startswith("SL2")),
            ("fields", lambda c: c.startswith("SL3")),
        )
        for area, wanted in area_codes:
            if area == "statuses" and not (e.statuses or e.error_codes):
                continue
            if area == "fields" and not (
                e.request_fields or e.response_fields or e.idempotency_key or e.limit_max
            ):
                continue
            findings = [v for v in all_findings if wanted(v.code)]
            status = _status(findings, ("SL101",), present, later)
            items.append(Item(area, label, status, e.location, code, _pairs(findings), stories, order))
    return items


def _is_later(stage: int | None, current: int | None) -> bool:
    return stage is not None and current is not None and stage > current


def _table_items(ctx: CheckContext, by_entity: dict[str, list[Violation]], current: int | None) -> list[Item]:
    tables = match_tables(ctx)
    actual = {table_key(p.name): a for p, a in tables.pairs}
    items: list[Item] = []
    for order, t in enumerate(ctx.plan.tables):
        key = table_key(t.name)
        if t.rejected or key.startswith(SUPABASE_SCHEMAS):
            continue
        real = actual.get(key)
        later = _is_later(t.stage, current)
        findings = by_entity.get(key, [])
        table_findings = [v for v in findings if v.code.startswith("SL4")]
        code = real.location if real else None
        items.append(
            Item(
                "tables",
                t.name,
                _status(table_findings, ("SL401",), real is not None, later),
                t.location,
                code,
                _pairs(table_findings),
                (),
                1000 + order,
            )
        )
        items.extend(_policy_items(t, real is not None, findings, later, code, 1000 + order))
    return items


def _policy_items(
    t: PlanTable, exists: bool, findings: Sequence[Violation], later: bool, code: Location | None, order: int
) -> list[Item]:
    rls_off = [v for v in findings if v.code == "SL501"]
    out: list[Item] = []
    for p in t.policies:
        own = [
            v
            for v in findings
            if v.code.startswith("SL5") and len(v.entity) > 1 and v.entity[1] in (p.command, "all")
        ]
        status = _status([*own, *rls_off], ("SL503",), exists, later)
        roles = f" ({', '.join(p.roles)})" if p.roles else ""
        out.append(
            Item(
                "policies",
                f"{t.name}: {p.command}{roles}",
                status,
                p.location,
                code,
                _pairs([*own, *rls_off]),
                (),
                order,
            )
        )
    return out


# Which rules enforce each kind of project rule (plan/project_rules.py); kinds no rule checks are not listed.
ENFORCED_BY = {
    "prerender": ("SL601",),
    "locals-supabase": ("SL602",),
    "services": ("SL603",),
    "migration-name": ("SL604",),
    "zod": ("SL313",),
    "granular-policies": ("SL505",),
}


def _project_rule_items(ctx: CheckContext, violations: Sequence[Violation], active: set[str]) -> list[Item]:
    items: list[Item] = []
    for order, rule in enumerate(ctx.plan.project_rules):
        codes = [c for c in ENFORCED_BY.get(rule.kind, ()) if c in active]
        if not codes:
            continue
        cites = [v for v in violations if v.code in codes]
        status: Status = "drifted" if cites else "implemented"
        label = rule.text.lstrip("-* ").replace("`", "").strip()
        items.append(
            Item("project rules", label, status, rule.location, None, _pairs(cites), (), 2000 + order)
        )
    return items


def _stage_of(item: Item, endpoints: dict[str, PlanEndpoint], tables: dict[str, PlanTable]) -> int | None:
    if item.area in ("tables", "policies"):
        t = tables.get(table_key(item.label.split(":")[0]))
        return t.stage if t else None
    e = endpoints.get(item.label)
    return e.stage if e else None


def build_report(
    ctx: CheckContext,
    violations: Sequence[Violation],
    root: str,
    stage: int | None = None,
    active_codes: Iterable[str] | None = None,
) -> Report:
    """`active_codes`: the rules that ran (project rules no active rule enforces are left out)."""
    stages = ctx.plan.stages
    current = stage if stage is not None else current_stage(ctx)
    if stages and current is None:
        current = stages[0].number
    by_entity = _findings_by_entity(violations)
    items = _endpoint_items(ctx, by_entity, current) + _table_items(ctx, by_entity, current)
    active = (
        set(active_codes)
        if active_codes is not None
        else {c for codes in ENFORCED_BY.values() for c in codes}
    )
    rules = _project_rule_items(ctx, violations, active)
    if not stages:
        summary = StageSummary(1, "All planned work", True, True, tuple(items + rules))
        return Report(root, (summary,), 1, next_work_items(ctx, summary))
    endpoints = {f"{e.method} {e.path}": e for e in ctx.plan.endpoints}
    tables = {table_key(t.name): t for t in ctx.plan.tables}
    grouped: dict[int | None, list[Item]] = defaultdict(list)
    for item in items:
        grouped[_stage_of(item, endpoints, tables)].append(item)
    summaries = []
    for s in stages:
        extra = rules if s.number == current else []
        summaries.append(
            StageSummary(
                s.number, s.title, False, s.number == current, tuple(grouped.get(s.number, []) + extra)
            )
        )
    if grouped.get(None):
        summaries.append(StageSummary(0, "Not in the stage plan", True, False, tuple(grouped[None])))
    chosen = next((s for s in summaries if s.current), summaries[0])
    if stage is not None:
        summaries = [s for s in summaries if s.number == stage]
    return Report(root, tuple(summaries), current, next_work_items(ctx, chosen))


__all__ = ["WorkItem", "build_report"]
