"""Read one TypeScript/JavaScript file into `ModuleFacts`: one parse, one merged query, no resolution.

The query captures declarations at the top level and, anywhere, functions, returns, throws, local
declarations, try blocks, calls, casts and `*.method` comparisons. Captures are visited in the Python
side once; each is attributed to its innermost function (`FunctionIndex`). Rare tokens (`locals.supabase`,
`SERVICE_ROLE`) are found with a byte regex instead of query patterns, which is cheaper.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache

import tree_sitter as ts

from stage_lsp.code.expr import Call, Expr, Member, Str, Unknown
from stage_lsp.code.facts import (
    CallSite,
    ClientUse,
    DbCall,
    FunctionFacts,
    MethodCheck,
    ModuleFacts,
    NameRead,
    RouterCall,
    SchemaUse,
    Thrown,
)
from stage_lsp.code.treesitter import Dialect, captures_in_order, language, parse
from stage_lsp.code.ts_convert import Converter, string_value, text
from stage_lsp.code.ts_declarations import ModuleBuilder
from stage_lsp.code.ts_functions import (
    BODY_METHODS,
    FnBuilder,
    FunctionIndex,
    arg_count,
    first_string_arg,
    function_name,
    is_body_read,
    is_request_object,
    upper_bound_around,
)
from stage_lsp.core.location import Range
from stage_lsp.core.source import SourceFile

_PATTERNS = (
    "(import_statement) @import",
    "(program (export_statement) @export)",
    "(program [(lexical_declaration) (variable_declaration) (function_declaration) (class_declaration)] @decl)",
    "(program [(generator_function_declaration) (abstract_class_declaration)] @decl)",
    "(program [(interface_declaration) (type_alias_declaration) (enum_declaration)] @decl)",
    "[(arrow_function) (function_expression) (function_declaration) (method_definition)] @fn",
    "[(generator_function) (generator_function_declaration)] @fn",
    "(return_statement) @ret",
    "(throw_statement) @throw",
    "(variable_declarator) @var",
    "(try_statement) @try",
    "(call_expression function: (member_expression property: (property_identifier))) @mcall",
    "(call_expression function: (identifier)) @ccall",
    # `await f<T>(x)` parses as a call of `await f`
    "(call_expression function: (await_expression (identifier))) @ccall",
    "(call_expression function: (await_expression (member_expression property: (property_identifier)))) @mcall",
    "[(as_expression) (satisfies_expression)] @as",
    "(binary_expression left: (member_expression property: (property_identifier)) right: (string)) @cmp",
    "(binary_expression left: (string) right: (member_expression property: (property_identifier))) @cmp",
    "(switch_statement value: (parenthesized_expression (member_expression property: (property_identifier)))) @switch",
    "(switch_statement value: (parenthesized_expression (identifier))) @switch",
    "(binary_expression left: (identifier) right: (string)) @cmp",
    "(call_expression function: (member_expression object: (array) property: (property_identifier))) @incl",
)

ROUTER_PROPS = frozenset(
    {
        b"get",
        b"post",
        b"put",
        b"patch",
        b"delete",
        b"all",
        b"head",
        b"options",
        b"route",
        b"use",
        b"basePath",
        b"on",
    }
)
SCHEMA_METHODS = frozenset({b"safeParse", b"parse", b"safeParseAsync", b"parseAsync"})
DB_OPS = frozenset({"select", "insert", "update", "upsert", "delete"})
EFFECT_PROPS = frozenset({b"json", b"send", b"sendStatus", b"end", b"redirect", b"status", b"sendFile"})
_CLIENT_CALL = re.compile(
    r"^(create\w*Client|create\w*Supabase\w*|createSupabase\w*|get\w*Supabase\w*Client)$", re.I
)
_NEWLINE = re.compile(rb"\n")
_HEADERS_PASSED = re.compile(
    rb"\b(?:request|req|c\.req|ctx\.request|context\.request)\.headers\b(?!\s*\.\s*(?:get|has)\b)"
)
_LOCALS_SUPABASE = re.compile(rb"\blocals\??\.supabase\b")
_SERVICE_ROLE = re.compile(rb"SERVICE_ROLE")


@cache
def _query(dialect: Dialect) -> ts.Query:
    lang = language(dialect)
    try:  # every pattern exists in TypeScript's grammars; compiling is costly (~45 ms), so once
        return ts.Query(lang, "\n".join(_PATTERNS))
    except (ts.QueryError, ValueError):
        pass
    kept = []
    for pattern in _PATTERNS:
        try:
            ts.Query(lang, pattern)
        except (ts.QueryError, ValueError):  # node kind missing in this grammar (JS has no types)
            continue
        kept.append(pattern)
    return ts.Query(lang, "\n".join(kept))


def extract_ts(src: SourceFile, dialect: Dialect) -> ModuleFacts:
    data = src.text.encode("utf-8", errors="surrogatepass")
    tree = parse(src, dialect)  # incremental for an open document (code.incremental)
    conv = Converter(src.text, src.lines, data)
    caps = captures_in_order(_query(dialect), tree.root_node)
    module = ModuleBuilder(conv)
    index = FunctionIndex(caps.get("fn", []))
    fns: dict[int, FnBuilder] = {}
    for i, node in enumerate(index.nodes):
        if index.callback[i]:
            continue
        parent = index.parent[i]
        while parent >= 0 and index.callback[parent]:
            parent = index.parent[parent]
        fns[node.start_byte] = FnBuilder(conv, node, index.starts[parent] if parent >= 0 else None)

    def owner(node: ts.Node) -> FnBuilder | None:
        fid = index.owner(node.start_byte)
        return fns.get(fid) if fid is not None else None

    for node in caps.get("import", []):
        module.import_statement(node)
    for node in caps.get("export", []):
        module.export_statement(node)
    for node in caps.get("decl", []):
        module.declaration(node)
    for node in caps.get("ret", []):
        rid = index.return_owner(node.start_byte)
        fn = fns.get(rid) if rid is not None else None
        if fn is not None:
            named = [c for c in node.named_children if c.type != "comment"]
            fn.add_return(named[0] if named else None, node)
    for node in caps.get("throw", []):
        fn = owner(node)
        named = [c for c in node.named_children if c.type != "comment"]
        if fn is not None and named:
            fn.throws.append(Thrown(conv.expr(named[0], names=fn.names), conv.rng(node), node.start_byte))
    for node in caps.get("var", []):
        fn = owner(node)
        if fn is not None:
            fn.add_local(node)
    for node in caps.get("try", []):
        fn = owner(node)
        if fn is not None:
            fn.add_try(node)
    # calls worth following later (for thrown errors): to imported or module-level names only
    known = {b.local for b in module.imports} | set(module.consts) | set(module.classes) | {"this"}
    router_calls: list[RouterCall] = []
    module_clients: list[ClientUse] = []
    serve_calls: list[Expr] = []
    prefixes: list[tuple[str, Range]] = []
    for node in caps.get("mcall", []):
        _member_call(node, owner(node), conv, router_calls, serve_calls, prefixes, index, known)
    for node in caps.get("ccall", []):
        fn = owner(node)
        callee = _unawait(node.child_by_field_name("function"))
        name = text(callee)
        if name == "serve" and fn is None:
            call = conv.expr(node)
            if isinstance(call, Call) and call.args:
                serve_calls.append(call.args[0])
        elif fn is None and _CLIENT_CALL.match(name):
            module_clients.append(ClientUse("created", conv.rng(node)))
        elif fn is not None:
            if _CLIENT_CALL.match(name):
                fn.clients.append(ClientUse("created", conv.rng(node)))
            if name in known:
                fn.calls.append(
                    CallSite(name, conv.rng(node), node.start_byte, _shallow_args(node, conv, fn))
                )
    for node in caps.get("as", []):
        fn = owner(node)
        named = node.named_children
        if (
            fn is not None and len(named) >= 2 and is_body_read(named[0])
        ):  # (await request.json()) as CreateXCommand
            fn.as_types.append((conv.type(named[-1]), conv.rng(named[-1])))
    for node in caps.get("cmp", []):
        _method_comparison(node, owner(node), conv)
    for node in caps.get("switch", []):
        _method_switch(node, owner(node), conv)
    for node in caps.get("incl", []):
        _method_includes(node, owner(node), conv)
    newlines: list[int] | None = None
    for pattern, kind in ((_LOCALS_SUPABASE, "locals"), (_SERVICE_ROLE, "service-role")):
        for m in pattern.finditer(data):
            fid = index.owner(m.start())
            if newlines is None:
                newlines = [m.start() for m in _NEWLINE.finditer(data)]
            use = ClientUse(kind, conv.rng_bytes(_point(newlines, m.start(), m.end())))
            if fid is not None and fid in fns:
                fns[fid].clients.append(use)
            elif fid is None:
                module_clients.append(use)
    for m in _HEADERS_PASSED.finditer(data):
        fid = index.owner(m.start())
        if fid is not None and fid in fns:
            fns[fid].headers_passed = True
    functions: dict[int, FunctionFacts] = {}
    for fid, b in fns.items():
        node = b.node
        decorators: list[Expr] = []
        if node.type == "method_definition":
            prev = node.prev_named_sibling
            while prev is not None and prev.type == "decorator":
                if prev.named_children:
                    decorators.append(conv.expr(prev.named_children[0]))
                prev = prev.prev_named_sibling
        b.decorators = tuple(reversed(decorators))
        rtype = node.child_by_field_name("return_type")
        functions[fid] = b.freeze(fid, function_name(node), conv.type(rtype) if rtype is not None else None)
    return ModuleFacts(
        rel=src.rel,
        language=dialect,
        imports=tuple(module.imports),
        reexports=tuple(module.reexports),
        exports=module.exports,
        export_ranges=module.export_ranges,
        consts=module.consts,
        const_ranges=module.const_ranges,
        const_types=module.const_types,
        functions=functions,
        named_functions=module.named_functions,
        classes=module.classes,
        types=module.types,
        router_calls=tuple(router_calls),
        serve_calls=tuple(serve_calls),
        global_prefixes=tuple(prefixes),
        module_clients=tuple(module_clients),
        parse_error=tree.root_node.has_error,
    )


_SHALLOW = frozenset({"identifier", "member_expression", "string", "number", "this"})


def _shallow_args(call: ts.Node, conv: Converter, fn: FnBuilder) -> tuple[Expr, ...]:
    """Arguments of a followed call, when they are names or literals (a schema, `request`, a status)."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return ()
    out: list[Expr] = []
    for child in args.named_children:
        if child.type == "comment":
            continue
        out.append(
            conv.expr(child, 12, fn.names) if child.type in _SHALLOW else Unknown("argument", conv.rng(child))
        )
    return tuple(out)


