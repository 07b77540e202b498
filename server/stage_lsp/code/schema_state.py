"""The schema while migrations are replayed: mutable tables, enums, views and functions.

`SchemaState.apply(record)` applies one statement's record the way PostgreSQL would, and says whether the
table it needs was missing (the replay decides what that means). Dynamic and conditional effects go
through `apply_uncertain` / `apply_unknown_target`: they can make a table's RLS state unknown (None), never
"off". `freeze()` turns the state into the model's frozen SchemaTable values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from stage_lsp.code.model import SchemaColumn, SchemaEnum, SchemaIndex, SchemaPolicy, SchemaTable, SchemaView
from stage_lsp.core.location import Location
from stage_lsp.sql import UNKNOWN, is_unknown
from stage_lsp.sql.records import (
    AddColumn,
    AddConstraint,
    AddEnumValue,
    AlterColumnType,
    AlterPolicy,
    AlterTable,
    Column,
    CreateEnum,
    CreateFunction,
    CreateIndex,
    CreatePolicy,
    CreateTable,
    CreateView,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropPolicy,
    DropTable,
    DropType,
    DropView,
    RenameColumn,
    RenameIndex,
    RenamePolicy,
    RenameTable,
    SetDefault,
    SetNullable,
    SetRls,
    SqlRecord,
    TableConstraint,
)


@dataclass
class TableState:
    name: str
    location: Location
    name_location: Location
    columns: dict[str, SchemaColumn] = field(default_factory=dict)
    rls: bool | None = False
    rls_location: Location | None = None
    forced: bool = False
    policies: dict[str, SchemaPolicy] = field(default_factory=dict)
    indexes: dict[str, SchemaIndex] = field(default_factory=dict)
    fkeys: dict[str, str] = field(default_factory=dict)  # constraint name -> column
    partition_of: str | None = None
    policies_complete: bool = True

    def freeze(self) -> SchemaTable:
        return SchemaTable(
            name=self.name,
            location=self.location,
            columns=tuple(self.columns.values()),
            rls=self.rls,
            rls_location=self.rls_location,
            forced_rls=self.forced,
            policies=tuple(self.policies.values()),
            indexes=tuple(self.indexes.values()),
            partition_of=self.partition_of,
            policies_complete=self.policies_complete,
            name_location=self.name_location,
        )


def _column(c: Column) -> SchemaColumn:
    return SchemaColumn(
        name=c.name,
        location=c.location,
        type=c.type,
        nullable=True if c.nullable is None else c.nullable,
        default=c.default,
        references=c.references,
    )


def _display(name: str) -> str:
    return name.replace(UNKNOWN, "?")


# The records that need their table to exist, and whether IF EXISTS lets them off.
TABLE_RECORDS = (
    AlterTable,
    CreatePolicy,
    AlterPolicy,
    RenamePolicy,
    DropPolicy,
    CreateIndex,
    RenameTable,
    RenameColumn,
)


def target_table(record: SqlRecord) -> str | None:
    """The existing table a record needs (None: it needs none, or IF EXISTS makes a missing one fine)."""
    if isinstance(record, AlterTable | RenameTable):
        return None if record.if_exists else record.table
    if isinstance(record, DropPolicy):
        return None if record.if_exists else record.table
    if isinstance(record, CreatePolicy | AlterPolicy | RenamePolicy | CreateIndex | RenameColumn):
        return record.table
    return None


@dataclass
class SchemaState:
    tables: dict[str, TableState] = field(default_factory=dict)
    enums: dict[str, SchemaEnum] = field(default_factory=dict)
    views: dict[str, SchemaView] = field(default_factory=dict)
    functions: dict[str, CreateFunction] = field(default_factory=dict)

    # -- tables ---------------------------------------------------------------------------------------

    def _create(self, r: CreateTable) -> None:
        if r.table in self.tables or is_unknown(r.table):
            return  # IF NOT EXISTS: nothing; without it the database raises and keeps the first
        t = TableState(r.table, r.location, r.name_location, rls_location=r.name_location)
        for source in (*r.like, *((r.partition_of,) if r.partition_of else ())):
            parent = self.tables.get(source)
            if parent is not None:
                t.columns.update(parent.columns)
        for c in r.columns:
            t.columns[c.name] = _column(c)
            if c.primary_key:
                self._implicit_index(t, "primary_key", (c.name,), c.location)
            elif c.unique:
                self._implicit_index(t, "unique", (c.name,), c.location)
        for con in r.constraints:
            self._constraint(t, con)
        t.partition_of = r.partition_of
        self.tables[r.table] = t

    @staticmethod
    def _implicit_index(
        t: TableState, kind: str, cols: tuple[str, ...], loc: Location, name: str | None = None
    ) -> None:
        base = t.name.rpartition(".")[2]
        default = f"{base}_pkey" if kind == "primary_key" else f"{base}_{'_'.join(cols)}_key"
        key = name or default
        t.indexes[key] = SchemaIndex(cols, loc, key, unique=True, implicit=True)

    def _constraint(self, t: TableState, con: TableConstraint) -> None:
        if con.kind in ("primary_key", "unique") and con.columns:
            self._implicit_index(t, con.kind, con.columns, con.location, con.name)
            if con.kind == "primary_key":
                for name in con.columns:
                    col = t.columns.get(name)
                    if col is not None:
                        t.columns[name] = replace(col, nullable=False)
        elif con.kind == "foreign_key" and len(con.columns) == 1 and con.references:
            name = con.columns[0]
            col = t.columns.get(name)
            if col is not None:
                t.columns[name] = replace(col, references=con.references)
                base = t.name.rpartition(".")[2]
                t.fkeys[con.name or f"{base}_{name}_fkey"] = name

    def _alter(self, t: TableState, r: AlterTable, at: Location) -> None:
        for a in r.actions:
            if isinstance(a, AddColumn):
                if a.column.name not in t.columns:
                    t.columns[a.column.name] = _column(a.column)
                    if a.column.primary_key or a.column.unique:
                        kind = "primary_key" if a.column.primary_key else "unique"
                        self._implicit_index(t, kind, (a.column.name,), a.column.location)
            elif isinstance(a, DropColumn):
                t.columns.pop(a.name, None)
                uses = re.compile(rf"(?<![\w$]){re.escape(a.name)}(?![\w$])")
                for key in [k for k, i in t.indexes.items() if any(uses.search(c) for c in i.columns)]:
                    del t.indexes[key]
            elif isinstance(a, AlterColumnType | SetNullable | SetDefault):
                col = t.columns.get(a.name)
                if col is None:
                    continue
                # the column's location follows the statement that decided its type or nullability
                if isinstance(a, AlterColumnType):
                    t.columns[a.name] = replace(col, type=a.type, location=at)
                elif isinstance(a, SetNullable):
                    t.columns[a.name] = replace(col, nullable=a.nullable, location=at)
                else:
                    t.columns[a.name] = replace(col, default=a.default)
            elif isinstance(a, SetRls):
                self._rls(t, a.change, at)
            elif isinstance(a, AddConstraint):
                self._constraint(t, a.constraint)
            elif isinstance(a, DropConstraint):
                t.indexes.pop(a.name, None)
                col_name = t.fkeys.pop(a.name, None)
                col = t.columns.get(col_name) if col_name else None
                if col is not None and col_name is not None:
                    t.columns[col_name] = replace(col, references=None)

    @staticmethod
    def _rls(t: TableState, change: str, at: Location) -> None:
        if change == "enable":
            t.rls, t.rls_location = True, at
        elif change == "disable":
            t.rls, t.rls_location = False, at
        elif change == "force":
            t.forced = True
        elif change == "no_force":
            t.forced = False

    def _drop_dependent_policies(self, dropped: str) -> None:
        """DROP TABLE ... CASCADE also drops policies of other tables whose predicates read it."""
        reads = re.compile(rf"\b(from|join)\s+{re.escape(dropped)}\b")
        for t in self.tables.values():
            for key in [
                k
                for k, p in t.policies.items()
                if any(reads.search(e or "") for e in (p.using, p.with_check))
            ]:
                del t.policies[key]

    def _rename_table(self, r: RenameTable) -> None:
        t = self.tables.pop(r.table, None)
        if t is None:
            return
        t.name = r.new_name
        t.policies = {k: replace(p, table=r.new_name) for k, p in t.policies.items()}
        self.tables[r.new_name] = t

    # -- the dispatcher -------------------------------------------------------------------------------

    def apply(self, record: SqlRecord, at: Location | None = None) -> bool:
        """Apply one record; False when the table it needs does not exist (then nothing changed).

        `at` overrides the location stored for what the record decides (a function call site)."""
        needed = target_table(record)
        if needed is not None and needed not in self.tables:
            return False
        where = at or record.location
        t = self.tables.get(getattr(record, "table", "") or "")
        if isinstance(record, CreateTable):
            self._create(record)
        elif isinstance(record, AlterTable):
            if t is not None:
                self._alter(t, record, where)
        elif isinstance(record, RenameTable):
            self._rename_table(record)
        elif isinstance(record, RenameColumn) and t is not None:
            col = t.columns.pop(record.old, None)
            if col is not None:
                t.columns[record.new] = replace(col, name=record.new)
                t.indexes = {
                    k: replace(i, columns=tuple(record.new if c == record.old else c for c in i.columns))
                    for k, i in t.indexes.items()
                }
        elif isinstance(record, DropTable):
            for name in record.tables:
                if self.tables.pop(name, None) is not None and record.cascade:
                    self._drop_dependent_policies(name)
        elif isinstance(record, CreateIndex) and t is not None:
            key = record.name or f"<{len(t.indexes)}>"
            if not (record.name and key in t.indexes):
                t.indexes[key] = SchemaIndex(record.columns, where, record.name, record.unique)
        elif isinstance(record, DropIndex):
            for table in self.tables.values():
                for name in record.names:
                    table.indexes.pop(name.rpartition(".")[2], None)
        elif isinstance(record, RenameIndex):
            old = record.name.rpartition(".")[2]
            for table in self.tables.values():
                idx = table.indexes.pop(old, None)
                if idx is not None:
                    table.indexes[record.new_name] = replace(idx, name=record.new_name)
        elif isinstance(record, CreatePolicy) and t is not None:
            # A name already taken means the database refused the statement or a drop was not modelled
            # (a dependency dropped by CASCADE): the later definition is the author's intent.
            if not record.recovered:
                t.policies[record.name] = SchemaPolicy(
                    name=_display(record.name),
                    table=t.name,
                    command=record.command,
                    location=where,
                    roles=record.roles,
                    permissive=record.permissive,
                    using=record.using,
                    with_check=record.with_check,
                )
        elif isinstance(record, AlterPolicy) and t is not None:
            p = t.policies.get(record.name)
            if p is not None:
                roles = None if record.roles_public else (record.roles or p.roles)
                t.policies[record.name] = replace(
                    p,
                    roles=roles,
                    using=record.using if record.using is not None else p.using,
                    with_check=record.with_check if record.with_check is not None else p.with_check,
                )
        elif isinstance(record, RenamePolicy) and t is not None:
            p = t.policies.pop(record.name, None)
            if p is not None:
                t.policies[record.new_name] = replace(p, name=record.new_name)
        elif isinstance(record, DropPolicy) and t is not None:
            t.policies.pop(record.name, None)
        elif isinstance(record, CreateEnum):
            self.enums.setdefault(record.name, SchemaEnum(record.name, record.values, record.location))
        elif isinstance(record, AddEnumValue):
            e = self.enums.get(record.name)
            if e is not None and record.value not in e.values:
                self.enums[record.name] = replace(e, values=(*e.values, record.value))
        elif isinstance(record, DropType):
            for name in record.names:
                self.enums.pop(name, None)
        elif isinstance(record, CreateView):
            if record.replace or record.name not in self.views:
                self.views[record.name] = SchemaView(record.name, record.location, record.materialized)
        elif isinstance(record, DropView):
            for name in record.names:
                self.views.pop(name, None)
        elif isinstance(record, CreateFunction):
            self.functions[record.name] = record
        return True

    # -- dynamic and conditional effects --------------------------------------------------------------

    def apply_unknown_target(self, record: SqlRecord, at: Location) -> None:
        """A run-time statement whose table is unknown: what it may have changed becomes unknown."""
        if isinstance(record, AlterTable):
            for a in record.actions:
                if isinstance(a, SetRls) and a.change in ("enable", "disable"):
                    turned_on = a.change == "enable"
                    for t in self.tables.values():
                        if t.rls is not turned_on:
                            t.rls, t.rls_location = None, at
        elif isinstance(record, CreatePolicy | AlterPolicy | DropPolicy | RenamePolicy):
            for t in self.tables.values():
                t.policies_complete = False

    def apply_uncertain(self, record: SqlRecord, at: Location) -> None:
        """A statement that may or may not have run (ELSE branch, exception handler)."""
        t = self.tables.get(getattr(record, "table", "") or "")
        if t is None:
            return
        if isinstance(record, AlterTable):
            for a in record.actions:
                if (
                    isinstance(a, SetRls)
                    and a.change in ("enable", "disable")
                    and t.rls is not (a.change == "enable")
                ):
                    t.rls, t.rls_location = None, at
        elif isinstance(record, CreatePolicy | AlterPolicy | DropPolicy | RenamePolicy):
            t.policies_complete = False

    def freeze(self) -> tuple[SchemaTable, ...]:
        return tuple(t.freeze() for t in self.tables.values())
