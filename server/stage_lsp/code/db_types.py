"""Supabase's generated `database.types.ts` -> the tables it knows and their `Row` columns.

Both generator styles are read: `export type Database = { public: { Tables: {...} } }` and
`export interface Database { public: {...} }`. Only the `public` schema's `Tables` count (views and other
schemas are not tables of the migrations' `public` schema). The file may be UTF-16 LE with a BOM and CRLF
(types generated from Windows PowerShell): `core.text` decodes that before this reader sees it.
"""

from __future__ import annotations

from dataclasses import dataclass

import tree_sitter as ts

from stage_lsp.code.model import TypesTable
from stage_lsp.code.treesitter import node_location, node_text, parse
from stage_lsp.core.source import SourceFile


@dataclass(frozen=True, slots=True)
class TypesFile:
    file: str
    tables: tuple[TypesTable, ...] | None  # None: no `Database` type with public Tables was found


def _name(node: ts.Node) -> str | None:
    name = node.child_by_field_name("name")
    if name is None:
        return None
    if name.type == "string":
        return node_text(name)[1:-1]
    return node_text(name)


def _members(obj: ts.Node) -> dict[str, ts.Node]:
    """property name -> the property_signature, for an object_type / interface_body."""
    out: dict[str, ts.Node] = {}
    for child in obj.named_children:
        if child.type == "property_signature":
            name = _name(child)
            if name is not None:
                out[name] = child
    return out


def _object_of(prop: ts.Node | None) -> ts.Node | None:
    if prop is None:
        return None
    ann = prop.child_by_field_name("type")
    if ann is None:
        return None
    node = ann.named_children[0] if ann.type == "type_annotation" and ann.named_children else ann
    return node if node.type == "object_type" else None


def _database_body(root: ts.Node) -> ts.Node | None:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in ("type_alias_declaration", "interface_declaration"):
            name = node.child_by_field_name("name")
            if name is not None and node_text(name) == "Database":
                body = node.child_by_field_name("value") or node.child_by_field_name("body")
                if body is not None and body.type in ("object_type", "interface_body"):
                    return body
        elif node.type in (
            "program",
            "export_statement",
            "ambient_declaration",
            "statement_block",
        ) or node.type in ("module", "internal_module"):
            stack.extend(reversed(node.named_children))
    return None


def read_types(src: SourceFile) -> TypesFile:
    if not src.text:
        return TypesFile(src.rel, None)
    tree = parse(src, "typescript")
    body = _database_body(tree.root_node)
    if body is None:
        return TypesFile(src.rel, None)
    public = _object_of(_members(body).get("public"))
    tables_prop = _members(public).get("Tables") if public is not None else None
    if tables_prop is None:
        return TypesFile(src.rel, None)
    tables_obj = _object_of(tables_prop)
    if tables_obj is None:  # `Tables: Record<never, never>`: no tables
        return TypesFile(src.rel, ())
    tables: list[TypesTable] = []
    for name, prop in _members(tables_obj).items():
        row = _object_of(_members(t).get("Row")) if (t := _object_of(prop)) is not None else None
        columns = tuple(_members(row)) if row is not None else ()
        key = prop.child_by_field_name("name")
        tables.append(TypesTable(name.lower(), columns, node_location(src, key if key is not None else prop)))
    return TypesFile(src.rel, tuple(tables))