def _unawait(node: ts.Node | None) -> ts.Node | None:
    if node is not None and node.type == "await_expression" and node.named_children:
        return node.named_children[0]
    return node


def _point(newlines: list[int], start: int, end: int) -> tuple[int, int, int, int]:
    line = bisect_left(newlines, start)
    line_start = newlines[line - 1] + 1 if line else 0
    return line, start - line_start, line, end - line_start


def _outermost_chain(node: ts.Node) -> ts.Node:
    """The last call of a chain `a.b(...).c(...)` that starts at `node`."""
    current = node
    while True:
        parent = current.parent
        if parent is None or parent.type != "member_expression":
            return current
        grand = parent.parent
        if grand is None or grand.type != "call_expression":
            return current
        current = grand


def _member_call(
    node: ts.Node,
    fn: FnBuilder | None,
    conv: Converter,
    router_calls: list[RouterCall],
    serve_calls: list[Expr],
    prefixes: list[tuple[str, Range]],
    index: FunctionIndex,
    known: set[str],
) -> None:
    callee = _unawait(node.child_by_field_name("function"))
    if callee is None:
        return
    prop_node = callee.child_by_field_name("property")
    obj = callee.child_by_field_name("object")
    if prop_node is None or obj is None:
        return
    prop = prop_node.text or b""
    if prop in ROUTER_PROPS and arg_count(node) >= 1:
        top = _outermost_chain(node)
        if (
            top is node
            and top.parent is not None
            and top.parent.type in ("expression_statement", "await_expression")
        ):
            router_calls.append(RouterCall(conv.expr(top), index.owner(node.start_byte)))
    if prop == b"serve" and (obj.text or b"") == b"Deno":
        call = conv.expr(node)
        if isinstance(call, Call) and call.args:
            serve_calls.append(call.args[0])
        return
    if prop == b"setGlobalPrefix":
        found = first_string_arg(node)
        if found is not None:
            prefixes.append((found[0], conv.rng(found[1])))
        return
    if fn is None:
        return
    obj_text = obj.text or b""
    if prop in (b"get", b"getAll", b"has", b"header", b"query"):
        found = first_string_arg(node)
        if found is not None:
            is_query = obj_text.endswith(b"searchParams") or (prop == b"query" and obj_text.endswith(b"req"))
            is_header = obj_text.endswith((b"headers", b"Headers")) or (
                prop in (b"header", b"get") and obj_text in (b"req", b"c.req", b"request")
            )
            if is_query:
                fn.query_reads.append(NameRead(found[0], conv.rng(found[1]), upper_bound_around(node)))
            elif is_header:
                fn.header_reads.append(NameRead(found[0], conv.rng(found[1])))
            return
    if prop in BODY_METHODS and arg_count(node) == 0 and is_request_object(obj):
        fn.body_reads.append(conv.rng(node))
        return
    if prop in SCHEMA_METHODS and obj_text not in (b"JSON", b"Number", b"Date"):
        call = conv.expr(node, names=fn.names)
        if isinstance(call, Call):
            fn.schema_uses.append(
                SchemaUse(_callee_object(call), call.args[0] if call.args else None, call.rng)
            )
        return
    if prop == b"from" and not obj_text.endswith(b"storage"):
        found = first_string_arg(node)
        if found is not None:
            fn.db_calls.append(DbCall("from", found[0], conv.rng(node), _db_ops(node)))
    elif prop == b"rpc":
        found = first_string_arg(node)
        fn.db_calls.append(DbCall("rpc", found[0] if found else None, conv.rng(node)))
    elif prop in EFFECT_PROPS:
        top = _outermost_chain(node)
        root = obj
        while root.type in ("call_expression", "member_expression"):
            inner = root.child_by_field_name("function") or root.child_by_field_name("object")
            if inner is None:
                break
            root = inner
        if (
            top is node
            and root.type == "identifier"
            and text(root) in fn.param_names
            and node.parent is not None
            and node.parent.type in ("expression_statement", "await_expression")
        ):
            fn.effects.append(conv.expr(node, names=fn.names))
    if obj.type in ("identifier", "member_expression", "this") and _SIMPLE.match(obj_text):
        root_name = obj_text.split(b".", 1)[0].decode()
        if root_name in known:
            callee_name = f"{obj_text.decode()}.{prop.decode()}"
            fn.calls.append(
                CallSite(callee_name, conv.rng(node), node.start_byte, _shallow_args(node, conv, fn))
            )
        if _CLIENT_CALL.match(prop.decode()):
            fn.clients.append(ClientUse("created", conv.rng(node)))


