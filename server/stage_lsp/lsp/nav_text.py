"""Words of navigation: hover markdown and code-lens titles, from a snapshot's links. No pygls here.

A handler's hover shows its planned contract (methods, statuses, error codes, request and response
fields, query parameters, stage, user stories); a plan entity's hover shows where it is implemented.
Lines are 1-based in text meant for people (`.ai/api-plan.md:42`), like the CLI's output.
"""

from __future__ import annotations

from collections.abc import Iterable

from stage_lsp.code.model import Route, SchemaColumn, SchemaIndex, SchemaPolicy, SchemaTable
from stage_lsp.core.location import Location
from stage_lsp.engine.links import Anchor, Entity, LinkIndex, RouteLink
from stage_lsp.lsp.nav_state import NavSnapshot
from stage_lsp.plan.model import (
    PlanColumn,
    PlanEndpoint,
    PlanField,
    PlanIndex,
    PlanPolicy,
    PlanTable,
    StageItem,
)

METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ALL")
ALWAYS_POSSIBLE = frozenset({500})  # = rules._contracts.ALWAYS_POSSIBLE: any handler can answer 500


def where(loc: Location) -> str:
    return f"{loc.file}:{loc.range.line + 1}"


def methods(names: Iterable[str]) -> list[str]:
    unique = set(names)
    return sorted(unique, key=lambda m: (METHOD_ORDER.index(m) if m in METHOD_ORDER else 99, m))


