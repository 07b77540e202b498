"""Read one Python file (FastAPI) into `ModuleFacts`: one parse, one merged query.

Captured: imports, module-level assignments (`router = APIRouter(prefix=...)`), functions with their
decorators (`@router.post("", status_code=...)`), parameters (`Depends(get_current_user)` is followed like
a call), returns, raises, calls to imported or module-level names, and top-level `include_router` calls.
Python `try` blocks are not recorded: FastAPI handlers re-raise `HTTPException` from them as a rule.
"""

from __future__ import annotations

from functools import cache

import tree_sitter as ts

from stage_lsp.code.expr import Alt, Arr, Call, Entry, Expr, FnRef, Ident, Lit, Member, Num, Obj, Str, Unknown
from stage_lsp.code.facts import (
    CallSite,
    FunctionFacts,
    ImportBinding,
    ModuleFacts,
    Param,
    RouterCall,
    Thrown,
)
from stage_lsp.code.treesitter import captures_in_order, language, parse
from stage_lsp.code.ts_functions import FunctionIndex
from stage_lsp.core.location import Range
from stage_lsp.core.source import SourceFile
from stage_lsp.core.text import LineIndex

_QUERY = """
(import_statement) @import
(import_from_statement) @import
(module (expression_statement (assignment) @assign))
(module (expression_statement (call) @topcall))
(function_definition) @fn
(return_statement) @ret
(raise_statement) @raise
(call function: [(identifier) (attribute)]) @call
"""
_MAX = 400


@cache
def _query() -> ts.Query:
    return ts.Query(language("python"), _QUERY)


def _text(node: ts.Node | None) -> str:
    return (node.text or b"").decode("utf-8", errors="replace") if node is not None else ""


class _PyConv:
    def __init__(self, text: str, lines: LineIndex) -> None:
        self.lines = lines
        self.ascii = text.isascii()
        self.budget = 0

    def rng(self, node: ts.Node) -> Range:
        (sl, sb), (el, eb) = node.start_point, node.end_point
        if self.ascii:
            return Range(sl, sb, el, eb)
        col = self.lines.col_from_utf8
        return Range(sl, col(sl, sb), el, col(el, eb))

    def expr(self, node: ts.Node | None) -> Expr:
        if node is None:
            return Lit("undefined")
        self.budget = _MAX
        return self._e(node, 0)

    def _e(self, node: ts.Node, depth: int) -> Expr:
        self.budget -= 1
        if self.budget < 0 or depth > 14:
            return Unknown(_text(node)[:60], self.rng(node))
        kind = node.type
        if kind in ("parenthesized_expression", "await"):
            named = node.named_children
            return self._e(named[0], depth + 1) if named else Unknown("", self.rng(node))
        if kind == "identifier":
            return Ident(_text(node))
        if kind == "attribute":
            obj = node.child_by_field_name("object")
            attr = node.child_by_field_name("attribute")
            if obj is None or attr is None:
                return Unknown(_text(node)[:60], self.rng(node))
            return Member(self._e(obj, depth + 1), _text(attr))
        if kind == "call":
            fn = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            positional: list[Expr] = []
            kwargs: list[tuple[str, Expr]] = []
            for child in args.named_children if args is not None else ():
                if child.type == "keyword_argument":
                    name = child.child_by_field_name("name")
                    value = child.child_by_field_name("value")
                    kwargs.append(
                        (_text(name), self._e(value, depth + 1) if value is not None else Lit("None"))
                    )
                elif child.type != "comment":
                    positional.append(self._e(child, depth + 1))
            callee = self._e(fn, depth + 1) if fn is not None else Unknown("", self.rng(node))
            return Call(callee, tuple(positional), self.rng(node), (), tuple(kwargs))
        if kind == "string":
            if any(c.type == "interpolation" for c in node.named_children):
                return Unknown(_text(node)[:60], self.rng(node))
            content = "".join(_text(c) for c in node.named_children if c.type == "string_content")
            return Str(content, self.rng(node))
        if kind == "integer":
            try:
                return Num(int(_text(node).replace("_", ""), 0), self.rng(node))
            except ValueError:
                return Unknown(_text(node), self.rng(node))
        if kind in ("true", "false", "none"):
            return Lit({"none": "null"}.get(kind, kind))
        if kind == "dictionary":
            entries: list[Entry] = []
            for child in node.named_children:
                if child.type == "pair":
                    key = child.child_by_field_name("key")
                    value = child.child_by_field_name("value")
                    key_text = None
                    if key is not None and key.type == "string":
                        k = self._e(key, depth + 1)
                        key_text = k.value if isinstance(k, Str) else None
                    entries.append(
                        Entry(
                            key_text,
                            self._e(value, depth + 1) if value is not None else Lit("null"),
                            self.rng(key if key is not None else child),
                        )
                    )
                elif child.type == "dictionary_splat":
                    inner = child.named_children
                    entries.append(
                        Entry(None, self._e(inner[0], depth + 1) if inner else Lit("null"), self.rng(child))
                    )
            return Obj(tuple(entries), self.rng(node))
        if kind in ("list", "tuple"):
            return Arr(tuple(self._e(c, depth + 1) for c in node.named_children), self.rng(node))
        if kind == "conditional_expression":
            named = node.named_children
            if len(named) >= 3:
                return Alt((self._e(named[0], depth + 1), self._e(named[2], depth + 1)))
        if kind == "boolean_operator":
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            op = node.child_by_field_name("operator")
            if left is not None and right is not None and op is not None and op.type == "or":
                return Alt((self._e(left, depth + 1), self._e(right, depth + 1)), "||")
        if kind == "lambda":
            return FnRef(node.start_byte)
        return Unknown(_text(node)[:60], self.rng(node))


