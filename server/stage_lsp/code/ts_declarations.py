"""Top-level declarations of a TypeScript/JavaScript module: imports, exports, constants, classes, types."""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter as ts

from stage_lsp.code.expr import Call, Entry, Expr, FnRef, Ident, Lit, Member, Num, Obj, Str, TypeExpr
from stage_lsp.code.facts import ClassFacts, ImportBinding, ReExport
from stage_lsp.code.ts_convert import FUNCTION_NODES, Converter, string_value, text
from stage_lsp.code.ts_functions import pattern_keys
from stage_lsp.core.location import Range


@dataclass
class ModuleBuilder:
    conv: Converter
    imports: list[ImportBinding] = field(default_factory=list)
    reexports: list[ReExport] = field(default_factory=list)
    exports: dict[str, str] = field(default_factory=dict)
    export_ranges: dict[str, Range] = field(default_factory=dict)
    consts: dict[str, Expr] = field(default_factory=dict)
    const_ranges: dict[str, Range] = field(default_factory=dict)
    named_functions: dict[str, int] = field(default_factory=dict)
    classes: dict[str, ClassFacts] = field(default_factory=dict)
    types: dict[str, TypeExpr] = field(default_factory=dict)
    const_types: dict[str, TypeExpr] = field(default_factory=dict)

    # -- imports / exports --------------------------------------------------------------------------

    def import_statement(self, node: ts.Node) -> None:
        source_node = node.child_by_field_name("source")
        if source_node is None:
            return
        source = string_value(source_node) or ""
        for clause in node.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":
                    self.imports.append(ImportBinding(text(part), source, "default"))
                elif part.type == "namespace_import":
                    ident = part.named_children
                    if ident:
                        self.imports.append(ImportBinding(text(ident[0]), source, "*"))
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier":
                            continue
                        name = spec.child_by_field_name("name")
                        alias = spec.child_by_field_name("alias")
                        if name is None:
                            continue
                        imported = string_value(name) if name.type == "string" else text(name)
                        self.imports.append(ImportBinding(text(alias or name), source, imported or ""))

    def export_statement(self, node: ts.Node) -> None:
        source_node = node.child_by_field_name("source")
        decorators = tuple(
            self.conv.expr(c.named_children[0])
            for c in node.children
            if c.type == "decorator" and c.named_children
        )
        if source_node is not None:
            source = string_value(source_node) or ""
            clause = next((c for c in node.named_children if c.type == "export_clause"), None)
            if clause is None:
                ns = next((c for c in node.named_children if c.type == "namespace_export"), None)
                name = text(ns.named_children[0]) if ns is not None and ns.named_children else "*"
                self.reexports.append(ReExport(name, source, "*"))
                return
            for spec in clause.named_children:
                if spec.type == "export_specifier":
                    local = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias")
                    if local is not None:
                        self.reexports.append(ReExport(text(alias or local), source, text(local)))
            return
        declaration = node.child_by_field_name("declaration")
        if declaration is not None:
            is_default = any(c.type == "default" for c in node.children)
            for name, rng in self.declaration(declaration, decorators):
                self.exports["default" if is_default else name] = name
                self.export_ranges["default" if is_default else name] = rng
            return
        value = node.child_by_field_name("value")
        if value is not None:  # export default <expr>
            if value.type == "identifier":
                self.exports["default"] = text(value)
            else:
                self.consts["default"] = self.conv.expr(value)
                self.exports["default"] = "default"
            self.export_ranges["default"] = self.conv.rng(value)
            return
        for clause in node.named_children:
            if clause.type != "export_clause":
                continue
            for spec in clause.named_children:
                if spec.type != "export_specifier":
                    continue
                local = spec.child_by_field_name("name")
                alias = spec.child_by_field_name("alias")
                if local is None:
                    continue
                shown = alias or local
                self.exports[text(shown)] = text(local)
                self.export_ranges[text(shown)] = self.conv.rng(shown)

    # -- declarations ---------------------------------------------------------------------------------

    def declaration(self, node: ts.Node, decorators: tuple[Expr, ...] = ()) -> list[tuple[str, Range]]:
        """Record a top-level declaration; returns the declared names with their ranges."""
        kind = node.type
        conv = self.conv
        out: list[tuple[str, Range]] = []
        if kind in ("lexical_declaration", "variable_declaration"):
            for decl in node.named_children:
                if decl.type != "variable_declarator":
                    continue
                name = decl.child_by_field_name("name")
                value = decl.child_by_field_name("value")
                if name is None:
                    continue
                if name.type == "identifier":
                    ident = text(name)
                    self.consts[ident] = conv.expr(value) if value is not None else Lit("undefined")
                    type_node = decl.child_by_field_name("type")
                    if type_node is not None:
                        self.const_types[ident] = conv.type(type_node)
                    rng = conv.rng(name)
                    self.const_ranges[ident] = rng
                    out.append((ident, rng))
                elif name.type == "object_pattern" and value is not None:
                    source = conv.expr(value)
                    for key in pattern_keys(name):
                        self.consts[key] = Member(source, key)
                        self.const_ranges[key] = conv.rng(name)
                        out.append((key, conv.rng(name)))
        elif kind in ("function_declaration", "generator_function_declaration"):
            name = node.child_by_field_name("name")
            if name is not None:
                ident = text(name)
                self.named_functions[ident] = node.start_byte
                self.consts[ident] = FnRef(node.start_byte)
                rng = conv.rng(name)
                self.const_ranges[ident] = rng
                out.append((ident, rng))
        elif kind in ("class_declaration", "abstract_class_declaration", "class"):
            facts = self.class_declaration(node, decorators)
            if facts is not None:
                self.classes[facts.name] = facts
                out.append((facts.name, facts.rng))
        elif kind == "interface_declaration":
            name = node.child_by_field_name("name")
            body = node.child_by_field_name("body")
            if name is not None and body is not None:
                extends: list[TypeExpr] = []
                for c in node.named_children:
                    if c.type == "extends_type_clause":
                        extends.extend(conv.type(t) for t in c.named_children)
                self.types[text(name)] = conv.object_type(body, tuple(extends))
                out.append((text(name), conv.rng(name)))
        elif kind == "type_alias_declaration":
            name = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if name is not None and value is not None:
                self.types[text(name)] = conv.type(value)
                out.append((text(name), conv.rng(name)))
        elif kind == "enum_declaration":
            name = node.child_by_field_name("name")
            body = node.child_by_field_name("body")
            if name is not None and body is not None:
                self.consts[text(name)] = self.enum_body(body)
                rng = conv.rng(name)
                self.const_ranges[text(name)] = rng
                out.append((text(name), rng))
        return out

    def enum_body(self, body: ts.Node) -> Obj:
        entries: list[Entry] = []
        counter = 0
        for member in body.named_children:
            if member.type == "enum_assignment":
                key = member.child_by_field_name("name")
                value = member.child_by_field_name("value")
                if key is None:
                    continue
                expr = self.conv.expr(value) if value is not None else Lit("undefined")
                if isinstance(expr, Num):
                    counter = expr.value + 1
                entries.append(Entry(Converter.key_name(key), expr, self.conv.rng(key)))
            elif member.type in ("property_identifier", "string"):
                rng = self.conv.rng(member)
                entries.append(Entry(Converter.key_name(member), Num(counter, rng), rng))
                counter += 1
        return Obj(tuple(entries), self.conv.rng(body))

    def class_declaration(self, node: ts.Node, decorators: tuple[Expr, ...]) -> ClassFacts | None:
        conv = self.conv
        name_node = node.child_by_field_name("name")
        body = node.child_by_field_name("body")
        if name_node is None or body is None:
            return None
        own = tuple(
            conv.expr(c.named_children[0])
            for c in node.children
            if c.type == "decorator" and c.named_children
        )
        extends: Expr | None = None
        for c in node.named_children:
            if c.type == "class_heritage":
                for clause in c.named_children:
                    if clause.type == "extends_clause":
                        value = clause.child_by_field_name("value")
                        if value is not None:
                            extends = conv.expr(value)
        fields: dict[str, Expr] = {}
        field_types: dict[str, TypeExpr] = {}
        type_fields: list[tuple[str, Range, bool]] = []
        methods: dict[str, int] = {}
        ctor: int | None = None
        super_args: tuple[Expr, ...] | None = None
        for member in body.named_children:
            kind = member.type
            if kind == "public_field_definition":
                key = member.child_by_field_name("name")
                if key is None:
                    continue
                fname = Converter.key_name(key)
                if fname is None:
                    continue
                is_static = any(c.type == "static" for c in member.children)
                value = member.child_by_field_name("value")
                if value is not None and not is_static:
                    fields[fname] = conv.expr(value)
                type_node = member.child_by_field_name("type")
                if type_node is not None:
                    field_types[fname] = conv.type(type_node)
                if not is_static:
                    optional = any(c.type == "?" for c in member.children)
                    type_fields.append((fname, conv.rng(key), optional))
            elif kind == "method_definition":
                key = member.child_by_field_name("name")
                if key is None:
                    continue
                mname = text(key)
                methods[mname] = member.start_byte
                if mname == "constructor":
                    ctor = member.start_byte
                    super_args = self._constructor(member, fields, field_types)
        return ClassFacts(
            name=text(name_node),
            rng=conv.rng(name_node),
            extends=extends,
            fields=fields,
            field_types=field_types,
            ctor=ctor,
            super_args=super_args,
            methods=methods,
            decorators=decorators + own,
            type_fields=tuple(type_fields),
        )

    def _constructor(
        self, ctor: ts.Node, fields: dict[str, Expr], field_types: dict[str, TypeExpr]
    ) -> tuple[Expr, ...] | None:
        conv = self.conv
        params = ctor.child_by_field_name("parameters")
        for p in params.named_children if params is not None else ():
            if p.type in ("required_parameter", "optional_parameter") and any(
                c.type in ("accessibility_modifier", "readonly") for c in p.children
            ):
                pattern = p.child_by_field_name("pattern")
                type_node = p.child_by_field_name("type")
                if pattern is not None and pattern.type == "identifier":
                    fields.setdefault(text(pattern), Ident(text(pattern)))
                    if type_node is not None:
                        field_types[text(pattern)] = conv.type(type_node)
        body = ctor.child_by_field_name("body")
        super_args: tuple[Expr, ...] | None = None
        for stmt in body.named_children if body is not None else ():
            if stmt.type != "expression_statement" or not stmt.named_children:
                continue
            expr = stmt.named_children[0]
            if expr.type == "call_expression":
                fn = expr.child_by_field_name("function")
                if fn is not None and fn.type == "super":
                    call = conv.expr(expr)
                    if isinstance(call, Call):
                        super_args = call.args
            elif expr.type == "assignment_expression":
                left = expr.child_by_field_name("left")
                right = expr.child_by_field_name("right")
                if left is not None and right is not None and left.type == "member_expression":
                    obj = left.child_by_field_name("object")
                    prop = left.child_by_field_name("property")
                    if obj is not None and obj.type == "this" and prop is not None:
                        fields[text(prop)] = conv.expr(right)
        return super_args


def is_function_node(node: ts.Node) -> bool:
    return node.type in FUNCTION_NODES


def literal_str(expr: Expr) -> str | None:
    return expr.value if isinstance(expr, Str) else None
