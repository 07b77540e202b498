"""What one source file says, read once and cached by content (`Workspace.cached`).

A `ModuleFacts` holds everything the project pass needs from a file, without resolving anything that
lives in another file: imports and exports, module constants, functions (parameters, returned and thrown
values, calls, request reads, database calls), classes (error classes, Nest controllers), types (DTOs),
router registrations and framework calls. Cross-file resolution (imports, helpers, router prefixes,
`Tables<"x">`) happens in `code.project` / `code.evaluate` over these cached facts, so an edit to one file
re-reads that file only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stage_lsp.code.expr import Expr, TypeExpr
from stage_lsp.core.location import Range

ByteSpan = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ImportBinding:
    local: str
    source: str  # the module specifier as written ("../lib/http", "@/types", "zod"; Python: dotted)
    imported: str  # the exported name, "default", or "*" for a namespace import


@dataclass(frozen=True, slots=True)
class ReExport:
    exported: str  # the name exported here; "*" for `export * from`
    source: str
    imported: str


@dataclass(frozen=True, slots=True)
class Param:
    name: str | None  # None for a destructuring pattern
    keys: tuple[str, ...] = ()  # names bound by `{ request, locals }`
    default: Expr | None = None
    type: TypeExpr | None = None
    decorators: tuple[Expr, ...] = ()  # Nest: @Body(), @Query('limit'), @Headers('x')
    rng: Range | None = None


@dataclass(frozen=True, slots=True)
class TryBlock:
    body: ByteSpan
    catch: ByteSpan | None
    catch_param: str | None


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call to a named function or method (`createDeck(...)`, `this.svc.find(...)`), followed for throws."""

    callee: str  # dotted: "createDeck", "FlashcardService.create", "this.svc.find"
    rng: Range
    byte: int
    args: tuple[Expr, ...] = ()


@dataclass(frozen=True, slots=True)
class Thrown:
    expr: Expr
    rng: Range
    byte: int


@dataclass(frozen=True, slots=True)
class NameRead:
    """A query parameter or header read by name, with any upper bound applied to it."""

    name: str
    rng: Range
    bound: int | None = None


@dataclass(frozen=True, slots=True)
class SchemaUse:
    """`schema.safeParse(arg)` / `.parse(arg)`; what `arg` is decides body or query."""

    schema: Expr
    arg: Expr | None
    rng: Range


@dataclass(frozen=True, slots=True)
class DbCall:
    """A Supabase query chain: `.from("t").select("a, b")`, `.insert(...)`, `.rpc("fn", ...)`."""

    kind: str  # "from" | "rpc"
    name: str | None  # table or function; None when not a literal
    rng: Range
    ops: tuple[tuple[str, str | None], ...] = ()  # (select|insert|update|upsert|delete, literal arg)


@dataclass(frozen=True, slots=True)
class ClientUse:
    kind: str  # "locals" | "created" | "service-role"
    rng: Range


@dataclass(frozen=True, slots=True)
class MethodCheck:
    """`req.method !== "POST"` / `=== "GET"` / `case "GET":` (edge functions, pages router)."""

    method: str
    negated: bool
    rng: Range


@dataclass(frozen=True, slots=True)
class Guard:
    """A return inside `switch (subject) { case "A": case "B": return ... }` (or its `default:`)."""

    subject: str  # dotted: "code", "error.code"
    values: tuple[str, ...]  # the case labels that reach the return; for default, every label of the switch
    default: bool = False


@dataclass(frozen=True, slots=True)
class Narrow:
    """A return reached only when `subject.prop` is truthy (or falsy): `if (!result.ok) return fail(result)`.

    TypeScript narrows a discriminated union there; the evaluator keeps only the alternatives of `subject`
    whose `prop` may have that truthiness, so `fail(result)` sees the failure shape, not the success one."""

    subject: str  # a local or parameter name
    prop: str
    truthy: bool