def _code(names: Iterable[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def _fields(fields: tuple[PlanField, ...], partial: bool) -> str:
    out = []
    for f in fields:
        hint = f": {f.type_hint}" if f.type_hint else ""
        req = " (required)" if f.required and "required" not in hint.lower() else ""
        out.append(f"`{f.name}`{hint}{req}")
    return ", ".join(out) + (", …" if partial else "")


def label(e: PlanEndpoint) -> str:
    return f"{e.method} {e.path}"


def contract(e: PlanEndpoint, links: LinkIndex) -> list[str]:
    """The planned contract of an endpoint as markdown lines."""
    head = f"**{label(e)}**"
    if e.title:
        head += f" — {e.title}"
    lines = [head, "", f"Planned at `{where(e.def_location or e.location)}`"]
    if e.stage is not None:
        lines[-1] += f" · stage {e.stage}"
    for story in links.stories_of(e):
        lines[-1] += f" · user story {story.id}: {story.title}"
    lines.append("")
    path = e.key.split(" ", 1)[1]
    same_path = methods(x.method for x in links.endpoints if x.key.split(" ", 1)[1] == path)
    lines.append(f"- Methods planned at `{e.path}`: {', '.join(same_path)}")
    if e.statuses:
        lines.append(f"- Statuses: {', '.join(str(c) for c in e.status_codes)}")
    if e.error_codes:
        codes = [f"`{c.code}`" + (f" ({c.status})" if c.status else "") for c in e.error_codes]
        lines.append(f"- Error codes: {', '.join(codes)}")
    if e.request_fields:
        lines.append(f"- Request fields: {_fields(e.request_fields, e.request_fields_partial)}")
    if e.response_fields:
        lines.append(f"- Response fields: {_fields(e.response_fields, e.response_fields_partial)}")
    if e.query_params:
        lines.append(f"- Query parameters: {_fields(e.query_params, False)}")
    if e.idempotency_key is not None:
        lines.append("- Requires an `Idempotency-Key` header")
    if e.limit_max is not None:
        lines.append(f"- Page size at most {e.limit_max}")
    if e.external:
        lines.append("- Served outside the app (Supabase or another host)")
    elif e.post_mvp or e.optional:
        lines.append("- Optional or after the MVP: not expected in the code yet")
    return lines


def _drift(link: RouteLink) -> str:
    if link.kind == "method-drift":
        return f" (served as {link.route.method}: the method differs, SL103)"
    if link.kind == "path-drift":
        return f" (served at `{link.route.path}`: the path differs, SL104)"
    return ""


def implemented_at(e: PlanEndpoint, links: LinkIndex) -> list[str]:
    state = links.endpoint_state(e)
    if state == "implemented":
        return [
            f"Implemented in `{where(link.route.location)}` ({link.route.method}){_drift(link)}"
            for link in links.routes_of(e)
        ]
    return [_not_implemented(e, state)]


def _not_implemented(e: PlanEndpoint, state: str) -> str:
    return {
        "missing": "Not implemented",
        "later": f"Not implemented yet (stage {e.stage}, after the current one)",
        "external": "Served outside the app (Supabase or another host)",
        "optional": "Optional or after the MVP: not expected in the code yet",
    }.get(state, "Not compared with the code (no route source found, or its route file is unreadable)")


def _policy(p: PlanPolicy | SchemaPolicy) -> str:
    text = f"for {p.command}"
    if p.roles:
        text += f" to {', '.join(p.roles)}"
    if p.using:
        text += f" using ({p.using})"
    if p.with_check:
        text += f" with check ({p.with_check})"
    return text


def _column(c: PlanColumn | SchemaColumn) -> str:
    parts = [f"`{c.name}`"]
    if c.type:
        parts.append(c.type)
    if c.nullable is not None:
        parts.append("null" if c.nullable else "not null")
    return " ".join(parts)


def _table_contract(t: PlanTable) -> list[str]:
    lines = [f"**table {t.name}**", "", f"Planned at `{where(t.location)}`"]
    if t.stage is not None:
        lines[-1] += f" · stage {t.stage}"
    lines.append("")
    if t.columns:
        lines.append(f"- Columns: {', '.join(_column(c) for c in t.columns)}")
    if t.rls is not None:
        lines.append(f"- RLS: {'enabled' if t.rls else 'disabled'}")
    for p in t.policies:
        lines.append(f"- Policy{' ' + p.name if p.name else ''}: `{_policy(p)}`")
    for i in t.indexes:
        lines.append(f"- {'Unique index' if i.unique else 'Index'} on ({', '.join(i.columns)})")
    if t.rejected:
        lines.append("- Rejected by the plan: not wanted")
    return lines


def _entity_hover(entity: Entity, snap: NavSnapshot) -> list[str]:
    links = snap.links
    if isinstance(entity, PlanEndpoint):
        return [f"**{label(entity)}**", "", *implemented_at(entity, links)]
    if isinstance(entity, Route):
        found = links.endpoints_of(entity)
        if not found:  # "not in the plan" only as the rules say it (a redirect, a spec's route: nothing)
            if id(entity) not in links.unplanned:
                return []
            return [f"**{entity.method} {entity.path}**", "", "Not in the plan (SL102)"]
        out: list[str] = []
        for link in found:
            out += [
                *contract(link.endpoint, links),
                *([_drift(link).strip()] if link.kind != "match" else []),
            ]
        return out
    if isinstance(entity, PlanTable):
        tl = links.table_link(entity)
        return [f"**table {entity.name}**", "", _table_state(entity, links)]
    if isinstance(entity, SchemaTable):
        tl = links.table_link(entity)
        if tl is not None:
            return _table_contract(tl.planned)
        return (
            [f"**table {entity.name}**", "", "Not in the plan (SL403)"]
            if id(entity) in links.unplanned_tables
            else []
        )
    if isinstance(entity, PlanPolicy):
        pl = links.policy_link(entity)
        if pl is None:
            return [f"**policy** `{_policy(entity)}`", "", "Its table is not created by the migrations"]
        if not pl.actual:
            return [f"**policy** `{_policy(entity)}`", "", "No migration policy grants it"]
        return [f"**policy** `{_policy(entity)}`", ""] + [
            f"Granted by `{p.name}` in `{where(p.location)}`" for p in pl.actual
        ]
    if isinstance(entity, SchemaPolicy):
        planned = links.planned_policies(entity)
        head = [f"**policy {entity.name}** on `{entity.table}`", ""]
        if not planned:
            return [*head, "Grants no planned policy"] if _table_compared(entity.table, links) else []
        return head + [
            f"Planned at `{where(pl.planned.location)}`: `{_policy(pl.planned)}`" for pl in planned
        ]
    if isinstance(entity, PlanIndex | SchemaIndex):
        columns = ", ".join(entity.columns)
        if isinstance(entity, PlanIndex):
            il = links.index_link(entity)
            found_at = [f"Created in `{where(i.location)}`" for i in il.actual] if il else []
            return [f"**index** on ({columns})", "", *(found_at or ["No migration creates it"])]
        planned_i = links.planned_indexes(entity)
        if not planned_i:
            return []
        return [f"**index** on ({columns})", ""] + [
            f"Planned at `{where(il.planned.location)}`" for il in planned_i
        ]
    if isinstance(entity, PlanColumn | SchemaColumn):
        cl = links.column_link(entity)
        if cl is None:
            return []
        return [
            f"**column {cl.table.name}.{cl.planned.name}**",
            "",
            f"- Planned: {_column(cl.planned)} at `{where(cl.planned.location)}`",
            f"- Migrations: {_column(cl.actual)} at `{where(cl.actual.location)}`",
        ]
    if isinstance(entity, StageItem):
        out_s: list[str] = []
        for target in links.stage_item_entities(entity):
            out_s += [*_entity_hover(target, snap), ""]
        return out_s[:-1]
    return []


def _table_compared(name: str, links: LinkIndex) -> bool:
    """The migrations' table of that name is paired with a planned table whose policies were compared."""
    return any(
        tl.actual.name == name and tl.actual.policies_complete and tl.planned.policies
        for tl in links.table_links
    )


def hover_markdown(anchors: tuple[Anchor, ...], snap: NavSnapshot) -> str | None:
    """Markdown for the anchors at one place (several for an `ALL` handler), or None."""
    blocks: list[str] = []
    for anchor in anchors:
        lines = _entity_hover(anchor.entity, snap)
        text = "\n".join(lines).strip()
        if text and text not in blocks:
            blocks.append(text)
    return "\n\n---\n\n".join(blocks) if blocks else None


# -- code lens titles --------------------------------------------------------------------------------


def _statuses(e: PlanEndpoint, routes: list[Route], around: frozenset[int]) -> str | None:
    """`statuses 4/5`: of the endpoint's own, unconditional planned statuses (those SL202 checks), how many
    the handlers produce (also through middleware; 500 always; planned successes are alternatives, "201 or
    200", unless none of them is produced: that is SL203's success drift). `≥` when some status of a handler is unresolved."""
    planned = sorted({s.code for s in e.statuses if not s.shared and not s.optional})
    if not planned:
        return None
    own = {s.code for r in routes for s in r.statuses}
    produced = own | around | ALWAYS_POSSIBLE
    planned_success = {c for c in planned if 200 <= c < 300}
    served_success = {c for c in own if 200 <= c < 300}
    alternatives = bool(planned_success & served_success)  # else a success drift (SL203): not seen
    seen = sum(1 for c in planned if c in produced or (200 <= c < 300 and alternatives))
    complete = all(r.statuses_complete for r in routes)
    return f"statuses {'' if complete else '≥'}{seen}/{len(planned)}"


def endpoint_lens(e: PlanEndpoint, snap: NavSnapshot) -> str | None:
    """`implemented in src/pages/api/x.ts · GET, POST · statuses 4/5`, or why it is not (nothing when the
    code was not compared)."""
    links = snap.links
    found = links.routes_of(e)
    if not found:
        state = links.endpoint_state(e)
        if state == "unknown":
            return None
        text = _not_implemented(e, state)
        return text[:1].lower() + text[1:]
    files = sorted({link.route.location.file for link in found})
    served = methods(r.method for r in links.routes if r.location.file in files and not r.stub_405)
    parts = [f"implemented in {', '.join(files)}", ", ".join(served)]
    status = _statuses(e, [link.route for link in found], snap.around)
    if status:
        parts.append(status)
    drift = [link for link in found if link.kind != "match"]
    if drift:
        parts.append(_drift(drift[0]).strip(" ()"))
    return " · ".join(parts)


def route_lens(route: Route, links: LinkIndex) -> str | None:
    """`planned at .ai/api-plan.md:42`; `not in the plan` only when the rules report it (SL102)."""
    found = links.endpoints_of(route)
    if found:
        return "planned at " + ", ".join(sorted({where(link.endpoint.location) for link in found}))
    return "not in the plan" if id(route) in links.unplanned else None


def _table_state(table: PlanTable, links: LinkIndex) -> str:
    tl = links.table_link(table)
    if tl is not None:
        rejected = "Rejected by the plan, but created" if table.rejected else "Created"
        return f"{rejected} in `{where(tl.actual.location)}`"
    if id(table) in links.missing_tables:
        return "No migration creates it"
    if table.rejected:
        return "Rejected by the plan: not wanted"
    return "Not compared with the migrations (none read, a later stage, or a Supabase table)"


def table_lens(table: PlanTable, links: LinkIndex) -> str | None:
    """`created in supabase/migrations/x.sql:4`, or `not created by any migration` (SL401); a table the
    plan rejects and a migration creates says so."""
    tl = links.table_link(table)
    if tl is not None:
        rejected = "rejected by the plan, but created" if table.rejected else "created"
        return f"{rejected} in {where(tl.actual.location)}"
    return "not created by any migration" if id(table) in links.missing_tables else None


def schema_table_lens(table: SchemaTable, links: LinkIndex) -> str | None:
    tl = links.table_link(table)
    if tl is None:
        return "not in the plan" if id(table) in links.unplanned_tables else None
    return f"{'rejected' if tl.planned.rejected else 'planned'} at {where(tl.planned.location)}"
