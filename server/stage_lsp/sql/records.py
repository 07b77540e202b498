"""Neutral, frozen records of what SQL statements say, with locations; no pglast objects leak out.

Names follow `sql.names` (lower case, `public.` dropped). Types are normalised by `normalise_type`,
defaults by `normalise_expression`, predicates by `normalise_predicate`. A record says what one statement
states; what it does to a schema is the replay's business (code.replay), and a plan reader can read the
same records as "what the plan asks for".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from stage_lsp.core.location import Location

Command = Literal["select", "insert", "update", "delete", "all"]
RlsChange = Literal["enable", "disable", "force", "no_force"]
HoleMode = Literal["I", "L", "s"]
ConstraintKind = Literal["primary_key", "unique", "foreign_key", "check", "exclude", "other"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    location: Location
    type: str | None = None  # normalised: "varchar(20)", "timestamptz", "text[]", "integer"
    nullable: bool | None = None  # False: NOT NULL / PRIMARY KEY; True: NULL written; None: not stated
    default: str | None = None  # normalised expression
    references: str | None = None  # "decks(id)", "auth.users(id)", "decks" (no column named)
    primary_key: bool = False
    unique: bool = False


@dataclass(frozen=True, slots=True)
class TableConstraint:
    kind: ConstraintKind
    columns: tuple[str, ...]
    location: Location
    name: str | None = None
    references: str | None = None  # foreign keys: "decks(id)"


@dataclass(frozen=True, slots=True)
class CreateTable:
    table: str
    location: Location  # the whole statement
    name_location: Location  # the table name
    columns: tuple[Column, ...] = ()
    constraints: tuple[TableConstraint, ...] = ()
    if_not_exists: bool = False
    partition_of: str | None = None  # `create table x partition of y`: the parent
    like: tuple[str, ...] = ()  # `(like other)`: columns copied from these tables


# ALTER TABLE actions (several per statement) ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddColumn:
    column: Column
    if_not_exists: bool = False


@dataclass(frozen=True, slots=True)
class DropColumn:
    name: str
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class AlterColumnType:
    name: str
    type: str | None


@dataclass(frozen=True, slots=True)
class SetNullable:
    name: str
    nullable: bool


@dataclass(frozen=True, slots=True)
class SetDefault:
    name: str
    default: str | None  # None: DROP DEFAULT


@dataclass(frozen=True, slots=True)
class SetRls:
    change: RlsChange


@dataclass(frozen=True, slots=True)
class AddConstraint:
    constraint: TableConstraint


@dataclass(frozen=True, slots=True)
class DropConstraint:
    name: str
    if_exists: bool = False


AlterAction = (
    AddColumn
    | DropColumn
    | AlterColumnType
    | SetNullable
    | SetDefault
    | SetRls
    | AddConstraint
    | DropConstraint
)


@dataclass(frozen=True, slots=True)
class AlterTable:
    table: str
    location: Location
    actions: tuple[AlterAction, ...]
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class RenameTable:
    table: str
    new_name: str
    location: Location
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class RenameColumn:
    table: str
    old: str
    new: str
    location: Location


@dataclass(frozen=True, slots=True)
class DropTable:
    tables: tuple[str, ...]
    location: Location
    if_exists: bool = False
    cascade: bool = False


@dataclass(frozen=True, slots=True)
class CreateIndex:
    table: str
    columns: tuple[str, ...]  # column names; expressions as normalised text (`lower(email)`)
    location: Location
    name: str | None = None
    unique: bool = False
    if_not_exists: bool = False
    method: str | None = None  # "gin", "btree", ... when written
    where: str | None = None  # partial index predicate, normalised
    opclasses: tuple[str | None, ...] = ()  # per column, when written (`gin_trgm_ops`)


@dataclass(frozen=True, slots=True)
class DropIndex:
    names: tuple[str, ...]
    location: Location
    if_exists: bool = False


@dataclass(frozen=True, slots=True)
class RenameIndex:
    name: str
    new_name: str
    location: Location


@dataclass(frozen=True, slots=True)
class CreateEnum:
    name: str
    values: tuple[str, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class AddEnumValue:
    name: str
    value: str
    location: Location


@dataclass(frozen=True, slots=True)
class DropType:
    names: tuple[str, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class CreateView:
    name: str
    location: Location
    replace: bool = False
    materialized: bool = False


@dataclass(frozen=True, slots=True)
class DropView:
    names: tuple[str, ...]
    location: Location
    materialized: bool = False


@dataclass(frozen=True, slots=True)
class CreatePolicy:
    """`create policy`. `roles` None: no TO clause (or `to public`). `recovered`: read from invalid SQL
    (`for insert, update` split per command); PostgreSQL would reject the statement."""

    name: str
    table: str
    command: Command
    location: Location
    roles: tuple[str, ...] | None = None
    permissive: bool = True
    using: str | None = None  # normalised
    with_check: str | None = None
    recovered: bool = False


@dataclass(frozen=True, slots=True)
class AlterPolicy:
    """`alter policy ... to/using/with check`: None fields are left unchanged."""

    name: str
    table: str
    location: Location
    roles: tuple[str, ...] | None = None
    roles_public: bool = False  # `to public` written: roles reset to public
    using: str | None = None
    with_check: str | None = None


@dataclass(frozen=True, slots=True)
class RenamePolicy:
    name: str
    table: str
    new_name: str
    location: Location


@dataclass(frozen=True, slots=True)
class DropPolicy:
    name: str
    table: str
    location: Location
    if_exists: bool = False


# Functions, DO blocks and dynamic SQL -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hole:
    """A part of a dynamic SQL text known only at run time: a function parameter (by index) or unknown.

    `mode` is how it is spliced in: `I` quoted identifier (`%I`, `quote_ident`), `L` literal (`%L`),
    `s` raw text (`%s`, `||`)."""

    mode: HoleMode
    param: int | None = None


Piece = str | Hole


@dataclass(frozen=True, slots=True)
class BodyStep:
    """One SQL statement a PL/pgSQL body runs: static SQL, or EXECUTE of a text built at run time.

    `certain` is False inside ELSE/ELSIF/CASE branches and exception handlers (it may not run); IF
    THEN branches count as run (migrations guard idempotency with `if not exists ... then`)."""

    pieces: tuple[Piece, ...]
    location: Location
    dynamic: bool
    certain: bool = True
    exact: bool = False  # static text found verbatim in the file: offsets map to it exactly


@dataclass(frozen=True, slots=True)
class CreateFunction:
    """`create [or replace] function|procedure`. `steps` is None when the body was not read (not
    PL/pgSQL, no DDL in it, or unparseable); `params` are the input parameter names in call order."""

    name: str
    params: tuple[str, ...]
    location: Location
    language: str | None = None
    replace: bool = False
    steps: tuple[BodyStep, ...] | None = None


@dataclass(frozen=True, slots=True)
class DoBlock:
    location: Location
    steps: tuple[BodyStep, ...] | None = None  # None: the body could not be read


@dataclass(frozen=True, slots=True)
class FunctionCall:
    """A call run at migration time: `select f('a')`, `perform f('a')`, `call p('a')`.

    `args` are literal text arguments, None where an argument is not a literal. `named` maps
    `f(x => 'a')` arguments."""

    name: str
    args: tuple[str | None, ...]
    location: Location
    named: tuple[tuple[str, str | None], ...] = ()


SqlRecord = (
    CreateTable
    | AlterTable
    | RenameTable
    | RenameColumn
    | DropTable
    | CreateIndex
    | DropIndex
    | RenameIndex
    | CreateEnum
    | AddEnumValue
    | DropType
    | CreateView
    | DropView
    | CreatePolicy
    | AlterPolicy
    | RenamePolicy
    | DropPolicy
    | CreateFunction
    | DoBlock
    | FunctionCall
)


@dataclass(frozen=True, slots=True)
class SqlError:
    """A statement that does not parse: the parser's message at its exact position."""

    message: str
    location: Location  # the offending token (a point when the parser gives no extent)
    statement: Location  # the whole statement
    text: str  # the statement's text
    internal: bool = False  # a statement this reader could not handle: not the user's syntax error


@dataclass(frozen=True, slots=True)
class SqlScript:
    """What a SQL text says: records in source order, syntax errors, and how many statements it had."""

    records: tuple[SqlRecord, ...] = ()
    errors: tuple[SqlError, ...] = ()
    statements: int = 0