@dataclass(frozen=True, slots=True)
class FunctionFacts:
    fid: int  # start byte of the function node
    rng: Range
    span: ByteSpan
    name: str | None = None
    parent: int | None = None  # the enclosing function
    is_method: bool = False
    params: tuple[Param, ...] = ()
    returns: tuple[Expr, ...] = ()
    return_ranges: tuple[Range, ...] = ()  # the returned expressions, aligned with `returns`
    return_guards: tuple[Guard | None, ...] = ()  # aligned with `returns`
    return_narrows: tuple[tuple[Narrow, ...], ...] = ()  # aligned with `returns` (empty: none anywhere)
    # aligned with `returns` (empty: none anywhere): locals declared more than once (in different blocks)
    # whose declaration visible at that return is not the function-wide one in `locals`
    return_scopes: tuple[tuple[tuple[str, Expr], ...], ...] = ()
    return_type: TypeExpr | None = None
    throws: tuple[Thrown, ...] = ()
    locals: dict[str, Expr] = field(default_factory=dict)
    calls: tuple[CallSite, ...] = ()
    tries: tuple[TryBlock, ...] = ()
    effects: tuple[Expr, ...] = ()  # statement calls on a parameter: `res.status(404).json(...)`
    query_reads: tuple[NameRead, ...] = ()
    header_reads: tuple[NameRead, ...] = ()
    body_reads: tuple[Range, ...] = ()  # request.json() / formData() / text()
    body_fields: tuple[NameRead, ...] = ()  # `const { a, b } = await request.json()`
    body_rest: bool = False  # the destructuring has a `...rest`
    schema_uses: tuple[SchemaUse, ...] = ()
    as_types: tuple[tuple[TypeExpr, Range], ...] = ()
    db_calls: tuple[DbCall, ...] = ()
    clients: tuple[ClientUse, ...] = ()
    method_checks: tuple[MethodCheck, ...] = ()
    decorators: tuple[Expr, ...] = ()
    headers_passed: bool = False  # `request.headers` given to something else (not only `.get(...)`)


@dataclass(frozen=True, slots=True)
class ClassFacts:
    name: str
    rng: Range
    extends: Expr | None = None
    fields: dict[str, Expr] = field(default_factory=dict)  # `status = 404`, `this.status = status`
    field_types: dict[str, TypeExpr] = field(default_factory=dict)  # incl. constructor parameter properties
    ctor: int | None = None  # fid of the constructor
    super_args: tuple[Expr, ...] | None = None
    methods: dict[str, int] = field(default_factory=dict)
    decorators: tuple[Expr, ...] = ()
    type_fields: tuple[
        tuple[str, Range, bool], ...
    ] = ()  # declared properties (DTO classes): name, range, optional


@dataclass(frozen=True, slots=True)
class RouterCall:
    """An outermost call of a router chain: `app.get(...)`, `routes.route('/x', sub)`, `app.use(...)`."""

    expr: Expr
    fid: int | None  # the enclosing function, None at the top level


@dataclass(frozen=True)
class ModuleFacts:
    rel: str
    language: str  # "typescript" | "tsx" | "javascript" | "python"
    imports: tuple[ImportBinding, ...] = ()
    reexports: tuple[ReExport, ...] = ()
    exports: dict[str, str] = field(default_factory=dict)  # exported name -> local name
    export_ranges: dict[str, Range] = field(default_factory=dict)  # the exported name as written
    consts: dict[str, Expr] = field(default_factory=dict)
    const_ranges: dict[str, Range] = field(default_factory=dict)  # the declared name
    const_types: dict[str, TypeExpr] = field(default_factory=dict)  # `export const GET: APIRoute`
    functions: dict[int, FunctionFacts] = field(default_factory=dict)
    named_functions: dict[str, int] = field(default_factory=dict)
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    types: dict[str, TypeExpr] = field(default_factory=dict)
    router_calls: tuple[RouterCall, ...] = ()
    serve_calls: tuple[Expr, ...] = ()  # `Deno.serve(handler)` / `serve(handler)`: the handler
    global_prefixes: tuple[tuple[str, Range], ...] = ()  # Nest `app.setGlobalPrefix('api')`
    module_clients: tuple[
        ClientUse, ...
    ] = ()  # clients made at the top level (`createClient(url, SERVICE_ROLE)`)
    parse_error: bool = False
    problem: str | None = None  # why the file's facts could not be read at all (reported as SL903)