_SIMPLE = re.compile(rb"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")


def _callee_object(call: Call) -> Expr:
    return call.callee.obj if isinstance(call.callee, Member) else call.callee


def _db_ops(node: ts.Node) -> tuple[tuple[str, str | None], ...]:
    ops: list[tuple[str, str | None]] = []
    current = node
    for _ in range(12):
        parent = current.parent
        if parent is None or parent.type != "member_expression":
            break
        grand = parent.parent
        if grand is None or grand.type != "call_expression":
            break
        prop = parent.child_by_field_name("property")
        name = text(prop)
        if name in DB_OPS:
            found = first_string_arg(grand)
            ops.append((name, found[0] if found else None))
        current = grand
    return tuple(ops)


def _is_method_subject(node: ts.Node) -> bool:
    """`req.method`, `request.method`, or a variable named like `method` / `httpMethod`."""
    if node.type == "member_expression":
        prop = node.child_by_field_name("property")
        return prop is not None and (prop.text or b"") == b"method"
    if node.type == "identifier":
        return (node.text or b"").lower().endswith(b"method")
    if node.type == "call_expression":  # req.method.toUpperCase()
        fn = node.child_by_field_name("function")
        obj = fn.child_by_field_name("object") if fn is not None and fn.type == "member_expression" else None
        return obj is not None and _is_method_subject(obj)
    return False


