"""Per-function facts of a TypeScript/JavaScript file: parameters, returns, throws, calls, request reads.

`FunctionIndex` finds the innermost function around any position (functions nest properly, so the
parent chain of the last function that starts before a position contains it). `FnBuilder` collects one
function's facts while the file's query captures are visited, then freezes them into `FunctionFacts`.
Local declarations are kept as nodes and converted only when something the project pass needs refers to
them (returned values, thrown values, schema arguments, effects).
"""

from __future__ import annotations

import re
from bisect import bisect_right

import tree_sitter as ts

from stage_lsp.code.expr import Caught, Expr, Member, TypeExpr
from stage_lsp.code.facts import (
    CallSite,
    ClientUse,
    DbCall,
    FunctionFacts,
    Guard,
    MethodCheck,
    NameRead,
    Narrow,
    Param,
    SchemaUse,
    Thrown,
    TryBlock,
)
from stage_lsp.code.ts_convert import Converter, string_value, text
from stage_lsp.code.ts_narrows import Declaration, enclosing_block, if_narrows
from stage_lsp.core.location import Range

# Array/promise methods whose function arguments are callbacks, never handlers or helpers: what they
# read or call belongs to the enclosing function, what they return does not.
CALLBACK_METHODS = frozenset(
    {
        b"map",
        b"filter",
        b"forEach",
        b"reduce",
        b"find",
        b"findIndex",
        b"some",
        b"every",
        b"flatMap",
        b"sort",
        b"then",
        b"catch",
        b"finally",
        b"replace",
        b"toSorted",
    }
)


def is_callback(node: ts.Node) -> bool:
    parent = node.parent
    if parent is None or parent.type != "arguments":
        return False
    call = parent.parent
    fn = call.child_by_field_name("function") if call is not None else None
    if fn is None or fn.type != "member_expression":
        return False
    prop = fn.child_by_field_name("property")
    return prop is not None and (prop.text or b"") in CALLBACK_METHODS


RETURN_BUDGET = 300  # nodes converted per returned expression
LOCAL_BUDGET = 150  # per local declaration a returned value refers to


class FunctionIndex:
    """Function spans of a file; `owner(byte)` is the innermost function containing a position.

    Callbacks (`.map(x => ...)`) are transparent: `owner` skips them, `return_owner` drops their returns.
    """

    def __init__(self, nodes: list[ts.Node]) -> None:
        spans = sorted(
            {(n.start_byte, n.end_byte): n for n in nodes}.items(), key=lambda kv: (kv[0][0], -kv[0][1])
        )
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.nodes: list[ts.Node] = []
        self.parent: list[int] = []
        self.callback: list[bool] = []
        stack: list[int] = []
        for (start, end), node in spans:
            while stack and self.ends[stack[-1]] <= start:
                stack.pop()
            self.parent.append(stack[-1] if stack else -1)
            stack.append(len(self.starts))
            self.starts.append(start)
            self.ends.append(end)
            self.nodes.append(node)
            self.callback.append(is_callback(node))

    def _innermost(self, byte: int) -> int:
        i = bisect_right(self.starts, byte) - 1
        while i >= 0 and self.ends[i] <= byte:
            i = self.parent[i]
        return i

    def owner_index(self, byte: int) -> int:
        i = self._innermost(byte)
        while i >= 0 and self.callback[i]:
            i = self.parent[i]
        return i

    def owner(self, byte: int) -> int | None:
        i = self.owner_index(byte)
        return self.starts[i] if i >= 0 else None

    def return_owner(self, byte: int) -> int | None:
        i = self._innermost(byte)
        return self.starts[i] if i >= 0 and not self.callback[i] else None


_URL_TYPE = re.compile(rb"\s*:?\s*(?:URL|URLSearchParams)\s*")


def param_facts(conv: Converter, fn: ts.Node) -> tuple[Param, ...]:
    params = fn.child_by_field_name("parameters")
    method = fn.type == "method_definition"  # decorators and types matter for classes (and URL params)
    if params is None:
        single = fn.child_by_field_name("parameter")
        return (Param(text(single), rng=conv.rng(single)),) if single is not None else ()
    out: list[Param] = []
    for child in params.named_children:
        kind = child.type
        pattern: ts.Node | None = child
        default: ts.Node | None = None
        type_node: ts.Node | None = None
        decorators: tuple[Expr, ...] = ()
        if kind in ("required_parameter", "optional_parameter"):
            pattern = child.child_by_field_name("pattern")
            default = child.child_by_field_name("value")
            annotation = child.child_by_field_name("type")
            if not method and annotation is not None and _URL_TYPE.fullmatch(annotation.text or b""):
                type_node = annotation  # a URL parameter: what a schema in this function validates
            if method:
                type_node = annotation
                decorators = tuple(
                    conv.expr(c.named_children[0])
                    for c in child.children
                    if c.type == "decorator" and c.named_children
                )
        elif kind == "assignment_pattern":
            pattern = child.child_by_field_name("left")
            default = child.child_by_field_name("right")
        elif kind == "comment":
            continue
        if pattern is None:
            continue
        name: str | None = None
        keys: tuple[str, ...] = ()
        if pattern.type == "identifier":
            name = text(pattern)
        elif pattern.type == "object_pattern":
            keys = pattern_keys(pattern)
        elif pattern.type == "this":
            continue
        out.append(
            Param(
                name,
                keys,
                conv.expr(default) if default is not None else None,
                conv.type(type_node) if type_node is not None else None,
                decorators,
                conv.rng(pattern) if method else None,
            )
        )
    return tuple(out)


