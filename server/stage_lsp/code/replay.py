"""Replaying migrations in version order into the final schema, with the problems found on the way.

Files are ordered by `migrations.migration_sort_key` (see there for the rule). Each file's records (read
once per file content and cached) are applied in order to a `SchemaState`. What the replay reports:

- SL407: a statement that does not parse, at the offending token; the rest of the file still replays.
- SL408: two files with the same version; a statement that needs a table that does not exist yet but is
  created by a later statement (in a later migration, or later in the same file). On a fresh database
  that statement fails; for the final state it is applied right after the table is created (the
  author's evident intent), so its effects are not lost and only the order is reported.

Function calls at migration time (`select public.apply_owner_rls('decks')`, `perform`, `call`) run the
function's PL/pgSQL steps with the literal arguments bound; DO blocks run their steps. A step whose
table cannot be resolved makes the RLS state of the tables it could have changed unknown (None), never
off; steps in ELSE branches and exception handlers do the same for their own table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from stage_lsp.code.migrations import MigrationFile
from stage_lsp.code.model import SchemaEnum, SchemaTable, SchemaView
from stage_lsp.code.schema_state import SchemaState, target_table
from stage_lsp.core.issue import ReaderIssue
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Related
from stage_lsp.sql import expand_steps, is_unknown
from stage_lsp.sql.records import CreateFunction, CreateTable, DoBlock, FunctionCall, SqlRecord

MAX_CALL_DEPTH = 4


@dataclass(frozen=True)
class Schema:
    """The migrations' final state."""

    tables: tuple[SchemaTable, ...] = ()
    enums: tuple[SchemaEnum, ...] = ()
    views: tuple[SchemaView, ...] = ()
    migrations: tuple[str, ...] = ()  # in replay order
    issues: tuple[ReaderIssue, ...] = ()


def _short(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:12]


def _syntax_issues(f: MigrationFile) -> list[ReaderIssue]:
    out: list[ReaderIssue] = []
    for e in f.errors:
        if e.internal:
            continue
        out.append(
            ReaderIssue(
                "SL407",
                e.location,
                f"Syntax error in migration: {e.message}. PostgreSQL rejects this migration; "
                "the other statements were still read",
                entity=(f.file, _short(e.text)),
            )
        )
    return out


def _duplicate_issues(files: list[MigrationFile]) -> list[ReaderIssue]:
    out: list[ReaderIssue] = []
    first: dict[str, MigrationFile] = {}
    for f in files:
        if f.version is None:
            continue
        earlier = first.get(f.version)
        if earlier is None:
            first[f.version] = f
            continue
        out.append(
            ReaderIssue(
                "SL408",
                Location(f.file, Range(0, 0, 0, 0)),
                f"Migration version {f.version} is also used by `{earlier.file}`: versions must be unique "
                "(Supabase records applied migrations by version); replayed after it, in file-name order",
                entity=("duplicate-version", f.file, earlier.file),
                related=(Related(Location(earlier.file, Range(0, 0, 0, 0)), "the other migration"),),
            )
        )
    return out


@dataclass
class _Replay:
    files: list[MigrationFile]
    state: SchemaState = field(default_factory=SchemaState)
    issues: list[ReaderIssue] = field(default_factory=list)
    creates: dict[str, list[tuple[int, int, Location]]] = field(default_factory=dict)
    pending: dict[str, list[SqlRecord]] = field(default_factory=dict)

    def run(self) -> None:
        for fi, f in enumerate(self.files):
            for ri, r in enumerate(f.records):
                if isinstance(r, CreateTable):
                    self.creates.setdefault(r.table, []).append((fi, ri, r.name_location))
        for fi, f in enumerate(self.files):
            for ri, r in enumerate(f.records):
                self.top_level(fi, ri, r)

    def _later_creation(self, table: str, fi: int, ri: int) -> tuple[int, Location] | None:
        for cfi, cri, loc in self.creates.get(table, ()):
            if (cfi, cri) > (fi, ri):
                return cfi, loc
        return None

    def top_level(self, fi: int, ri: int, r: SqlRecord) -> None:
        if isinstance(r, DoBlock):
            if r.steps:
                self.run_steps(r.steps, (), None, 0)
            return
        if isinstance(r, FunctionCall):
            self.call(r, None, 0)
            return
        if self.state.apply(r):
            if isinstance(r, CreateTable):
                for waiting in self.pending.pop(r.table, []):
                    self.state.apply(waiting)
            return
        table = target_table(r)
        if table is None:
            return
        later = self._later_creation(table, fi, ri)
        if later is None:
            return  # a table migrations never create (auth.users, storage.objects, a typo): not ours
        cfi, where = later
        file = self.files[fi].file
        if cfi == fi:
            text = f"`{table}` is used here but created only later in this file"
        else:
            text = f"`{table}` is used here but created only by a later migration, `{self.files[cfi].file}`"
        self.issues.append(
            ReaderIssue(
                "SL408",
                r.location,
                text + ": this statement fails on a fresh database (supabase db reset)",
                entity=("order", file, table, type(r).__name__, getattr(r, "name", "") or ""),
                related=(Related(where, f"`{table}` is created here"),),
            )
        )
        self.pending.setdefault(table, []).append(r)

    def call(self, c: FunctionCall, at: Location | None, depth: int) -> None:
        fn = self.state.functions.get(c.name) or self.state.functions.get(c.name.rpartition(".")[2])
        if fn is None or not fn.steps or depth >= MAX_CALL_DEPTH:
            return
        self.run_steps(fn.steps, _bind_args(fn, c), at or c.location, depth + 1)

    def run_steps(self, steps: tuple, args: tuple[str | None, ...], at: Location | None, depth: int) -> None:  # type: ignore[type-arg]
        for effect in expand_steps(steps, args):
            for r in effect.records:
                where = at or r.location
                if isinstance(r, FunctionCall):
                    if effect.certain:
                        self.call(r, at, depth)
                    continue
                if isinstance(r, CreateFunction):
                    self.state.apply(r)
                    continue
                table = getattr(r, "table", None)
                if isinstance(table, str) and is_unknown(table):
                    self.state.apply_unknown_target(r, where)
                elif not effect.certain:
                    self.state.apply_uncertain(r, where)
                else:
                    self.state.apply(r, at)


def _bind_args(fn: CreateFunction, c: FunctionCall) -> tuple[str | None, ...]:
    values: list[str | None] = list(c.args[: len(fn.params)])
    values.extend([None] * (len(fn.params) - len(values)))
    for name, value in c.named:
        if name in fn.params:
            values[fn.params.index(name)] = value
    return tuple(values)


def replay(files: Iterable[MigrationFile]) -> Schema:
    ordered = sorted(files, key=lambda f: f.sort_key)
    run = _Replay(ordered)
    run.run()
    issues: list[ReaderIssue] = []
    for f in ordered:
        issues.extend(_syntax_issues(f))
    issues.extend(_duplicate_issues(ordered))
    issues.extend(run.issues)
    state = run.state
    return Schema(
        tables=state.freeze(),
        enums=tuple(state.enums.values()),
        views=tuple(state.views.values()),
        migrations=tuple(f.file for f in ordered),
        issues=tuple(issues),
    )
