"""Collects what a db plan says about each table, in any order, and resolves it into PlanTables.

A plan states things about a table in many places: the definition, a later "Extended table" section, an
index list, an RLS section, a sentence about "all tables". The builder merges them; `finish` applies the
rules that need the whole document:

- a statement about one table beats a statement about "all tables", whatever their order;
- "all tables" never includes another schema's tables (`auth.users`) or rejected tables;
- policies without an ENABLE statement mean RLS is on, unless the plan hedges ("RLS can be disabled");
- an "index" on exactly the primary key is the primary key, not an index.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from stage_lsp.core.location import Location
from stage_lsp.plan.db.lexicon import Command
from stage_lsp.plan.model import Confidence, PlanColumn, PlanEnum, PlanIndex, PlanPolicy, PlanTable


@dataclass
class TableDraft:
    name: str
    location: Location
    columns: dict[str, PlanColumn] = field(default_factory=dict)
    rls: bool | None = None
    rls_location: Location | None = None
    rls_hedged: bool = False
    policies: list[PlanPolicy] = field(default_factory=list)
    indexes: list[PlanIndex] = field(default_factory=list)
    rejected: bool = False
    primary_key: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Blanket:
    enabled: bool
    with_column: str | None
    location: Location


class DbBuilder:
    def __init__(self) -> None:
        self.tables: dict[str, TableDraft] = {}
        self.rejected: dict[str, Location] = {}
        self.blankets: list[Blanket] = []
        self.enums: dict[str, PlanEnum] = {}
        self.last_policy_table: str | None = None

    # -- definitions ---------------------------------------------------------------------------------

    def define(self, name: str, location: Location) -> TableDraft:
        draft = self.tables.get(name)
        if draft is None:
            draft = TableDraft(name, location)
            self.tables[name] = draft
        return draft

    def reject(self, name: str, location: Location) -> None:
        self.rejected.setdefault(name, location)

    def add_column(self, table: str, column: PlanColumn) -> None:
        draft = self.tables.get(table)
        if draft is None:
            return
        known = draft.columns.get(column.name)
        if known is None:
            draft.columns[column.name] = column
        else:  # a later, more detailed definition (an "extended table" section) fills the gaps
            draft.columns[column.name] = replace(
                known,
                type=column.type or known.type,
                nullable=column.nullable if column.nullable is not None else known.nullable,
                default=column.default or known.default,
                references=column.references or known.references,
                primary_key=column.primary_key or known.primary_key,
                unique=column.unique or known.unique,
            )
        if column.primary_key and not draft.primary_key:
            draft.primary_key = (column.name,)

    def set_primary_key(self, table: str, columns: tuple[str, ...]) -> None:
        draft = self.tables.get(table)
        if draft is not None and columns:
            draft.primary_key = columns

    def add_enum(self, enum: PlanEnum) -> None:
        self.enums.setdefault(enum.name, enum)

    def columns_of(self) -> dict[str, frozenset[str]]:
        return {name: frozenset(d.columns) for name, d in self.tables.items() if d.columns}

    # -- intent ---------------------------------------------------------------------------------------

    def set_rls(self, table: str, enabled: bool, location: Location) -> None:
        draft = self.tables.get(table)
        if draft is not None:
            draft.rls = enabled
            draft.rls_location = location

    def hedge_rls(self, table: str) -> None:
        draft = self.tables.get(table)
        if draft is not None:
            draft.rls_hedged = True

    def blanket(self, enabled: bool, with_column: str | None, location: Location) -> None:
        self.blankets.append(Blanket(enabled, with_column, location))

    def add_policy(
        self,
        table: str,
        command: Command,
        location: Location,
        *,
        predicate: str | None = None,
        with_check: str | None = None,
        roles: tuple[str, ...] | None = None,
        name: str | None = None,
        confidence: Confidence = "high",
        predicate_is_check: bool | None = None,
    ) -> None:
        draft = self.tables.get(table)
        if draft is None:
            return
        using = predicate
        if predicate_is_check is None:
            predicate_is_check = command == "insert"
        if predicate_is_check and with_check is None:
            using, with_check = None, predicate
        draft.policies.append(PlanPolicy(command, location, roles, using, with_check, name, confidence))
        self.last_policy_table = table

    def copy_policies(self, source: str, targets: list[str], location: Location) -> None:
        """ "Similar policies apply to ...": the source table's policies, located at the statement."""
        draft = self.tables.get(source)
        if draft is None or not draft.policies:
            return
        for target in targets:
            if target == source or target not in self.tables:
                continue
            for policy in draft.policies:
                self.tables[target].policies.append(
                    replace(policy, location=location, name=None, confidence="low")
                )

    def add_index(self, table: str, index: PlanIndex) -> None:
        draft = self.tables.get(table)
        if draft is None or not index.columns:
            return
        for known in draft.indexes:
            if known.columns == index.columns and (
                known.name == index.name or not known.name or not index.name
            ):
                return
        draft.indexes.append(index)

    # -- result -------------------------------------------------------------------------------------

    def finish(self) -> tuple[tuple[PlanTable, ...], tuple[PlanEnum, ...]]:
        for name, location in self.rejected.items():
            draft = self.tables.get(name)
            if draft is None:
                self.tables[name] = TableDraft(name, location, rejected=True)
            elif not draft.columns:
                draft.rejected = True
        for blanket in self.blankets:
            for draft in self.tables.values():
                if draft.rls is not None or draft.rejected or "." in draft.name:
                    continue
                if blanket.with_column and blanket.with_column not in draft.columns:
                    continue
                draft.rls = blanket.enabled
                draft.rls_location = blanket.location
        tables: list[PlanTable] = []
        for draft in self.tables.values():
            if draft.rls is None and draft.policies and not draft.rls_hedged:
                draft.rls = True
                draft.rls_location = draft.policies[0].location
            indexes = tuple(
                i for i in draft.indexes if not (draft.primary_key and i.columns == draft.primary_key)
            )
            tables.append(
                PlanTable(
                    name=draft.name,
                    location=draft.location,
                    columns=tuple(draft.columns.values()),
                    rls=draft.rls,
                    rls_location=draft.rls_location,
                    policies=tuple(draft.policies),
                    indexes=indexes,
                    rejected=draft.rejected,
                )
            )
        return tuple(tables), tuple(self.enums.values())