def pattern_keys(pattern: ts.Node) -> tuple[str, ...]:
    keys: list[str] = []
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            keys.append(text(child))
        elif child.type == "pair_pattern":
            key = child.child_by_field_name("key")
            if key is not None:
                keys.append(text(key))
        elif child.type == "object_assignment_pattern":
            left = child.child_by_field_name("left")
            if left is not None:
                keys.append(text(left))
    return tuple(keys)


def function_name(node: ts.Node) -> str | None:
    name = node.child_by_field_name("name")
    if name is not None:
        return text(name)
    parent = node.parent
    if parent is not None and parent.type == "variable_declarator":
        return text(parent.child_by_field_name("name"))
    if parent is not None and parent.type == "pair":
        return text(parent.child_by_field_name("key"))
    return None


class FnBuilder:
    """Mutable collector for one function; `freeze` converts referenced locals and returns the facts.

    Lists are created on first use: most functions of a file (callbacks, components) record nothing.
    """

    __slots__ = (
        "as_types",
        "body_fields",
        "body_reads",
        "body_rest",
        "calls",
        "clients",
        "conv",
        "db_calls",
        "decorators",
        "effects",
        "header_reads",
        "headers_passed",
        "local_decls",
        "local_nodes",
        "method_checks",
        "names",
        "node",
        "param_names",
        "params",
        "parent",
        "query_reads",
        "return_bytes",
        "return_guards",
        "return_narrows",
        "return_ranges",
        "returns",
        "schema_uses",
        "throws",
        "tries",
    )

    def __init__(self, conv: Converter, node: ts.Node, parent: int | None) -> None:
        self.conv = conv
        self.node = node
        self.parent = parent
        self.params = param_facts(conv, node)
        self.param_names = {p.name for p in self.params if p.name} | {k for p in self.params for k in p.keys}
        self.returns: list[Expr] = []
        self.return_ranges: list[Range] = []
        self.return_guards: list[Guard | None] = []
        self.return_narrows: list[tuple[Narrow, ...]] = []
        self.return_bytes: list[int] = []
        self.local_decls: dict[str, list[Declaration]] = {}
        self.throws: list[Thrown] = []
        self.local_nodes: dict[str, tuple[ts.Node, str | None]] = {}
        self.names: set[str] = set()  # identifiers the converted expressions refer to
        self.calls: list[CallSite] = []
        self.tries: list[TryBlock] = []
        self.effects: list[Expr] = []
        self.query_reads: list[NameRead] = []
        self.header_reads: list[NameRead] = []
        self.headers_passed = False
        self.body_reads: list[Range] = []
        self.body_fields: list[NameRead] = []
        self.body_rest = False
        self.schema_uses: list[SchemaUse] = []
        self.as_types: list[tuple[TypeExpr, Range]] = []
        self.db_calls: list[DbCall] = []
        self.clients: list[ClientUse] = []
        self.method_checks: list[MethodCheck] = []
        self.decorators: tuple[Expr, ...] = ()
        if node.type == "arrow_function":
            body = node.child_by_field_name("body")
            if body is not None and body.type != "statement_block":
                self.add_return(body)

    def add_return(self, value: ts.Node | None, statement: ts.Node | None = None) -> None:
        self.returns.append(self.conv.expr(value, RETURN_BUDGET, self.names))
        where = value if value is not None else statement
        self.return_ranges.append(self.conv.rng(where) if where is not None else self.conv.rng(self.node))
        self.return_guards.append(switch_guard(statement) if statement is not None else None)
        self.return_narrows.append(if_narrows(statement) if statement is not None else ())
        self.return_bytes.append((statement or value or self.node).start_byte)

    def add_try(self, node: ts.Node) -> None:
        body = node.child_by_field_name("body")
        handler = node.child_by_field_name("handler")
        param: str | None = None
        catch_span: tuple[int, int] | None = None
        if handler is not None:
            p = handler.child_by_field_name("parameter")
            if p is not None and p.type == "identifier":
                param = text(p)
            catch_span = (handler.start_byte, handler.end_byte)
        if body is None:
            return
        self.tries.append(TryBlock((body.start_byte, body.end_byte), catch_span, param))

    def add_local(self, decl: ts.Node) -> None:
        name = decl.child_by_field_name("name")
        value = decl.child_by_field_name("value")
        if name is None or value is None:
            return
        if name.type == "identifier":
            self._bind(text(name), value, None, decl)
            type_node = decl.child_by_field_name("type")
            if type_node is not None and b".json()" in (value.text or b""):
                self.as_types.append((self.conv.type(type_node), self.conv.rng(type_node)))
        elif name.type == "object_pattern" and is_body_read(value):
            for child in name.named_children:
                if child.type == "rest_pattern":
                    self.body_rest = True
                    continue
                key = child
                if child.type == "pair_pattern":
                    key = child.child_by_field_name("key") or child
                elif child.type == "object_assignment_pattern":
                    key = child.child_by_field_name("left") or child
                self.body_fields.append(NameRead(text(key), self.conv.rng(key)))
        elif name.type == "object_pattern":  # const { data, error, status } = await service(...)
            for child in name.named_children:
                if child.type == "shorthand_property_identifier_pattern":
                    self._bind(text(child), value, text(child), decl)
                elif child.type == "pair_pattern":
                    pkey = child.child_by_field_name("key")
                    alias = child.child_by_field_name("value")
                    if pkey is not None and alias is not None and alias.type == "identifier":
                        self._bind(text(alias), value, text(pkey), decl)
                elif child.type == "object_assignment_pattern":
                    left = child.child_by_field_name("left")
                    if left is not None and left.type == "shorthand_property_identifier_pattern":
                        self._bind(text(left), value, text(left), decl)

    def _bind(self, name: str, value: ts.Node, key: str | None, decl: ts.Node) -> None:
        """A local: the last declaration in the function is its value; every declaration is kept so that a
        return inside a block sees the one declared there (`if (x) { const err = a(); return f(err); }`)."""
        self.local_nodes[name] = (value, key)
        self.local_decls.setdefault(name, []).append(
            Declaration(value, key, decl.start_byte, enclosing_block(decl))
        )

    def _return_scopes(self) -> tuple[tuple[tuple[str, Expr], ...], ...]:
        """Per return, the names declared more than once whose visible declaration is not the default one."""
        dups = {n: ds for n, ds in self.local_decls.items() if len(ds) > 1}
        if not dups:
            return ()
        out: list[tuple[tuple[str, Expr], ...]] = []
        for at in self.return_bytes:
            chosen: list[tuple[str, Expr]] = []
            for local, decls in dups.items():
                visible = [d for d in decls if d.start < at and d.block[0] <= at < d.block[1]]
                if not visible or max(visible, key=lambda d: d.start) is decls[-1]:
                    continue
                d = max(visible, key=lambda d: d.start)
                value = self.conv.expr(d.value, LOCAL_BUDGET, self.names)
                chosen.append((local, Member(value, d.key) if d.key is not None else value))
            out.append(tuple(chosen))
        return tuple(out) if any(out) else ()

    def freeze(self, fid: int, name: str | None, return_type: TypeExpr | None) -> FunctionFacts:
        return_scopes = self._return_scopes()
        locals_: dict[str, Expr] = {}
        for i, t in enumerate(self.tries):
            if t.catch_param:
                locals_[t.catch_param] = Caught(i)
        pending = self.names
        seen: set[str] = set(locals_)
        converted_values: dict[int, Expr] = {}
        while pending:
            found_names: set[str] = set()
            for ident in pending:
                if ident in seen:
                    continue
                seen.add(ident)
                found = self.local_nodes.get(ident)
                if found is None:
                    continue
                node, key = found
                value = converted_values.get(node.start_byte)
                if value is None:
                    value = converted_values[node.start_byte] = self.conv.expr(
                        node, LOCAL_BUDGET, found_names
                    )
                locals_[ident] = Member(value, key) if key is not None else value
            pending = found_names - seen
        return FunctionFacts(
            fid=fid,
            rng=self.conv.rng(self.node),
            span=(self.node.start_byte, self.node.end_byte),
            name=name,
            parent=self.parent,
            is_method=self.node.type == "method_definition",
            params=self.params,
            returns=tuple(self.returns),
            return_ranges=tuple(self.return_ranges),
            return_guards=tuple(self.return_guards) if any(self.return_guards) else (),
            return_narrows=tuple(self.return_narrows) if any(self.return_narrows) else (),
            return_scopes=return_scopes,
            return_type=return_type,
            throws=tuple(sorted(self.throws, key=lambda r: (r.rng.line, r.rng.col))),
            locals=locals_,
            calls=tuple(sorted(self.calls, key=lambda r: (r.rng.line, r.rng.col))),
            tries=tuple(self.tries),
            effects=tuple(self.effects),
            query_reads=tuple(sorted(self.query_reads, key=lambda r: (r.rng.line, r.rng.col))),
            header_reads=tuple(sorted(self.header_reads, key=lambda r: (r.rng.line, r.rng.col))),
            body_reads=tuple(sorted(self.body_reads, key=lambda r: (r.line, r.col))),
            body_fields=tuple(self.body_fields),
            body_rest=self.body_rest,
            schema_uses=tuple(sorted(self.schema_uses, key=lambda r: (r.rng.line, r.rng.col))),
            as_types=tuple(self.as_types),
            db_calls=tuple(sorted(self.db_calls, key=lambda r: (r.rng.line, r.rng.col))),
            clients=tuple(sorted(self.clients, key=lambda r: (r.rng.line, r.rng.col))),
            method_checks=tuple(sorted(self.method_checks, key=lambda r: (r.rng.line, r.rng.col))),
            decorators=self.decorators,
            headers_passed=self.headers_passed,
        )


