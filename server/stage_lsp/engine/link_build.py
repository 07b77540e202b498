"""Building the link index of one check (engine.links) from the rules' memoised matchings.

Endpoints: `rules._endpoints.match_endpoints` pairs (exact, through a base path) plus its method and path
drift pairs; "missing" and "later" are its staged and raw `missing`. Tables: `rules._tables.match_tables`
pairs (empty while a migration is unreadable). Policies: `rules._policies.covering`, only where the
migrations' policies are complete. Indexes: the column-prefix test of `rules._tables.missing_indexes`.
Columns: by name within a paired table.
"""

from __future__ import annotations

from collections import defaultdict

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
from stage_lsp.rules._endpoints import match_endpoints, raw_match
from stage_lsp.rules._policies import covering
from stage_lsp.rules._tables import checks_schema, match_tables, table_key


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

    stage_files = {d.file for d in ctx.plan.documents if d.kind == "stage"}
    stage_items = tuple(
        (s.number, i) for s in ctx.plan.stages for i in s.items if i.location.file in stage_files
    )
    uses: dict[str, set[Location]] = defaultdict(set)
    for route in ctx.code.routes:
        for access in route.db_access:
            if access.kind == "from" and access.name:
                uses[table_key(access.name)].add(access.location)

    links = LinkIndex(
        route_links=tuple(route_links),
        table_links=tuple(table_links),
        policy_links=tuple(policy_links),
        index_links=tuple(index_links),
        column_links=tuple(column_links),
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
    _fill_maps(links)
    _fill_anchors(links, ctx)
    return links


def _fill_maps(index: LinkIndex) -> None:
    for link in index.route_links:
        index._by_endpoint[id(link.endpoint)].append(link)
        index._by_route[id(link.route)].append(link)
    for tl in index.table_links:
        index._by_plan_table[id(tl.planned)] = tl
        index._by_schema_table[id(tl.actual)] = tl
    for pl in index.policy_links:
        index._by_plan_policy[id(pl.planned)] = pl
        for p in pl.actual:
            index._by_schema_policy[id(p)].append(pl)
    for il in index.index_links:
        index._by_plan_index[id(il.planned)] = il
        for i in il.actual:
            index._by_schema_index[id(i)].append(il)
    for cl in index.column_links:
        index._by_plan_column[id(cl.planned)] = cl
        index._by_schema_column[id(cl.actual)] = cl
    for table in index.plan_tables:
        for policy in table.policies:
            index._table_of_policy[id(policy)] = table


def _fill_anchors(index: LinkIndex, ctx: CheckContext) -> None:
    anchors: dict[str, list[Anchor]] = defaultdict(list)

    def add(location: Location | None, entity: Entity) -> None:
        if location is not None:
            anchors[location.file].append(Anchor(location, entity))

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
    for _, item in index.stage_items:
        add(item.location, item)
    for route in ctx.code.routes:
        if not route.stub_405:
            add(route.location, route)
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
    index.anchors = dict(anchors)
