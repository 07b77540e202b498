"""Links between plan entities and the code that implements them, both ways (for editor navigation).

Built once per check (`engine.link_build.build_links`) from the matchings the rules already computed for
the same `CheckContext`
(`rules._endpoints.match_endpoints`, `rules._tables.match_tables`, `rules._policies.covering`, the
index-prefix test of `rules._tables.missing_indexes`), so what navigation calls "implemented" is exactly
what the rules call implemented: a handler the endpoint rules paired with a planned endpoint (also through
a base path, or as method or path drift), a table the schema rules paired, a policy `covering` grants.

Pure and read-only: no editor types, positions in code points like every model. Identity maps are keyed
by `id()`; the index keeps every entity it maps alive for its own lifetime.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from stage_lsp.code.model import Route, SchemaColumn, SchemaIndex, SchemaPolicy, SchemaTable
from stage_lsp.core.location import Location
from stage_lsp.plan.model import (
    PlanColumn,
    PlanEndpoint,
    PlanIndex,
    PlanPolicy,
    PlanTable,
    StageItem,
    UserStory,
)
from stage_lsp.plan.stages import endpoint_alternatives
from stage_lsp.rules._endpoints import checkable
from stage_lsp.rules._tables import table_key

LinkKind = Literal["match", "method-drift", "path-drift"]
EndpointState = Literal["implemented", "missing", "later", "external", "optional", "unknown"]
Entity = (
    PlanEndpoint
    | Route
    | PlanTable
    | SchemaTable
    | PlanPolicy
    | SchemaPolicy
    | PlanIndex
    | SchemaIndex
    | PlanColumn
    | SchemaColumn
    | StageItem
)


@dataclass(frozen=True)
class RouteLink:
    """A planned endpoint and one handler that implements it (`kind`: how the rules paired them)."""

    endpoint: PlanEndpoint
    route: Route
    kind: LinkKind = "match"


@dataclass(frozen=True)
class TableLink:
    planned: PlanTable
    actual: SchemaTable


@dataclass(frozen=True)
class PolicyLink:
    """A planned policy and the migrations' policies that grant it (empty: missing, or not comparable)."""

    table: PlanTable
    planned: PlanPolicy
    actual: tuple[SchemaPolicy, ...]


@dataclass(frozen=True)
class IndexLink:
    table: PlanTable
    planned: PlanIndex
    actual: tuple[SchemaIndex, ...]


@dataclass(frozen=True)
class ColumnLink:
    table: PlanTable
    planned: PlanColumn
    actual: SchemaColumn


@dataclass(frozen=True)
class Anchor:
    """A place in a file that stands for an entity: a plan heading, a handler export, a SQL statement."""

    location: Location
    entity: Entity


def _contains(loc: Location, line: int, col: int) -> bool:
    r = loc.range
    return (r.line, r.col) <= (line, col) <= (r.end_line, r.end_col)


def _size(loc: Location) -> tuple[int, int]:
    r = loc.range
    return (r.end_line - r.line, (r.end_col - r.col) if r.end_line == r.line else r.end_col)


def _dedupe(locations: Iterable[Location]) -> tuple[Location, ...]:
    return tuple(sorted(set(locations)))


