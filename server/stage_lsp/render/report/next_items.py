"""The next three work items of the current stage, each with a small definition of done from the plan.

Order (the stage workflow's): a table and its row-level security before the endpoints that use it;
planned-but-missing before drift; then the plan's own order. Endpoints are grouped by resource (their first
path segment after the base path), the workflow's "set of endpoints in one area".
"""

from __future__ import annotations

from collections import OrderedDict

from stage_lsp.context import CheckContext
from stage_lsp.plan.model import PlanEndpoint, PlanTable
from stage_lsp.render.report.model import Item, StageSummary, WorkItem
from stage_lsp.rules._tables import table_key

MAX_ITEMS = 3


def _resource(label: str) -> str:
    path = label.split(" ", 1)[1] if " " in label else label
    segments = [s for s in path.split("/") if s and s not in ("api", "v1", "v2") and not s.startswith("{")]
    return segments[0] if segments else path


def _table_done(t: PlanTable) -> tuple[str, ...]:
    done = (
        [f"`create table {t.name}` with columns " + ", ".join(f"`{c.name}`" for c in t.columns)]
        if t.columns
        else [f"`create table {t.name}`"]
    )
    if t.rls or t.policies:
        done.append("row-level security enabled")
    if t.policies:
        done.append(
            "policies: "
            + ", ".join(f"{p.command}" + (f" to {', '.join(p.roles)}" if p.roles else "") for p in t.policies)
        )
    if t.indexes:
        done.append("indexes: " + ", ".join(f"({', '.join(i.columns)})" for i in t.indexes))
    return tuple(done)


def _endpoint_done(e: PlanEndpoint) -> tuple[str, ...]:
    done = [f"`{e.method} {e.path}` is served"]
    success = sorted({s.code for s in e.statuses if s.is_success})
    errors = sorted({s.code for s in e.statuses if not s.is_success})
    if success or errors:
        answers = "/".join(str(c) for c in success) if success else "2xx"
        done.append(
            f"answers {answers}" + (f"; errors {', '.join(str(c) for c in errors)}" if errors else "")
        )
    if e.request_fields:
        done.append("accepts " + ", ".join(f"`{f.name}`" for f in e.request_fields))
    if e.response_fields:
        done.append("returns " + ", ".join(f"`{f.name}`" for f in e.response_fields))
    if e.error_codes:
        done.append("error codes " + ", ".join(sorted({f"`{c.code}`" for c in e.error_codes})))
    if e.idempotency_key:
        done.append("honours `Idempotency-Key`")
    if e.limit_max:
        done.append(f"page size limited to {e.limit_max}")
    return tuple(done)


def next_work_items(ctx: CheckContext, stage: StageSummary) -> tuple[WorkItem, ...]:
    tables = {table_key(t.name): t for t in ctx.plan.tables}
    endpoints = {f"{e.method} {e.path}": e for e in ctx.plan.endpoints}
    items = sorted(stage.items, key=lambda i: i.order)
    work: list[tuple[int, int, WorkItem]] = []

    def by_table(status: str, areas: tuple[str, ...]) -> OrderedDict[str, list[Item]]:
        groups: OrderedDict[str, list[Item]] = OrderedDict()
        for i in items:
            if i.area in areas and i.status == status:
                groups.setdefault(table_key(i.label.split(":")[0]), []).append(i)
        return groups

    for name, group in by_table("missing", ("tables",)).items():
        t = tables.get(name)
        work.append(
            (
                0,
                group[0].order,
                WorkItem(
                    f"Create table `{name}` with row-level security",
                    "create table",
                    _table_done(t) if t else (),
                    group[0].plan,
                    (name,),
                ),
            )
        )
    missing_tables = {w.items[0] for _, _, w in work}
    for name, group in by_table("missing", ("policies",)).items():
        if name in missing_tables:
            continue
        done = tuple(f"policy {i.label.split(': ', 1)[1]} on `{name}` as planned" for i in group)
        work.append(
            (
                1,
                group[0].order,
                WorkItem(
                    f"Add the planned policies of `{name}`", "secure table", done, group[0].plan, (name,)
                ),
            )
        )
    for name, group in by_table("drifted", ("policies",)).items():
        done = tuple(sorted({m for i in group for _, m in i.findings}))
        work.append(
            (
                1,
                group[0].order,
                WorkItem(f"Fix row-level security of `{name}`", "secure table", done, group[0].plan, (name,)),
            )
        )
    resources: OrderedDict[str, list[Item]] = OrderedDict()
    for i in items:
        if i.area == "endpoints" and i.status == "missing":
            resources.setdefault(_resource(i.label), []).append(i)
    for group in resources.values():
        steps: list[str] = []
        for i in group:
            e = endpoints.get(i.label)
            steps.extend(_endpoint_done(e) if e else (f"`{i.label}` is served",))
        labels = ", ".join(f"`{i.label}`" for i in group)
        work.append(
            (
                2,
                group[0].order,
                WorkItem(
                    f"Implement {labels}",
                    "implement endpoints",
                    tuple(steps),
                    group[0].plan,
                    tuple(i.label for i in group),
                ),
            )
        )
    for name, group in by_table("drifted", ("tables",)).items():
        done = tuple(sorted({m for i in group for _, m in i.findings}))
        work.append(
            (
                3,
                group[0].order,
                WorkItem(f"Align table `{name}` with the plan", "fix drift", done, group[0].plan, (name,)),
            )
        )
    drifted: OrderedDict[str, list[Item]] = OrderedDict()
    for i in items:
        if i.area in ("endpoints", "statuses", "fields") and i.status == "drifted":
            drifted.setdefault(_resource(i.label), []).append(i)
    for group in drifted.values():
        done = tuple(sorted({m for i in group for _, m in i.findings}))
        labels = ", ".join(dict.fromkeys(f"`{i.label}`" for i in group))
        work.append(
            (
                4,
                group[0].order,
                WorkItem(
                    f"Fix drift in {labels}",
                    "fix drift",
                    done,
                    group[0].plan,
                    tuple(dict.fromkeys(i.label for i in group)),
                ),
            )
        )
    work.sort(key=lambda w: (w[0], w[1]))
    return tuple(w for _, _, w in work[:MAX_ITEMS])
