"""What the code serves and what the database looks like after the migrations, with locations.

Frozen dataclasses built by the readers in this package and assembled per project by
`code.assemble.assemble_code`. Later readers add fields with defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from stage_lsp.code.secrets import SecretFinding
from stage_lsp.core.issue import ReaderIssue
from stage_lsp.core.location import Location


@dataclass(frozen=True, slots=True)
class CodeStatus:
    code: int
    location: Location


@dataclass(frozen=True, slots=True)
class CodeErrorCode:
    code: str
    location: Location
    status: int | None = None


@dataclass(frozen=True, slots=True)
class CodeField:
    name: str
    location: Location
    optional: bool | None = None  # None: not known
    max_value: int | None = None  # an upper bound applied to it: zod `.max(100)`, `Math.min(100, ...)`
    # how the name is written: "zod" (a key of a `z.object({...})` shape), "type" (a member of an object
    # type, interface or DTO class), "literal" (a key of an object literal the handler answers with),
    # "zod-shorthand" / "literal-shorthand" (`{ name }`); "" otherwise (a destructuring, a `Pick` key, a
    # table column): only written keys can be renamed in place
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Insertion:
    """Where a new member of an object literal or object type goes, and how it is written: the text
    `lead + member + trail` at `location` (a point) after the last member, keeping the separators and
    the indentation the object already uses. `kind` is "zod" (`name: z.string()`) or "type" (`name: T`)."""

    location: Location
    lead: str
    trail: str
    kind: str = ""


@dataclass(frozen=True, slots=True)
class CodeDbAccess:
    """A Supabase query made by a handler: `.from("t").select("a, b")`, `.insert(...)`, `.rpc("fn")`."""

    kind: Literal["from", "rpc"]
    name: str | None  # table or function; None when not a literal
    location: Location
    operations: tuple[str, ...] = ()  # select, insert, update, upsert, delete
    columns: tuple[str, ...] | None = None  # `.select("a, b")`; None for `*` or a non-literal
    in_handler: bool = True  # False: in a function the handler calls (a service)


@dataclass(frozen=True, slots=True)
class CodeClientUse:
    """How a handler gets its Supabase client."""

    kind: Literal["locals", "created", "service-role"]
    location: Location
    shared: bool = False  # a module-level client (made once at import, without the request's session)


@dataclass(frozen=True, slots=True)
class FieldSet:
    """Fields a handler accepts or returns; `complete` is False when a source could not be resolved."""

    fields: tuple[CodeField, ...]
    complete: bool
    source: Location | None = None  # the schema or type the fields came from
    insert: Insertion | None = None  # where a missing field is added (one zod shape or object type)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


@dataclass(frozen=True, slots=True)
class Route:
    method: str  # upper case; "ALL" handlers are expanded by the adapter
    path: str  # display path, parameters as {name}
    key: str  # canonical key, see core.keys
    location: Location  # the handler (export name, decorator, router call)
    framework: str
    statuses: tuple[CodeStatus, ...] = ()
    statuses_complete: bool = False
    error_codes: tuple[CodeErrorCode, ...] = ()
    error_codes_complete: bool = False
    request_fields: FieldSet | None = None
    response_fields: FieldSet | None = None
    query_params: tuple[CodeField, ...] = ()
    query_params_complete: bool = False
    headers_read: tuple[CodeField, ...] = ()
    headers_complete: bool = False  # every header access was resolved (no `request.headers` passed on)
    query_bounds: tuple[tuple[str, int | None], ...] = ()  # query param -> enforced upper bound (None: none)
    validates_body: bool | None = None
    reads_body: bool = False
    stub_405: bool = False  # only answers 405: not an implementation
    handler_range: Location | None = None  # the handler's whole body
    wildcard_method: bool = False  # expanded from `ALL` / a handler that answers every method
    db_access: tuple[CodeDbAccess, ...] = ()
    clients: tuple[CodeClientUse, ...] = ()
    unresolved: tuple[str, ...] = ()  # why `statuses_complete` is False ("file:line: call to `x`")

    @property
    def status_codes(self) -> tuple[int, ...]:
        return tuple(sorted({s.code for s in self.statuses}))


@dataclass(frozen=True, slots=True)
class SchemaColumn:
    name: str
    location: Location
    type: str | None = None
    nullable: bool | None = None
    default: str | None = None
    references: str | None = None


@dataclass(frozen=True, slots=True)
class SchemaPolicy:
    name: str
    table: str
    command: Literal["select", "insert", "update", "delete", "all"]
    location: Location
    roles: tuple[str, ...] | None = None  # None: no TO clause (public)
    permissive: bool = True
    using: str | None = None  # normalised
    with_check: str | None = None


@dataclass(frozen=True, slots=True)
class SchemaIndex:
    columns: tuple[str, ...]
    location: Location
    name: str | None = None
    unique: bool = False
    implicit: bool = False  # made by a PRIMARY KEY or UNIQUE constraint, not by CREATE INDEX


@dataclass(frozen=True, slots=True)
class SchemaTable:
    """A table in the migrations' final state."""

    name: str  # lower case, `public.` dropped
    location: Location  # where it was created
    columns: tuple[SchemaColumn, ...] = ()
    rls: bool | None = None  # None: unknown (dynamic SQL not understood)
    rls_location: Location | None = None  # the statement that decided the final state
    forced_rls: bool = False
    policies: tuple[SchemaPolicy, ...] = ()
    indexes: tuple[SchemaIndex, ...] = ()
    partition_of: str | None = None  # a partition: queries through the parent use the parent's RLS
    policies_complete: bool = True  # False: dynamic or conditional SQL may have changed the policies
    name_location: Location | None = None  # the table name in the CREATE TABLE that made it