@dataclass
class LinkIndex:
    """Plan <-> code links of one check, with lookups by entity and by position."""

    route_links: tuple[RouteLink, ...] = ()
    table_links: tuple[TableLink, ...] = ()
    policy_links: tuple[PolicyLink, ...] = ()
    index_links: tuple[IndexLink, ...] = ()
    column_links: tuple[ColumnLink, ...] = ()
    endpoints: tuple[PlanEndpoint, ...] = ()
    routes: tuple[Route, ...] = ()
    plan_tables: tuple[PlanTable, ...] = ()
    schema_tables: tuple[SchemaTable, ...] = ()
    stage_items: tuple[tuple[int, StageItem], ...] = ()  # (stage number, item) of the stage plan documents
    stories: tuple[UserStory, ...] = ()
    table_uses: dict[str, tuple[Location, ...]] = field(default_factory=dict)  # table key -> `.from("t")`
    missing: frozenset[int] = frozenset()  # id() of endpoints expected now and not implemented
    later: frozenset[int] = frozenset()  # id() of endpoints not implemented, of a later stage
    unplanned: frozenset[int] = frozenset()  # id() of routes the rules report as not planned
    missing_tables: frozenset[int] = frozenset()  # id() of planned tables the rules report missing
    unplanned_tables: frozenset[int] = frozenset()  # id() of migration tables the rules report unplanned
    anchors: dict[str, list[Anchor]] = field(default_factory=dict)  # file -> anchors in it
    _by_endpoint: dict[int, list[RouteLink]] = field(default_factory=lambda: defaultdict(list))
    _by_route: dict[int, list[RouteLink]] = field(default_factory=lambda: defaultdict(list))
    _by_plan_table: dict[int, TableLink] = field(default_factory=dict)
    _by_schema_table: dict[int, TableLink] = field(default_factory=dict)
    _by_plan_policy: dict[int, PolicyLink] = field(default_factory=dict)
    _by_schema_policy: dict[int, list[PolicyLink]] = field(default_factory=lambda: defaultdict(list))
    _by_plan_index: dict[int, IndexLink] = field(default_factory=dict)
    _by_schema_index: dict[int, list[IndexLink]] = field(default_factory=lambda: defaultdict(list))
    _by_plan_column: dict[int, ColumnLink] = field(default_factory=dict)
    _by_schema_column: dict[int, ColumnLink] = field(default_factory=dict)
    _table_of_policy: dict[int, PlanTable] = field(default_factory=dict)

    # -- lookups by entity ---------------------------------------------------------------------------

    def routes_of(self, endpoint: PlanEndpoint) -> tuple[RouteLink, ...]:
        return tuple(self._by_endpoint.get(id(endpoint), ()))

    def endpoints_of(self, route: Route) -> tuple[RouteLink, ...]:
        return tuple(self._by_route.get(id(route), ()))

    def table_link(self, table: PlanTable | SchemaTable) -> TableLink | None:
        if isinstance(table, PlanTable):
            return self._by_plan_table.get(id(table))
        return self._by_schema_table.get(id(table))

    def policy_link(self, policy: PlanPolicy) -> PolicyLink | None:
        return self._by_plan_policy.get(id(policy))

    def planned_policies(self, policy: SchemaPolicy) -> tuple[PolicyLink, ...]:
        return tuple(self._by_schema_policy.get(id(policy), ()))

    def index_link(self, index: PlanIndex) -> IndexLink | None:
        return self._by_plan_index.get(id(index))

    def planned_indexes(self, index: SchemaIndex) -> tuple[IndexLink, ...]:
        return tuple(self._by_schema_index.get(id(index), ()))

    def column_link(self, column: PlanColumn | SchemaColumn) -> ColumnLink | None:
        if isinstance(column, PlanColumn):
            return self._by_plan_column.get(id(column))
        return self._by_schema_column.get(id(column))

    def table_of_policy(self, policy: PlanPolicy) -> PlanTable | None:
        return self._table_of_policy.get(id(policy))

    def endpoint_state(self, endpoint: PlanEndpoint) -> EndpointState:
        if self._by_endpoint.get(id(endpoint)):
            return "implemented"
        if endpoint.external:
            return "external"
        if not checkable(endpoint):
            return "optional"
        if id(endpoint) in self.missing:
            return "missing"
        if id(endpoint) in self.later:
            return "later"
        return "unknown"  # its route file could not be read

    def stories_of(self, endpoint: PlanEndpoint) -> tuple[UserStory, ...]:
        """The user stories of an endpoint: those it names and those whose text names it."""
        named = set(endpoint.user_stories)
        keys = set(endpoint_alternatives(endpoint.key))
        return tuple(s for s in self.stories if s.id in named or keys & set(s.endpoints))

    def stage_mentions(self, kind: str, keys: Iterable[str]) -> tuple[Location, ...]:
        wanted = set(keys)
        return tuple(i.location for _, i in self.stage_items if i.kind == kind and i.key in wanted)

    # -- lookups by position -------------------------------------------------------------------------

    def at(self, file: str, line: int, col: int) -> Anchor | None:
        """The innermost anchor at a position of `file` (an end position counts: the cursor after a word)."""
        found = [a for a in self.anchors.get(file, ()) if _contains(a.location, line, col)]
        return min(found, key=lambda a: _size(a.location)) if found else None

    def all_at(self, file: str, line: int, col: int) -> tuple[Anchor, ...]:
        """Every anchor at the innermost place holding the position (an `ALL` handler is one anchor per
        method it was expanded to)."""
        first = self.at(file, line, col)
        if first is None:
            return ()
        return tuple(a for a in self.anchors.get(file, ()) if a.location == first.location)

    def in_file(self, file: str) -> tuple[Anchor, ...]:
        return tuple(self.anchors.get(file, ()))

    # -- navigation ----------------------------------------------------------------------------------

    def definitions(self, entity: Entity) -> tuple[Location, ...]:
        """The other side: the code of a plan entity, the plan of a code entity."""
        out: list[Location] = []
        if isinstance(entity, PlanEndpoint):
            out = [link.route.location for link in self.routes_of(entity)]
        elif isinstance(entity, Route):
            out = [link.endpoint.location for link in self.endpoints_of(entity)]
        elif isinstance(entity, PlanTable):
            tl = self.table_link(entity)
            out = [_table_site(tl.actual)] if tl else []
        elif isinstance(entity, SchemaTable):
            tl = self.table_link(entity)
            out = [tl.planned.location] if tl else []
        elif isinstance(entity, PlanPolicy):
            pl = self.policy_link(entity)
            out = [p.location for p in pl.actual] if pl else []
        elif isinstance(entity, SchemaPolicy):
            out = [pl.planned.location for pl in self.planned_policies(entity)]
        elif isinstance(entity, PlanIndex):
            il = self.index_link(entity)
            out = [i.location for i in il.actual] if il else []
        elif isinstance(entity, SchemaIndex):
            out = [il.planned.location for il in self.planned_indexes(entity)]
        elif isinstance(entity, PlanColumn):
            cl = self.column_link(entity)
            out = [cl.actual.location] if cl else []
        elif isinstance(entity, SchemaColumn):
            cl = self.column_link(entity)
            out = [cl.planned.location] if cl else []
        elif isinstance(entity, StageItem):
            out = list(self._stage_item_targets(entity))
        return _dedupe(out)

    def _stage_item_targets(self, item: StageItem) -> Iterable[Location]:
        if item.kind == "endpoint":
            return [e.location for e in self.endpoints if item.key in endpoint_alternatives(e.key)]
        if item.kind == "table":
            return [t.location for t in self.plan_tables if table_key(t.name) == table_key(item.key)]
        if item.kind == "policy":
            name, _, command = item.key.partition(":")
            return [
                p.location
                for t in self.plan_tables
                if table_key(t.name) == table_key(name)
                for p in t.policies
                if p.command == command
            ]
        return []

    def references(self, entity: Entity, *, include_declaration: bool = True) -> tuple[Location, ...]:
        """Every site of the entity's subject: the plan definition (unless excluded), the code that
        implements it, the stage-plan lines and user stories that name it, the queries that use a table."""
        plan: list[Location] = []
        other: list[Location] = []
        if isinstance(entity, StageItem):
            resolved = self.stage_item_entities(entity)
            if not resolved:
                return (entity.location,)
            out: set[Location] = set()
            for e in resolved:
                out.update(self.references(e, include_declaration=include_declaration))
            return _dedupe(out)
        if isinstance(entity, Route):
            links = self.endpoints_of(entity)
            if not links:
                return (entity.location,)
            found: set[Location] = set()
            for link in links:
                found.update(self.references(link.endpoint, include_declaration=include_declaration))
            return _dedupe(found)
        if isinstance(entity, PlanEndpoint):
            plan = [entity.location, *([entity.def_location] if entity.def_location else [])]
            other = [link.route.location for link in self.routes_of(entity)]
            other += self.stage_mentions("endpoint", endpoint_alternatives(entity.key))
            other += [s.location for s in self.stories_of(entity)]
        elif isinstance(entity, PlanTable | SchemaTable):
            tl = self.table_link(entity)
            planned = tl.planned if tl else (entity if isinstance(entity, PlanTable) else None)
            actual = tl.actual if tl else (entity if isinstance(entity, SchemaTable) else None)
            key = table_key(entity.name)
            plan = [planned.location] if planned else []
            other = [_table_site(actual)] if actual else []
            other += self.stage_mentions("table", (key, entity.name))
            other += self.table_uses.get(key, ())
        elif isinstance(entity, PlanPolicy | SchemaPolicy):
            links_p = (
                [pl for pl in (self.policy_link(entity),) if pl]
                if isinstance(entity, PlanPolicy)
                else list(self.planned_policies(entity))
            )
            plan = [pl.planned.location for pl in links_p]
            other = [p.location for pl in links_p for p in pl.actual]
            if isinstance(entity, SchemaPolicy):
                other.append(entity.location)
            for pl in links_p:
                other += self.stage_mentions("policy", (f"{pl.table.name}:{pl.planned.command}",))
        elif isinstance(entity, PlanIndex | SchemaIndex):
            links_i = (
                [il for il in (self.index_link(entity),) if il]
                if isinstance(entity, PlanIndex)
                else list(self.planned_indexes(entity))
            )
            plan = [il.planned.location for il in links_i]
            other = [i.location for il in links_i for i in il.actual]
            if isinstance(entity, SchemaIndex):
                other.append(entity.location)
        elif isinstance(entity, PlanColumn | SchemaColumn):
            cl = self.column_link(entity)
            plan = [cl.planned.location] if cl else []
            other = [cl.actual.location] if cl else []
        if isinstance(entity, PlanEndpoint | PlanTable | PlanPolicy | PlanIndex | PlanColumn) and not plan:
            plan = [entity.location]
        if not include_declaration:
            plan = []
        return _dedupe([*plan, *other])

    def stage_item_entities(self, item: StageItem) -> list[Entity]:
        if item.kind == "endpoint":
            return [e for e in self.endpoints if item.key in endpoint_alternatives(e.key)]
        if item.kind == "table":
            return [t for t in self.plan_tables if table_key(t.name) == table_key(item.key)]
        if item.kind == "policy":
            name, _, command = item.key.partition(":")
            return [
                p
                for t in self.plan_tables
                if table_key(t.name) == table_key(name)
                for p in t.policies
                if p.command == command
            ]
        return []


def _table_site(table: SchemaTable) -> Location:
    """Where a migration table is best shown: its name in the CREATE TABLE, else the statement."""
    return table.name_location or table.location