_REQUEST_OBJECTS = (b"request", b"req", b"context.request", b"ctx.request", b"c.req", b"event.request")
BODY_METHODS = frozenset({b"json", b"formData", b"text", b"arrayBuffer", b"blob"})


def is_request_object(obj: ts.Node) -> bool:
    raw = obj.text or b""
    return raw in _REQUEST_OBJECTS or raw.endswith((b".request", b".req"))


def switch_guard(statement: ts.Node) -> Guard | None:
    """The case labels under which a `return` in a switch is reached (string labels only)."""
    case = statement.parent
    if case is None or case.type not in ("switch_case", "switch_default"):
        return None
    body = case.parent
    switch = body.parent if body is not None else None
    value = switch.child_by_field_name("value") if switch is not None else None
    if value is None or body is None:
        return None
    inner = (
        value.named_children[0]
        if value.type == "parenthesized_expression" and value.named_children
        else value
    )
    subject = text(inner)
    if not re.fullmatch(r"[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*", subject):
        return None
    labels: list[str] = []
    if case.type == "switch_default":
        for c in body.named_children:
            label = c.child_by_field_name("value") if c.type == "switch_case" else None
            found = string_value(label) if label is not None else None
            if label is not None and found is None:
                return None
            if found is not None:
                labels.append(found)
        return Guard(subject, tuple(labels), True)
    current: ts.Node | None = case
    while current is not None and current.type == "switch_case":
        label = current.child_by_field_name("value")
        found = string_value(label) if label is not None else None
        if found is None:
            return None
        labels.append(found)
        prev = current.prev_named_sibling
        # an empty case above falls through to this one
        if prev is None or prev.type != "switch_case" or prev.child_by_field_name("body") is not None:
            break
        current = prev
    return Guard(subject, tuple(labels))


