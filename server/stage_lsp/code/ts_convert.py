"""Turn TypeScript/JavaScript syntax nodes into `code.expr` summaries (bounded, never raising).

Only the shapes the project pass interprets are modelled (literals, identifiers, member chains, calls,
`new`, object and array literals, `||`/`??`/ternaries, casts, function references); everything else is
`Unknown`. A node budget keeps a pathological literal (a 5,000-line config object) cheap.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import tree_sitter as ts

from stage_lsp.code.expr import (
    Alt,
    Append,
    Arr,
    As,
    Call,
    Entry,
    Expr,
    FnRef,
    Ident,
    Index,
    Lit,
    Member,
    New,
    Num,
    Obj,
    Str,
    TArray,
    TField,
    This,
    TIndex,
    TInter,
    TKeyword,
    TLit,
    TObj,
    TRef,
    TUnion,
    TUnknown,
    TypeExpr,
    Unknown,
)
from stage_lsp.core.location import Range
from stage_lsp.core.text import LineIndex

FUNCTION_NODES = frozenset(
    {
        "arrow_function",
        "function_expression",
        "function",
        "function_declaration",
        "generator_function",
        "generator_function_declaration",
        "method_definition",
    }
)
_TRANSPARENT = frozenset({"parenthesized_expression", "await_expression", "non_null_expression"})
_CASTS = frozenset({"as_expression", "satisfies_expression", "type_assertion"})
_NEWLINE = re.compile(rb"\n")
_MAX_NODES = 600
_OPAQUE_KEYS = frozenset({"headers"})
_MAX_DEPTH = 14


def text(node: ts.Node | None) -> str:
    if node is None:
        return ""
    return (node.text or b"").decode("utf-8", errors="replace")


def string_value(node: ts.Node) -> str | None:
    """The value of a string literal (or a template without substitutions), else None."""
    if node.type == "string":
        raw = node.text or b""
        return raw[1:-1].decode("utf-8", errors="replace") if len(raw) >= 2 else ""
    if node.type == "template_string":
        for child in node.named_children:
            if child.type == "template_substitution":
                return None
        raw = node.text or b""
        return raw[1:-1].decode("utf-8", errors="replace")
    return None


class Converter:
    """Node -> Expr / TypeExpr for one file; positions converted from UTF-8 bytes to code points."""

    __slots__ = ("_ascii", "_budget", "_data", "_lines", "_names", "_starts", "_wide")

    def __init__(self, source_text: str, lines: LineIndex, data: bytes = b"") -> None:
        self._data = data
        self._lines = lines
        self._ascii = source_text.isascii()
        self._budget = 0
        self._names: set[str] | None = None
        self._starts = [0] + [m.end() for m in _NEWLINE.finditer(data)] if data else [0]
        # lines holding non-ASCII text: only there do byte and code-point columns differ
        self._wide: frozenset[int] = (
            frozenset()
            if self._ascii
            else frozenset(i for i, line in enumerate(source_text.split("\n")) if not line.isascii())
        )

    # -- positions ----------------------------------------------------------------------------------

    def rng(self, node: ts.Node) -> Range:
        # byte offsets and a bisect are cheaper than the node's Point objects
        starts = self._starts
        start, end = node.start_byte, node.end_byte
        sl = bisect_right(starts, start) - 1
        el = sl if sl + 1 >= len(starts) or end < starts[sl + 1] else bisect_right(starts, end) - 1
        return self.rng_bytes((sl, start - starts[sl], el, end - starts[el]))

    def rng_bytes(self, point: tuple[int, int, int, int]) -> Range:
        sl, sb, el, eb = point
        wide = self._wide
        if not wide or (sl not in wide and el not in wide):
            return Range(sl, sb, el, eb)
        col = self._lines.col_from_utf8
        return Range(sl, col(sl, sb), el, col(el, eb))

    # -- expressions --------------------------------------------------------------------------------

    def expr(self, node: ts.Node | None, budget: int = _MAX_NODES, names: set[str] | None = None) -> Expr:
        """Convert `node`; identifiers met are added to `names` (the locals it may refer to)."""
        if node is None:
            return Lit("undefined")
        self._budget = budget
        self._names = names
        try:
            return self._expr(node, 0)
        finally:
            self._names = None

    def _unknown(self, node: ts.Node) -> Unknown:
        return Unknown(text(node)[:60], self.rng(node))

    def _expr(self, node: ts.Node, depth: int) -> Expr:
        self._budget -= 1
        if self._budget < 0 or depth > _MAX_DEPTH:
            return self._unknown(node)
        kind = node.type
        while kind in _TRANSPARENT:
            inner = node.named_children
            if not inner:
                return self._unknown(node)
            node = inner[-1] if kind != "parenthesized_expression" else inner[0]
            kind = node.type
        if kind in ("identifier", "shorthand_property_identifier", "property_identifier"):
            name = text(node)
            if self._names is not None:
                self._names.add(name)
            return Ident(name)
        if kind == "member_expression":
            obj = node.child_by_field_name("object")
            prop = node.child_by_field_name("property")
            if obj is None or prop is None:
                return self._unknown(node)
            start = prop.start_byte
            optional = self._data[start - 2 : start] == b"?."
            return Member(self._expr(obj, depth), text(prop), optional)  # chains are long, not deep
        if kind == "call_expression":
            return self._call(node, depth)
        if kind == "string" or kind == "template_string":
            value = string_value(node)
            return Str(value, self.rng(node)) if value is not None else self._unknown(node)
        if kind == "number":
            raw = text(node).replace("_", "")
            try:
                return Num(int(raw, 0), self.rng(node))
            except ValueError:
                return self._unknown(node)
        if kind == "object":
            return self._object(node, depth)
        if kind == "new_expression":
            ctor = node.child_by_field_name("constructor")
            args = node.child_by_field_name("arguments")
            return New(
                self._expr(ctor, depth + 1) if ctor is not None else self._unknown(node),
                self._args(args, depth),
                self.rng(node),
            )
        if kind in FUNCTION_NODES:
            return FnRef(node.start_byte)
        if kind == "this":
            return This()
        if kind in ("true", "false", "null", "undefined"):
            return Lit(kind)
        if kind in _CASTS:
            named = node.named_children
            if len(named) == 1:  # `x as const`
                return self._expr(named[0], depth + 1)
            if len(named) >= 2:
                if kind == "type_assertion":  # <T>x
                    return As(self._expr(named[1], depth + 1), self.type(named[0]))
                return As(self._expr(named[0], depth + 1), self.type(named[1]))
            return self._unknown(node)
        if kind == "ternary_expression":
            cons = node.child_by_field_name("consequence")
            alt = node.child_by_field_name("alternative")
            if cons is None or alt is None:
                return self._unknown(node)
            return Alt((self._expr(cons, depth + 1), self._expr(alt, depth + 1)))
        if kind == "binary_expression":
            op = node.child_by_field_name("operator")
            op_text = op.type if op is not None else ""
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is not None and right is not None and op_text in ("||", "??"):
                return Alt((self._expr(left, depth + 1), self._expr(right, depth + 1)), op_text)
            return self._unknown(node)
        if kind == "subscript_expression":
            obj = node.child_by_field_name("object")
            index = node.child_by_field_name("index")
            key = string_value(index) if index is not None else None
            if obj is not None and key is not None:
                return Member(self._expr(obj, depth + 1), key)
            if obj is not None and index is not None and index.type != "number":
                return Index(self._expr(obj, depth + 1), self._expr(index, depth + 1))
            return self._unknown(node)
        if kind == "array":
            return Arr(
                tuple(self._expr(c, depth + 1) for c in node.named_children if c.type != "comment"),
                self.rng(node),
            )
        return self._unknown(node)

    def _args(self, args: ts.Node | None, depth: int) -> tuple[Expr, ...]:
        if args is None:
            return ()
        out: list[Expr] = []
        for child in args.named_children:
            if child.type == "comment":
                continue
            out.append(self._expr(child, depth + 1))
        return tuple(out)

    def _call(self, node: ts.Node, depth: int) -> Expr:
        fn = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if fn is None:
            return self._unknown(node)
        if args is not None and args.type == "template_string":  # tagged template: sql`...`
            return self._unknown(node)
        callee: Expr = Ident("super") if fn.type == "super" else self._expr(fn, depth)
        targs = node.child_by_field_name("type_arguments")
        type_args = tuple(self.type(t) for t in targs.named_children) if targs is not None else ()
        return Call(callee, self._args(args, depth), self.rng(node), type_args)

    def _object(self, node: ts.Node, depth: int) -> Obj:
        entries: list[Entry] = []
        for child in node.named_children:
            kind = child.type
            if kind == "pair":
                key_node = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                if key_node is None:
                    continue
                key = self.key_name(key_node)
                if key in _OPAQUE_KEYS and value is not None:  # response headers: never read
                    converted: Expr = Unknown(key, self.rng(value))
                else:
                    converted = self._expr(value, depth + 1) if value is not None else Lit("undefined")
                entries.append(Entry(key, converted, self.rng(key_node)))
                if key is None:  # computed key: the object's keys are not all known
                    entries[-1] = Entry(None, self._unknown(key_node), self.rng(key_node))
            elif kind == "shorthand_property_identifier":
                name = text(child)
                if self._names is not None:
                    self._names.add(name)
                entries.append(Entry(name, Ident(name), self.rng(child), shorthand=True))
            elif kind == "spread_element":
                inner = child.named_children
                entries.append(
                    Entry(
                        None, self._expr(inner[0], depth + 1) if inner else Lit("undefined"), self.rng(child)
                    )
                )
            elif kind == "method_definition":
                name_node = child.child_by_field_name("name")
                if name_node is not None:
                    entries.append(Entry(text(name_node), FnRef(child.start_byte), self.rng(name_node)))
        return Obj(tuple(entries), self.rng(node), self.append_point(node, ","))

    @staticmethod
    def key_name(key: ts.Node) -> str | None:
        kind = key.type
        if kind in ("property_identifier", "identifier", "private_property_identifier"):
            return text(key)
        if kind == "string":
            return string_value(key)
        if kind == "number":
            return text(key)
        if kind == "computed_property_name":
            inner = key.named_children
            if inner and inner[0].type == "string":
                return string_value(inner[0])
        return None

    # -- types --------------------------------------------------------------------------------------

    def type(self, node: ts.Node | None) -> TypeExpr:
        if node is None:
            return TUnknown("")
        return self._type(node, 0)

    def _type(self, node: ts.Node, depth: int) -> TypeExpr:
        if depth > _MAX_DEPTH:
            return TUnknown(text(node)[:40])
        kind = node.type
        if kind in ("type_annotation", "parenthesized_type", "readonly_type", "type_predicate_annotation"):
            named = node.named_children
            return self._type(named[-1], depth + 1) if named else TUnknown("")
        if kind in ("type_identifier", "nested_type_identifier", "identifier"):
            return TRef(text(node), (), self.rng(node))
        if kind == "generic_type":
            name = node.child_by_field_name("name")
            targs = node.child_by_field_name("type_arguments")
            args = tuple(self._type(a, depth + 1) for a in targs.named_children) if targs is not None else ()
            return TRef(text(name), args, self.rng(node))
        if kind in ("object_type", "interface_body"):
            return self.object_type(node)
        if kind == "intersection_type":
            return TInter(tuple(self._flat(node, "intersection_type", depth)))
        if kind == "union_type":
            return TUnion(tuple(self._flat(node, "union_type", depth)))
        if kind == "lookup_type":
            named = node.named_children
            if len(named) == 2:
                key = named[1]
                if key.type == "literal_type" and key.named_children:
                    value = string_value(key.named_children[0])
                    if value is not None:
                        return TIndex(self._type(named[0], depth + 1), value)
            return TUnknown(text(node)[:40])
        if kind == "literal_type":
            inner = node.named_children
            if inner:
                value = string_value(inner[0])
                if value is not None:
                    return TLit(value, self.rng(inner[0]))
                if inner[0].type in ("null", "undefined"):
                    return TKeyword(inner[0].type)
            return TUnknown(text(node)[:40])
        if kind == "predefined_type":
            return TKeyword(text(node))
        if kind == "array_type":
            named = node.named_children
            return TArray(self._type(named[0], depth + 1)) if named else TUnknown("")
        return TUnknown(text(node)[:40])

    def _flat(self, node: ts.Node, kind: str, depth: int) -> list[TypeExpr]:
        out: list[TypeExpr] = []
        for child in node.named_children:
            if child.type == kind:
                out.extend(self._flat(child, kind, depth + 1))
            else:
                out.append(self._type(child, depth + 1))
        return out

    def object_type(self, node: ts.Node, extends: tuple[TypeExpr, ...] = ()) -> TObj:
        fields: list[TField] = []
        complete = True
        for child in node.named_children:
            kind = child.type
            if kind in ("property_signature", "method_signature"):
                name_node = child.child_by_field_name("name")
                if name_node is None:
                    continue
                name = self.key_name(name_node)
                if name is None:
                    complete = False
                    continue
                optional = any(c.type == "?" for c in child.children)
                fields.append(TField(name, self.rng(name_node), optional))
            elif kind in ("index_signature", "call_signature", "construct_signature"):
                complete = kind != "index_signature" and complete
        return TObj(tuple(fields), self.rng(node), extends, complete, self.append_point(node, ";"))

    def _indent(self, node: ts.Node) -> str | None:
        """The whitespace before `node` on its line, or None when something else precedes it."""
        data = self._data
        if not data:
            return None
        start = node.start_byte
        line_start = self._starts[bisect_right(self._starts, start) - 1]
        lead = data[line_start:start]
        return lead.decode("utf-8") if not lead.strip(b" \t") else None

    def append_point(self, node: ts.Node, separator: str) -> Append | None:
        """Where a member is appended to an object literal (`separator` ",") or an object type (";"),
        written like the members already there: on a new line with their indentation when they are one
        per line, else on the same line; after the last member's separator when it has one."""
        children = node.children
        if len(children) < 2 or children[0].type != "{" or children[-1].type != "}":
            return None
        members = [c for c in node.named_children if c.type != "comment"]
        close = children[-1]
        if not members:
            if close.start_point.row == children[0].start_point.row:
                inner = close.start_byte > children[0].end_byte
                return Append(self._end(children[0]), " ", "" if inner else " ")
            indent = self._indent(close)
            if indent is None:
                return None
            return Append(self._end(children[0]), "\n" + indent + "  ", "")
        last = members[-1]
        used = [c.type for c in children if c.type in (",", ";")]
        sep = next((c for c in children if c.type in (",", ";") and c.start_byte >= last.end_byte), None)
        if separator == ";":  # an object type: keep its own separator (`;`, `,` or a line break)
            separator = used[-1] if used else ""
        if members[0].start_point.row != node.start_point.row:  # one member per line
            indent = self._indent(last) or self._indent(members[0])
            if indent is None:
                return None
            if sep is not None:
                return Append(self._end(sep), "\n" + indent, sep.type)
            lead = "," if separator == "," and node.type == "object" else ""
            return Append(self._end(last), lead + "\n" + indent, "" if lead else separator)
        if sep is not None:
            return Append(self._end(sep), " ", "")
        return Append(self._end(last), (separator or ";") + " ", "")

    def _end(self, node: ts.Node) -> Range:
        r = self.rng(node)
        return Range(r.end_line, r.end_col, r.end_line, r.end_col)
