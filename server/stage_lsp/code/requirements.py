"""What a handler reads and touches: request fields, query parameters, headers, body validation,
Supabase queries and clients.

Facts come from the handler, the functions nested in it and (for reads and validation) the project
functions it calls, two levels deep. A zod `safeParse`/`parse` argument decides whether the schema
validates the body (`await request.json()`, a `body` variable), the query (`url.searchParams`,
`Object.fromEntries(...)`, anything a function builds from the request URL: `parseQuery(url)`) or the
path parameters; a schema in a function that takes the URL (`function parseFilters(url: URL)`) validates
the query. When the handler validates something this cannot place, its query reads are not known
(`query_complete` false), so no rule claims a query parameter is never read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from stage_lsp.code.evaluate import Evaluator, Frame
from stage_lsp.code.expr import Alt, Call, Expr, Ident, Member, New, Obj, Str, TRef, TypeExpr, dotted, unwrap
from stage_lsp.code.facts import FunctionFacts, ModuleFacts
from stage_lsp.code.fields import Fields, TypeFields, zod_fields
from stage_lsp.code.model import CodeClientUse, CodeDbAccess, CodeField
from stage_lsp.code.throws import _dotted_expr
from stage_lsp.code.values import Lazy, Vals, VFn, VZod
from stage_lsp.core.location import Location

ClientKind = Literal["locals", "created", "service-role"]
_BODY_NAMES = frozenset({"body", "payload", "json", "requestBody", "rawBody", "reqBody", "input", "jsonBody"})
_QUERY_NAMES = frozenset({"query", "searchParams", "queryParams", "queryObject", "rawQuery", "queryData"})
_URL_NAMES = frozenset({"url", "requestUrl", "reqUrl"})
_URL_TYPES = frozenset({"URL", "URLSearchParams"})


def _is_url(expr: Expr, fn: FunctionFacts, depth: int = 0) -> bool:
    """The request URL or its query string: `url`, `request.url`, `new URL(request.url)`, `url.searchParams`."""
    e = unwrap(expr)
    if isinstance(e, Ident):
        if e.name in fn.locals and depth < 6:
            return _is_url(fn.locals[e.name], fn, depth + 1)
        return e.name in _URL_NAMES or e.name == "searchParams"
    if isinstance(e, Member):
        return e.prop in ("url", "searchParams")
    if isinstance(e, New):
        return dotted(e.callee) in _URL_TYPES
    return False


def takes_url(fn: FunctionFacts) -> bool:
    """A function given the URL or its query string (`parseFilters(url: URL)`, `(searchParams) => ...`)."""
    for p in fn.params:
        if p.name in _URL_NAMES or p.name in _QUERY_NAMES:
            return True
        if isinstance(p.type, TRef) and p.type.name in _URL_TYPES:
            return True
    return False


@dataclass
class Requirements:
    request: Fields | None = None
    query: list[CodeField] = field(default_factory=list)
    query_complete: bool = True
    headers: list[CodeField] = field(default_factory=list)
    reads_body: bool = False
    validates_body: bool | None = None
    db: list[CodeDbAccess] = field(default_factory=list)
    clients: list[CodeClientUse] = field(default_factory=list)
    headers_complete: bool = True


def _family(module: ModuleFacts, root: FunctionFacts) -> list[FunctionFacts]:
    """The function and every function nested in it."""
    out = [root]
    inside = {root.fid}
    for fn in sorted(module.functions.values(), key=lambda f: f.fid):
        if fn.parent in inside and fn.fid not in inside:
            inside.add(fn.fid)
            out.append(fn)
    return out


def classify(expr: Expr, fn: FunctionFacts, depth: int = 0) -> str:
    """`body`, `query`, `params`, `other` (known to be none of them: a fetched reply) or `unknown`: what
    a schema is asked to parse."""
    if depth > 6:
        return "unknown"
    e = unwrap(expr)
    if isinstance(e, Ident):
        if e.name in fn.locals:
            value = fn.locals[e.name]
            got = classify(value, fn, depth + 1)
            if got != "unknown" or not isinstance(unwrap(value), Obj):
                return got
            # an object filled in afterwards (`const rawQuery = {}; rawQuery.limit = ...`): its name says
        if e.name in _BODY_NAMES:
            return "body"
        if e.name in _QUERY_NAMES:
            return "query"
        if e.name == "params":
            return "params"
        return "unknown"
    if isinstance(e, Member):
        if e.prop in ("searchParams", "query"):
            return "query"
        if e.prop == "params":
            return "params"
        if e.prop in ("body",):
            return "body"
        return classify(e.obj, fn, depth + 1)
    if isinstance(e, Call):
        callee = e.callee
        if isinstance(callee, Member):
            target = dotted(callee.obj) or ""
            if callee.prop in ("json", "formData", "text") and not e.args:
                # another object's body (a `fetch` reply) is known not to be the request's
                return "body" if target.endswith(("request", "req")) else "other"
            if callee.prop == "get" and target.endswith("searchParams"):
                return "query"
            if callee.prop == "fromEntries" and e.args:
                return classify(e.args[0], fn, depth + 1)
            if callee.prop in ("entries", "toString", "getAll"):
                return classify(callee.obj, fn, depth + 1)
            if callee.prop == "valid" and e.args and isinstance(e.args[0], Str):
                return {"json": "body", "form": "body", "query": "query", "param": "params"}.get(
                    e.args[0].value, "unknown"
                )
        name = (dotted(callee) or "").lower()
        mentions_request = any(dotted(a) in ("request", "req", "context.request", "c.req") for a in e.args)
        if mentions_request or "request" in name:
            if "body" in name or "json" in name:
                return "body"
            if "query" in name or "search" in name:
                return "query"
        if any(_is_url(a, fn) for a in e.args) and "body" not in name and "json" not in name:
            return "query"  # built from the request URL: its query string (path parameters come as `params`)
        for a in e.args:
            got = classify(a, fn, depth + 1)
            if got != "unknown":
                return got
        return "unknown"
    if isinstance(e, New) and dotted(e.callee) == "URLSearchParams":
        return "query"
    if isinstance(e, Obj):
        kinds = {classify(entry.value, fn, depth + 1) for entry in e.entries}
        for kind in ("query", "body", "params"):
            if kind in kinds:
                return kind
        return "unknown"
    if isinstance(e, Alt):
        for option in e.options:
            got = classify(option, fn, depth + 1)
            if got != "unknown":
                return got
    return "unknown"


def select_columns(arg: str | None) -> tuple[str, ...] | None:
    if arg is None or "*" in arg:
        return None
    cols: list[str] = []
    depth = 0
    current = ""
    for ch in arg:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            cols.append(current)
            current = ""
            continue
        if depth == 0 and ch not in "()":
            current += ch
    cols.append(current)
    names = []
    for c in cols:
        c = c.strip()
        if not c:
            continue
        c = c.split("!")[0].split("(")[0]
        names.append(c.split(":")[-1].strip() if ":" in c else c)
    return tuple(n for n in names if n)


@dataclass
class _Collected:
    """What one function (with its nested functions and callees) reads."""

    query: list[CodeField] = field(default_factory=list)
    headers: list[CodeField] = field(default_factory=list)
    reads_body: bool = False
    body_schemas: list[Fields] = field(default_factory=list)
    query_schemas: list[Fields] = field(default_factory=list)
    db: list[CodeDbAccess] = field(default_factory=list)
    clients: list[CodeClientUse] = field(default_factory=list)
    query_unknown: bool = False  # the handler validates something that may be its query

    def add(self, other: _Collected) -> None:
        self.query.extend(other.query)
        self.headers.extend(other.headers)
        self.reads_body = self.reads_body or other.reads_body
        self.query_unknown = self.query_unknown or other.query_unknown
        self.body_schemas.extend(other.body_schemas)
        self.query_schemas.extend(other.query_schemas)
        self.db.extend(other.db)


def family(ev: Evaluator, module: ModuleFacts, root: FunctionFacts) -> list[FunctionFacts]:
    """`_family`, cached per evaluation."""
    key = ("family", module.rel, root.fid)
    found = ev.memo.get(key)
    if found is None:
        found = ev.memo[key] = _family(module, root)
    assert isinstance(found, list)
    return found


def _collect(
    ev: Evaluator,
    mod: ModuleFacts,
    root: FunctionFacts,
    env: Frame,
    direct: bool,
    depth: int,
    bindings: dict[str, Vals | Lazy] | None,
    visiting: set[tuple[str, int]],
) -> _Collected:
    fns = family(ev, mod, root)
    # a callee's reads do not depend on its arguments unless it validates a schema it is given
    cacheable = not direct and not any(fn.schema_uses for fn in fns)
    key = ("reads", mod.rel, root.fid, depth)
    if cacheable:
        cached = ev.memo.get(key)
        if isinstance(cached, _Collected):
            return cached
    out = _Collected()
    visiting = visiting | {(mod.rel, root.fid)}
    for fn in fns:
        frame = Frame(mod, fn, dict(bindings or {}) if fn is root else {}, env, env.depth)
        for read in fn.query_reads:
            out.query.append(CodeField(read.name, Location(mod.rel, read.rng), None, read.bound))
        for read in fn.header_reads:
            out.headers.append(CodeField(read.name, Location(mod.rel, read.rng)))
        if fn.body_reads or fn.body_fields:
            out.reads_body = True
        for use in fn.schema_uses:
            kind = classify(use.arg, fn) if use.arg is not None else "unknown"
            guessed = kind == "unknown"
            if kind == "unknown" and (fn.body_reads or fn.body_fields):
                kind = "body"
            if kind == "unknown" and takes_url(fn):
                kind = "query"
            if kind == "unknown" and direct:
                out.query_unknown = True
            if kind not in ("body", "query"):
                continue
            schema = next((v for v in ev.ev(use.schema, frame) if isinstance(v, VZod)), None)
            if guessed and schema is not None and schema.kind == "scalar":
                continue  # `z.string().uuid().safeParse(user.id)` next to a body read: not the body
            where = Location(mod.rel, use.rng)
            if schema is None or schema.kind != "object":
                got = Fields([], False, where)
            else:
                got = zod_fields(schema.fields, schema.complete, schema.loc or where, schema.insert)
            (out.body_schemas if kind == "body" else out.query_schemas).append(got)
        for db in fn.db_calls:
            ops = tuple(op for op, _ in db.ops)
            select = next((arg for op, arg in db.ops if op == "select"), None)
            out.db.append(
                CodeDbAccess(
                    "rpc" if db.kind == "rpc" else "from",
                    db.name,
                    Location(mod.rel, db.rng),
                    ops,
                    select_columns(select) if "select" in ops else None,
                    direct,
                )
            )
        if direct:
            for client in fn.clients:
                client_kind: ClientKind = "created"
                if client.kind == "locals":
                    client_kind = "locals"
                elif client.kind == "service-role":
                    client_kind = "service-role"
                out.clients.append(CodeClientUse(client_kind, Location(mod.rel, client.rng)))
            out.clients.extend(_imported_clients(ev, mod, fn))
        if depth >= 2:
            continue
        for call in fn.calls:
            for target in ev.ev(_dotted_expr(call.callee), frame):
                if not isinstance(target, VFn) or (target.module.rel, target.fn.fid) in visiting:
                    continue
                tenv = target.env if target.env is not None else ev.module_frame(target.module)
                bound = ev.bind(target.fn, ev.args(call.args, frame), tenv)
                out.add(_collect(ev, target.module, target.fn, tenv, False, depth + 1, bound, visiting))
    if cacheable:
        ev.memo[key] = out
    return out


def _imported_clients(ev: Evaluator, mod: ModuleFacts, fn: FunctionFacts) -> list[CodeClientUse]:
    """Calls on a client another module creates at its top level (`supabaseAdmin.from(...)`)."""
    out: list[CodeClientUse] = []
    for call in fn.calls:
        root = call.callee.split(".", 1)[0]
        if root == "this" or "." not in call.callee:
            continue
        symbol = ev.project.lookup(mod, root)
        if symbol is None or symbol.module is mod or not symbol.module.module_clients:
            continue
        kinds = {c.kind for c in symbol.module.module_clients}
        kind: ClientKind = "service-role" if "service-role" in kinds else "created"
        out.append(CodeClientUse(kind, Location(mod.rel, call.rng), shared=True))
    return out


def handler_requirements(
    ev: Evaluator,
    handler: VFn,
    types: TypeFields,
    *,
    body_schema_hint: tuple[VZod, Location | None] | None = None,
    body_type_hint: tuple[TypeExpr, ModuleFacts] | None = None,
) -> Requirements:
    module = handler.module
    env = handler.env if handler.env is not None else ev.module_frame(module)
    got = _collect(ev, module, handler.fn, env, True, 0, None, set())
    req = Requirements(
        query=list(got.query),
        query_complete=not got.query_unknown,
        headers=list(got.headers),
        reads_body=got.reads_body,
        db=list(got.db),
        clients=list(got.clients),
    )
    fam = family(ev, module, handler.fn)
    req.headers_complete = not any(fn.headers_passed for fn in fam)
    _request_fields(req, fam, list(got.body_schemas), body_schema_hint, body_type_hint, types, module)
    if got.query_schemas:
        known = {q.name for q in req.query}
        for schema in got.query_schemas:
            req.query_complete = req.query_complete and schema.complete
            for f in schema.fields:
                if f.name in known:
                    req.query = [q if q.name != f.name else _merge_query(q, f) for q in req.query]
                else:
                    req.query.append(f)
                    known.add(f.name)
    return req


def _merge_query(read: CodeField, schema: CodeField) -> CodeField:
    bound = read.max_value if read.max_value is not None else schema.max_value
    return CodeField(schema.name, schema.location, schema.optional, bound)


def _request_fields(
    req: Requirements,
    family: list[FunctionFacts],
    body_schemas: list[Fields],
    schema_hint: tuple[VZod, Location | None] | None,
    type_hint: tuple[TypeExpr, ModuleFacts] | None,
    types: TypeFields,
    module: ModuleFacts,
) -> None:
    if schema_hint is not None:
        schema, where = schema_hint
        body_schemas.append(
            zod_fields(schema.fields, schema.complete, schema.loc or where, schema.insert)
            if schema.kind == "object"
            else Fields([], False, where)
        )
    if body_schemas:
        req.validates_body = True
        merged = Fields([], True, body_schemas[0].source, body_schemas[0].insert)
        if len(body_schemas) > 1:
            merged.insert = None  # several schemas: which one the field belongs to is a decision
        for got in body_schemas:
            merged.fields.extend(got.fields)
            merged.complete = merged.complete and got.complete
        req.request = merged
        return
    if type_hint is not None:
        t, tmodule = type_hint
        req.request = types.of(t, tmodule)
        return
    destructured = [f for fn in family for f in fn.body_fields]
    if destructured:
        rest = any(fn.body_rest for fn in family)
        req.request = Fields(
            [CodeField(f.name, Location(module.rel, f.rng)) for f in destructured],
            not rest,
            Location(module.rel, destructured[0].rng),
        )
    else:
        casts = [c for fn in family for c in fn.as_types]
        if casts:
            t, rng = casts[0]
            got = types.of(t, module)
            got.source = got.source or Location(module.rel, rng)
            req.request = got
    if req.reads_body:
        req.validates_body = False