def _imports(node: ts.Node, out: list[ImportBinding]) -> None:
    if node.type == "import_statement":
        for child in node.named_children:
            if child.type == "dotted_name":
                dotted_name = _text(child)
                out.append(ImportBinding(dotted_name.split(".")[0], dotted_name.split(".")[0], "*"))
            elif child.type == "aliased_import":
                out.append(
                    ImportBinding(
                        _text(child.child_by_field_name("alias")),
                        _text(child.child_by_field_name("name")),
                        "*",
                    )
                )
        return
    module = node.child_by_field_name("module_name")
    source = _text(module)
    for child in node.named_children:
        if child is module:
            continue
        if child.type == "dotted_name":
            out.append(ImportBinding(_text(child), source, _text(child)))
        elif child.type == "aliased_import":
            out.append(
                ImportBinding(
                    _text(child.child_by_field_name("alias")),
                    source,
                    _text(child.child_by_field_name("name")),
                )
            )


def _params(conv: _PyConv, fn: ts.Node) -> tuple[Param, ...]:
    params = fn.child_by_field_name("parameters")
    out: list[Param] = []
    for child in params.named_children if params is not None else ():
        kind = child.type
        if kind == "identifier":
            out.append(Param(_text(child)))
        elif kind in ("typed_parameter",):
            ident = next((c for c in child.named_children if c.type == "identifier"), None)
            out.append(Param(_text(ident)))
        elif kind in ("default_parameter", "typed_default_parameter"):
            name = child.child_by_field_name("name")
            value = child.child_by_field_name("value")
            out.append(Param(_text(name), default=conv.expr(value) if value is not None else None))
    return tuple(out)


def extract_py(src: SourceFile) -> ModuleFacts:
    tree = parse(src, "python")  # incremental for an open document (code.incremental)
    conv = _PyConv(src.text, src.lines)
    caps = captures_in_order(_query(), tree.root_node)
    imports: list[ImportBinding] = []
    for node in caps.get("import", []):
        _imports(node, imports)
    consts: dict[str, Expr] = {}
    const_ranges: dict[str, Range] = {}
    for node in caps.get("assign", []):
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is not None and left.type == "identifier" and right is not None:
            consts[_text(left)] = conv.expr(right)
            const_ranges[_text(left)] = conv.rng(left)
    fn_nodes = caps.get("fn", [])
    index = FunctionIndex(fn_nodes)
    known = {b.local for b in imports} | set(consts)
    named: dict[str, int] = {}
    for node in index.nodes:
        name = node.child_by_field_name("name")
        holder = node.parent
        if holder is not None and holder.type == "decorated_definition":
            holder = holder.parent
        if name is not None and holder is not None and holder.type == "module":
            named[_text(name)] = node.start_byte
            consts.setdefault(_text(name), FnRef(node.start_byte))
            const_ranges.setdefault(_text(name), conv.rng(name))
    known |= set(named)
    returns: dict[int, list[tuple[Expr, Range]]] = {}
    throws: dict[int, list[Thrown]] = {}
    calls: dict[int, list[CallSite]] = {}
    for node in caps.get("ret", []):
        fid = index.owner(node.start_byte)
        if fid is not None:
            named_children = node.named_children
            value = named_children[0] if named_children else None
            returns.setdefault(fid, []).append((conv.expr(value), conv.rng(value or node)))
    for node in caps.get("raise", []):
        fid = index.owner(node.start_byte)
        named_children = node.named_children
        if fid is not None and named_children:
            throws.setdefault(fid, []).append(
                Thrown(conv.expr(named_children[0]), conv.rng(node), node.start_byte)
            )
    for node in caps.get("call", []):
        fid = index.owner(node.start_byte)
        callee = _text(node.child_by_field_name("function"))
        if fid is not None and callee.split(".")[0] in known:
            call = conv.expr(node)
            args = call.args if isinstance(call, Call) else ()
            calls.setdefault(fid, []).append(CallSite(callee, conv.rng(node), node.start_byte, args))
    functions: dict[int, FunctionFacts] = {}
    for i, node in enumerate(index.nodes):
        fid = node.start_byte
        params = _params(conv, node)
        extra = [
            CallSite(f"{p.default.args[0].name}", conv.rng(node), fid)
            for p in params
            if isinstance(p.default, Call)
            and isinstance(p.default.callee, Ident)
            and p.default.callee.name == "Depends"
            and p.default.args
            and isinstance(p.default.args[0], Ident)
        ]
        decorators: list[Expr] = []
        parent_node = node.parent
        if parent_node is not None and parent_node.type == "decorated_definition":
            for d in parent_node.named_children:
                if d.type == "decorator" and d.named_children:
                    decorators.append(conv.expr(d.named_children[0]))
        rets = returns.get(fid, [])
        parent = index.parent[i]
        name = node.child_by_field_name("name")
        functions[fid] = FunctionFacts(
            fid=fid,
            rng=conv.rng(node),
            span=(node.start_byte, node.end_byte),
            name=_text(name) if name is not None else None,
            parent=index.starts[parent] if parent >= 0 else None,
            params=params,
            returns=tuple(r for r, _ in rets),
            return_ranges=tuple(r for _, r in rets),
            throws=tuple(throws.get(fid, [])),
            calls=tuple(extra + calls.get(fid, [])),
            decorators=tuple(decorators),
        )
    router_calls = [RouterCall(conv.expr(node), None) for node in caps.get("topcall", [])]
    return ModuleFacts(
        rel=src.rel,
        language="python",
        imports=tuple(imports),
        consts=consts,
        const_ranges=const_ranges,
        functions=functions,
        named_functions=named,
        router_calls=tuple(router_calls),
        parse_error=tree.root_node.has_error,
    )
