"""Building the link index of one check (engine.links) from the rules' memoised matchings.

Endpoints: `rules._endpoints.match_endpoints` pairs (exact, through a base path) plus its method and path
drift pairs; "missing" and "later" are its staged and raw `missing`. Tables: `rules._tables.match_tables`
pairs (empty while a migration is unreadable). Policies: `rules._policies.covering`, only where the
migrations' policies are complete. Indexes: the column-prefix test of `rules._tables.missing_indexes`.
Columns: by name within a paired table.

The parts that depend only on the plan model or only on the table matching are kept from the last build
while those are the very same objects (`_Kept`): a code edit that leaves the plan and the schema alone
rebuilds the route side only (the language server builds the index after checks, for navigation).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location
from stage_lsp.engine.links import (
    Anchor,
    ColumnLink,
    Entity,
    IndexLink,
    LinkIndex,
    PolicyLink,
    RouteLink,
    TableLink,
)
from stage_lsp.plan.model import PlanTable, StageItem
from stage_lsp.rules._endpoints import match_endpoints, raw_match
from stage_lsp.rules._policies import covering
from stage_lsp.rules._tables import checks_schema, match_tables, table_key

T = TypeVar("T")


class _Kept:
    """The last value of each part of the index, with the objects it was computed from (identity)."""

    def __init__(self) -> None:
        self._parts: dict[str, tuple[tuple[Any, ...], Any]] = {}

    def get(self, part: str, inputs: tuple[Any, ...], compute: Callable[[], T]) -> T:
        last = self._parts.get(part)
        if last is not None and len(last[0]) == len(inputs) and all(map(_is, last[0], inputs)):
            kept: T = last[1]
            return kept
        value = compute()
        self._parts[part] = (inputs, value)  # holds the inputs: their ids cannot be reused meanwhile
        return value


def _is(a: object, b: object) -> bool:
    return a is b


_KEPT = _Kept()


def build_links(ctx: CheckContext) -> LinkIndex:
    """The link index of one check (reuses the rules' memoised matchings of `ctx`)."""
    match = match_endpoints(ctx)
    raw = raw_match(ctx)
    route_links = [RouteLink(e, r, "match") for e, r in match.pairs]
    route_links += [RouteLink(e, r, "method-drift") for e, r in match.method_drift]
    route_links += [RouteLink(e, r, "path-drift") for e, r in match.path_drift]
    routes_read = ctx.code.has_routes_source  # without any, SL101 says nothing (SL106 says why)
    missing = {id(e) for e in match.missing} if routes_read else set()
    later = {id(e) for e in raw.missing if id(e) not in missing} if routes_read else set()

    tables = match_tables(ctx)
    side = _KEPT.get("tables", (tables, ctx.plan.tables), lambda: _table_side(tables, ctx))
    table_links, policy_links, index_links, column_links = side.links
    stage_items = _KEPT.get("stage-items", (ctx.plan,), lambda: _stage_items(ctx))
    uses: dict[str, set[Location]] = defaultdict(set)
    for route in ctx.code.routes:
        for access in route.db_access:
            if access.kind == "from" and access.name:
                uses[table_key(access.name)].add(access.location)

    links = LinkIndex(
        route_links=tuple(route_links),
        table_links=table_links,
        policy_links=policy_links,
        index_links=index_links,
        column_links=column_links,
        endpoints=ctx.plan.endpoints,
        routes=ctx.code.routes,
        plan_tables=ctx.plan.tables,
        schema_tables=ctx.code.tables,
        stage_items=stage_items,
        stories=ctx.plan.user_stories,
        table_uses={k: tuple(sorted(v)) for k, v in uses.items()},
        missing=frozenset(missing),
        later=frozenset(later),
        unplanned=frozenset(id(r) for r in match.unplanned),
        missing_tables=frozenset(id(t) for t in tables.missing),
        unplanned_tables=frozenset(id(t) for t in tables.unplanned) if checks_schema(ctx) else frozenset(),
    )
    for link in links.route_links:
        links._by_endpoint[id(link.endpoint)].append(link)
        links._by_route[id(link.route)].append(link)
    (
        links._by_plan_table,
        links._by_schema_table,
        links._by_plan_policy,
        links._by_schema_policy,
        links._by_plan_index,
        links._by_schema_index,
        links._by_plan_column,
        links._by_schema_column,
        links._table_of_policy,
    ) = side.maps
    plan_anchors = _KEPT.get("plan-anchors", (ctx.plan, stage_items), lambda: _plan_anchors(ctx, stage_items))
    schema_anchors = _KEPT.get("schema-anchors", (ctx.code.tables,), lambda: _schema_anchors(ctx))
    links.anchors = _merged(plan_anchors, _route_anchors(ctx), schema_anchors)
    return links


class _TableSide:
    """The links of the table matching and their lookups (read-only once built)."""

    def __init__(self, links: tuple[Any, ...], maps: tuple[Any, ...]) -> None:
        self.links: tuple[
            tuple[TableLink, ...], tuple[PolicyLink, ...], tuple[IndexLink, ...], tuple[ColumnLink, ...]
        ] = links
        self.maps = maps


def _table_side(tables: Any, ctx: CheckContext) -> _TableSide:
    table_links = [TableLink(p, a) for p, a in (*tables.pairs, *tables.rejected)]  # rejected: created anyway
    policy_links: list[PolicyLink] = []
    index_links: list[IndexLink] = []
    column_links: list[ColumnLink] = []
    for tl in table_links:
        for policy in tl.planned.policies:
            actual = tuple(covering(policy, tl.actual.policies)) if tl.actual.policies_complete else ()
            policy_links.append(PolicyLink(tl.planned, policy, actual))
        for planned_index in tl.planned.indexes:
            want = tuple(c.lower() for c in planned_index.columns)
            hits = tuple(
                i
                for i in tl.actual.indexes
                if want and tuple(c.lower() for c in i.columns)[: len(want)] == want
            )
            index_links.append(IndexLink(tl.planned, planned_index, hits))
        by_name = {c.name.lower(): c for c in tl.actual.columns}
        for column in tl.planned.columns:
            found = by_name.get(column.name.lower())
            if found is not None:
                column_links.append(ColumnLink(tl.planned, column, found))
    by_plan_table: dict[int, TableLink] = {}
    by_schema_table: dict[int, TableLink] = {}
    by_plan_policy: dict[int, PolicyLink] = {}
    by_schema_policy: dict[int, list[PolicyLink]] = defaultdict(list)
    by_plan_index: dict[int, IndexLink] = {}
    by_schema_index: dict[int, list[IndexLink]] = defaultdict(list)
    by_plan_column: dict[int, ColumnLink] = {}
    by_schema_column: dict[int, ColumnLink] = {}
    table_of_policy: dict[int, PlanTable] = {}
    for tl in table_links:
        by_plan_table[id(tl.planned)] = tl
        by_schema_table[id(tl.actual)] = tl
    for pl in policy_links:
        by_plan_policy[id(pl.planned)] = pl
        for p in pl.actual:
            by_schema_policy[id(p)].append(pl)
    for il in index_links:
        by_plan_index[id(il.planned)] = il
        for i in il.actual:
            by_schema_index[id(i)].append(il)
    for cl in column_links:
        by_plan_column[id(cl.planned)] = cl
        by_schema_column[id(cl.actual)] = cl
    for table in ctx.plan.tables:
        for policy in table.policies:
            table_of_policy[id(policy)] = table
    return _TableSide(
        (tuple(table_links), tuple(policy_links), tuple(index_links), tuple(column_links)),
        (
            by_plan_table,
            by_schema_table,
            by_plan_policy,
            by_schema_policy,
            by_plan_index,
            by_schema_index,
            by_plan_column,
            by_schema_column,
            table_of_policy,
        ),
    )


def _stage_items(ctx: CheckContext) -> tuple[tuple[int, StageItem], ...]:
    stage_files = {d.file for d in ctx.plan.documents if d.kind == "stage"}
    return tuple((s.number, i) for s in ctx.plan.stages for i in s.items if i.location.file in stage_files)


Anchors = dict[str, list[Anchor]]


def _adder(anchors: Anchors) -> Callable[[Location | None, Entity], None]:
    def add(location: Location | None, entity: Entity) -> None:
        if location is not None:
            anchors[location.file].append(Anchor(location, entity))

    return add


def _plan_anchors(ctx: CheckContext, stage_items: tuple[tuple[int, StageItem], ...]) -> Anchors:
    anchors: Anchors = defaultdict(list)
    add = _adder(anchors)
    for e in ctx.plan.endpoints:
        add(e.location, e)
        if e.def_location is not None and e.def_location != e.location:
            add(e.def_location, e)
    for table in ctx.plan.tables:
        add(table.location, table)
        for c in table.columns:
            add(c.location, c)
        for p in table.policies:
            add(p.location, p)
        for i in table.indexes:
            add(i.location, i)
    for _, item in stage_items:
        add(item.location, item)
    return dict(anchors)


def _route_anchors(ctx: CheckContext) -> Anchors:
    anchors: Anchors = defaultdict(list)
    add = _adder(anchors)
    for route in ctx.code.routes:
        if not route.stub_405:
            add(route.location, route)
    return dict(anchors)


def _schema_anchors(ctx: CheckContext) -> Anchors:
    anchors: Anchors = defaultdict(list)
    add = _adder(anchors)
    for st in ctx.code.tables:
        add(st.location, st)
        if st.rls_location is not None and st.rls_location != st.location:
            add(st.rls_location, st)  # the statement that decided its RLS (`enable row level security`)
        for sc in st.columns:
            add(sc.location, sc)
        for sp in st.policies:
            add(sp.location, sp)
        for si in st.indexes:
            if not si.implicit:
                add(si.location, si)
    return dict(anchors)


def _merged(*parts: Anchors) -> Anchors:
    """Each file's anchors in the order of the parts (plan, routes, schema), as one list per file; the
    parts' own lists are never changed (they are kept for the next build)."""
    out: Anchors = {}
    for part in parts:
        for file, found in part.items():
            have = out.get(file)
            out[file] = found if have is None else have + found
    return out