@dataclass(frozen=True, slots=True)
class SchemaEnum:
    name: str
    values: tuple[str, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class SchemaView:
    name: str
    location: Location
    materialized: bool = False


@dataclass(frozen=True, slots=True)
class TypesTable:
    """A table of the generated `database.types.ts` (`Database["public"]["Tables"][name]["Row"]`)."""

    name: str
    columns: tuple[str, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class RouteFile:
    """What one source file contributes: its routes (empty for non-route files) and problems."""

    file: str
    routes: tuple[Route, ...] = ()
    issues: tuple[ReaderIssue, ...] = ()


@dataclass(frozen=True)
class CodeModel:
    framework: str = "none"  # detected or configured (the first of `frameworks`)
    framework_reason: str = ""
    frameworks: tuple[tuple[str, str], ...] = ()  # every framework found: (name, reason)
    found_instead: tuple[str, ...] = ()  # with no route source: what the project has instead
    routes: tuple[Route, ...] = ()
    route_files: tuple[str, ...] = ()
    tables: tuple[SchemaTable, ...] = ()
    views: tuple[str, ...] = ()
    enums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    types_tables: tuple[tuple[str, tuple[str, ...]], ...] | None = None  # database.types.ts: (table, columns)
    migrations: tuple[str, ...] = ()
    secrets: tuple[SecretFinding, ...] = ()
    middleware_statuses: tuple[CodeStatus, ...] = ()  # answered before or around every handler
    astro_output: str | None = None  # astro.config `output` ("static" when unset); None: no Astro config
    prerender_exports: tuple[tuple[str, str | None], ...] = ()  # route file -> `prerender` literal or None
    issues: tuple[ReaderIssue, ...] = ()
    schema_enums: tuple[SchemaEnum, ...] = ()  # enums with locations (`enums` has the same names)
    schema_views: tuple[SchemaView, ...] = ()  # views with locations (`views` has the same names)
    types_file: str | None = None  # the generated types file read into `types_tables`
    types_entries: tuple[TypesTable, ...] = ()  # `types_tables` with locations
    unread_files: tuple[str, ...] = ()  # route sources and migrations whose text could not be read (SL903)

    @property
    def has_routes_source(self) -> bool:
        return bool(self.route_files)