def _method_comparison(node: ts.Node, fn: FnBuilder | None, conv: Converter) -> None:
    if fn is None:
        return
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    op = node.child_by_field_name("operator")
    if left is None or right is None or op is None:
        return
    subject, lit = (left, right) if left.type != "string" else (right, left)
    if not _is_method_subject(subject):
        return
    value = string_value(lit)
    if value is None or value.upper() != value:
        return
    fn.method_checks.append(MethodCheck(value, op.type in ("!==", "!="), conv.rng(node)))


def _method_includes(node: ts.Node, fn: FnBuilder | None, conv: Converter) -> None:
    """`["PATCH", "DELETE"].includes(method)`, negated by a `!` in front."""
    callee = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    if fn is None or callee is None or args is None:
        return
    prop = callee.child_by_field_name("property")
    array = callee.child_by_field_name("object")
    if prop is None or (prop.text or b"") != b"includes" or array is None:
        return
    subject = [c for c in args.named_children if c.type != "comment"]
    if len(subject) != 1 or not _is_method_subject(subject[0]):
        return
    parent = node.parent
    negated = (
        parent is not None and parent.type == "unary_expression" and (parent.text or b"").startswith(b"!")
    )
    for item in array.named_children:
        value = string_value(item)
        if value is not None and value.upper() == value:
            fn.method_checks.append(MethodCheck(value, negated, conv.rng(item)))


def _method_switch(node: ts.Node, fn: FnBuilder | None, conv: Converter) -> None:
    value_node = node.child_by_field_name("value")
    inner = value_node.named_children[0] if value_node is not None and value_node.named_children else None
    if fn is None or inner is None or not _is_method_subject(inner):
        return
    body = node.child_by_field_name("body")
    for case in body.named_children if body is not None else ():
        if case.type != "switch_case":
            continue
        value = case.child_by_field_name("value")
        method = string_value(value) if value is not None else None
        if method is not None and value is not None:
            fn.method_checks.append(MethodCheck(method, False, conv.rng(value)))


def literal(expr: Expr) -> str | None:
    return expr.value if isinstance(expr, Str) else None