def is_body_read(value: ts.Node) -> bool:
    """`await request.json()` (possibly cast or parenthesised)."""
    node: ts.Node | None = value
    while node is not None and node.type in (
        "await_expression",
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
    ):
        named = node.named_children
        node = named[0] if named else None
    if node is None or node.type != "call_expression":
        return False
    fn = node.child_by_field_name("function")
    if fn is None or fn.type != "member_expression":
        return False
    prop = fn.child_by_field_name("property")
    obj = fn.child_by_field_name("object")
    return (
        prop is not None and obj is not None and (prop.text or b"") in BODY_METHODS and is_request_object(obj)
    )


def first_string_arg(call: ts.Node) -> tuple[str, ts.Node] | None:
    args = call.child_by_field_name("arguments")
    if args is None:
        return None
    for child in args.named_children:
        if child.type == "comment":
            continue
        value = string_value(child)
        return (value, child) if value is not None else None
    return None


def arg_count(call: ts.Node) -> int:
    args = call.child_by_field_name("arguments")
    return 0 if args is None else sum(1 for c in args.named_children if c.type != "comment")


def upper_bound_around(node: ts.Node) -> int | None:
    """`Math.min(100, Math.max(1, Number(x.get("limit") ?? 20)))`: the literal a read is clamped to, if any.

    Walks up the enclosing expression (not past its statement), so nested clamps are found."""
    current: ts.Node | None = node.parent
    for _ in range(16):
        if current is None or current.type in ("statement_block", "program", "lexical_declaration"):
            return None
        if current.type == "call_expression":
            fn = current.child_by_field_name("function")
            if fn is not None and (fn.text or b"") == b"Math.min":
                args = current.child_by_field_name("arguments")
                for child in args.named_children if args is not None else ():
                    if child.type == "number":
                        try:
                            return int(text(child), 0)
                        except ValueError:
                            return None
        current = current.parent
    return None
