"""SQL in a db plan as the facts the db reader needs, read by the shared SQL layer (`stage_lsp.sql`).

A fence (or an inline statement) is read statement by statement with positions in the plan file; this
module only picks what a plan asks for: tables and their columns, RLS switches, policies (the invalid
`FOR INSERT, UPDATE` read per command), indexes and enums, and the syntax errors. Predicates, types and
defaults come normalised by the same code that reads the migrations, so plan and code compare as equals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stage_lsp.core.location import Location
from stage_lsp.plan.db.lexicon import Command
from stage_lsp.sql import Origin, normalise_expression, normalise_predicate, normalise_type, read_sql
from stage_lsp.sql.records import AlterTable, CreateEnum, CreateIndex, CreatePolicy, CreateTable, SetRls

_SQL_INFO = frozenset({"sql", "postgres", "postgresql", "pgsql", "psql", "plpgsql", "supabase", "ddl"})
_SQL_START = re.compile(
    r"^\s*(create|alter|drop|insert|select|grant|revoke|comment|begin|do|set|with|update|delete)\b", re.I
)
_STATEMENT_START = re.compile(r"^\s*(?P<verb>[A-Za-z_]+)\s+[A-Za-z_\"]")
_EXPRESSION_WORDS = frozenset(
    {"exists", "using", "with", "not", "and", "or", "case", "when", "check", "select"}
)


@dataclass(frozen=True, slots=True)
class SqlColumn:
    name: str
    location: Location
    type: str | None = None
    nullable: bool | None = None
    default: str | None = None
    references: str | None = None
    primary_key: bool = False
    unique: bool = False


@dataclass(frozen=True, slots=True)
class SqlTable:
    name: str
    location: Location  # the table's name in the statement
    columns: tuple[SqlColumn, ...] = ()
    primary_key: tuple[str, ...] = ()
    partition_of: str | None = None


@dataclass(frozen=True, slots=True)
class SqlRls:
    table: str
    enabled: bool
    location: Location


@dataclass(frozen=True, slots=True)
class SqlPolicy:
    table: str
    command: Command
    location: Location
    roles: tuple[str, ...] | None = None
    using: str | None = None
    with_check: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class SqlIndex:
    table: str
    columns: tuple[str, ...]
    location: Location
    unique: bool = False
    name: str | None = None
    method: str | None = None
    opclasses: tuple[str | None, ...] = ()


@dataclass(frozen=True, slots=True)
class SqlEnum:
    name: str
    values: tuple[str, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class SqlProblem:
    location: Location
    message: str
    recovered: bool  # the statement was still read (a multi-command policy)
    statement_like: bool  # the text starts like a statement (not a bare expression or a fragment)


@dataclass(frozen=True, slots=True)
class SqlFacts:
    tables: tuple[SqlTable, ...] = ()
    rls: tuple[SqlRls, ...] = ()
    policies: tuple[SqlPolicy, ...] = ()
    indexes: tuple[SqlIndex, ...] = ()
    enums: tuple[SqlEnum, ...] = ()
    errors: tuple[SqlProblem, ...] = ()


def _statement_like(text: str) -> bool:
    """`crate table x (...)` is a statement with a typo; `EXISTS (...)`, `f(id) AND ...` are expressions."""
    m = _STATEMENT_START.match(text)
    return bool(m) and m.group("verb").lower() not in _EXPRESSION_WORDS if m else False


def looks_like_sql(info: str, body: str) -> bool:
    """A fence to read as SQL: labelled so, or unlabelled and starting with a SQL keyword."""
    lang = info.split()[0].lower() if info.strip() else ""
    if lang in _SQL_INFO:
        return True
    if lang:
        return False
    for line in body.split("\n"):
        s = line.strip()
        if not s or s.startswith("--"):
            continue
        return bool(_SQL_START.match(s))
    return False


def canonical_type(text: str) -> str:
    return normalise_type(text)


def canonical_predicate(text: str) -> str:
    return normalise_predicate(text)


def canonical_expression(text: str) -> str:
    return normalise_expression(text)


def read_fence_sql(rel: str, body: str, line: int, col: int, indent: int) -> SqlFacts:
    """What a SQL text at (line, col) of the plan `rel` defines; `indent`: columns stripped per line."""
    script = read_sql(body, Origin(rel, line, col, indent))
    tables: list[SqlTable] = []
    rls: list[SqlRls] = []
    policies: list[SqlPolicy] = []
    indexes: list[SqlIndex] = []
    enums: list[SqlEnum] = []
    recovered_at: set[Location] = set()
    for record in script.records:
        if isinstance(record, CreateTable):
            pk = tuple(c.name for c in record.columns if c.primary_key)
            for constraint in record.constraints:
                if constraint.kind == "primary_key" and constraint.columns:
                    pk = constraint.columns
            tables.append(
                SqlTable(
                    record.table,
                    record.name_location,
                    tuple(
                        SqlColumn(
                            c.name,
                            c.location,
                            c.type,
                            c.nullable,
                            c.default,
                            c.references,
                            c.primary_key,
                            c.unique,
                        )
                        for c in record.columns
                    ),
                    pk,
                    record.partition_of,
                )
            )
        elif isinstance(record, AlterTable):
            for action in record.actions:
                if isinstance(action, SetRls) and action.change in ("enable", "disable"):
                    rls.append(SqlRls(record.table, action.change == "enable", record.location))
        elif isinstance(record, CreatePolicy):
            if record.recovered:
                recovered_at.add(record.location)
            policies.append(
                SqlPolicy(
                    record.table,
                    record.command,
                    record.location,
                    record.roles,
                    record.using,
                    record.with_check,
                    record.name or None,
                )
            )
        elif isinstance(record, CreateIndex):
            indexes.append(
                SqlIndex(
                    record.table,
                    record.columns,
                    record.location,
                    record.unique,
                    record.name,
                    record.method,
                    record.opclasses,
                )
            )
        elif isinstance(record, CreateEnum):
            enums.append(SqlEnum(record.name, record.values, record.location))
    errors = tuple(
        SqlProblem(
            e.location,
            e.message,
            e.statement in recovered_at,
            _statement_like(e.text),
        )
        for e in script.errors
        if not e.internal
    )
    return SqlFacts(tuple(tables), tuple(rls), tuple(policies), tuple(indexes), tuple(enums), errors)
