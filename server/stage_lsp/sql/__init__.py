"""The one place that talks to pglast: SQL scripts -> neutral records, and canonical SQL text.

Used by the migration replay (`code.migrations`, `code.replay`) and by the DB-plan reader (SQL fences in
db-plan.md). Nothing here knows about plans or schemas; it says what statements state.

API
---
`read_sql(text, origin) -> SqlScript`
    Parse `text` (libpg_query JSON; the whole script in one go when it has no syntax error, else split
    on pglast's scanner and parsed statement by statement, so one syntax error costs one statement;
    comments never count: commented-out DDL is not DDL) and return `SqlScript(records, errors,
    statements)`. `origin` is the file (`"supabase/migrations/x.sql"`) for a
    whole file, or `Origin(file, line, col, indent)` for text that starts elsewhere: a markdown fence's
    content starts at (line of the fence + 1, 0) with `indent` = the fence's indentation; a string
    literal starts at its opening quote + 1. pglast's 0-based character offsets become 0-based
    (line, code-point column) ranges through `core.text.LineIndex`.

Records (`sql.records`, frozen; names lower case with `public.` dropped, other schemas kept):
    CreateTable(table, columns[Column], constraints[TableConstraint], if_not_exists, partition_of, like)
    Column(name, type, nullable, default, references, primary_key, unique)  - nullable None: not stated
    AlterTable(table, actions, if_exists) with actions AddColumn, DropColumn, AlterColumnType,
        SetNullable, SetDefault, SetRls("enable"|"disable"|"force"|"no_force"), AddConstraint,
        DropConstraint
    RenameTable, RenameColumn, DropTable, CreateIndex(table, columns, name, unique, method, where),
    DropIndex, RenameIndex, CreateEnum(name, values), AddEnumValue, DropType, CreateView, DropView,
    CreatePolicy(name, table, command, roles, permissive, using, with_check, recovered),
    AlterPolicy, RenamePolicy, DropPolicy,
    CreateFunction(name, params, language, steps), DoBlock(steps), FunctionCall(name, args).
    Invalid `create policy ... for insert, update` yields an SqlError *and* one CreatePolicy per command
    with `recovered=True` (plans may use them; a migration replay must not: the database rejects it).
    `SqlError(message, location, statement, text, internal)`: `location` is the offending token;
    `internal` marks a statement this reader could not handle (not a user error).

Dynamic SQL (`sql.plpgsql`, `sql.expand`)
    PL/pgSQL bodies become `BodyStep`s: SQL text as pieces, with `Hole`s for function parameters and
    run-time values. `expand_steps(steps, args)` binds literal call arguments and reads the resulting SQL;
    what stays unknown is named `names.UNKNOWN`, and the caller treats it as "unknown", never as "off".

Normalisation (`sql.normalise`)
    `normalise_predicate(text)`: canonical USING / WITH CHECK text (casts, `public.`, `(select f())`,
    parentheses, whitespace, case); `predicate_key(text)`: the same with symmetric operands ordered, for
    comparing a plan's predicate with a migration's. `normalise_expression(text)` for defaults,
    `normalise_type(text)` for types (`VARCHAR(255)` -> `varchar(255)`, `int` -> `integer`,
    `timestamp with time zone` -> `timestamptz`). All fall back to a textual normalisation when the text
    does not parse; none raises.
"""

from __future__ import annotations

from stage_lsp.sql.expand import StepEffect, expand_steps
from stage_lsp.sql.names import UNKNOWN, is_unknown, qualified
from stage_lsp.sql.normalise import normalise_expression, normalise_predicate, normalise_type, predicate_key
from stage_lsp.sql.positions import Origin
from stage_lsp.sql.read import read_sql
from stage_lsp.sql.records import SqlError, SqlRecord, SqlScript

__all__ = [
    "UNKNOWN",
    "Origin",
    "SqlError",
    "SqlRecord",
    "SqlScript",
    "StepEffect",
    "expand_steps",
    "is_unknown",
    "normalise_expression",
    "normalise_predicate",
    "normalise_type",
    "predicate_key",
    "qualified",
    "read_sql",
]
