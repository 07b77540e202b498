"""What a `return` sees: the `if` conditions it is nested under (to narrow a union the way TypeScript
does) and the block a declaration is visible in (block-scoped `const` declared again in another block).

`if (!result.ok) return fail(result)`: the return is reached only when `result.ok` is falsy, so `fail`
sees the failure shape of `result`, not its success shape (whose absent `status` would read as the
response's default 200). Only a member of a plain name tested for truthiness (`x.ok`, `!x.ok`,
`x.ok === false`) counts; an `else` branch narrows the other way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tree_sitter as ts

from stage_lsp.code.facts import Narrow
from stage_lsp.code.ts_convert import text

_BLOCKS = frozenset({"statement_block", "program", "switch_case", "switch_default", "class_body"})


@dataclass(frozen=True, slots=True)
class Declaration:
    value: ts.Node
    key: str | None  # the destructured property, `const { data } = ...`
    start: int
    block: tuple[int, int]  # the byte span it is visible in


def enclosing_block(node: ts.Node) -> tuple[int, int]:
    """The byte span of the block a declaration belongs to (`let`/`const` scoping)."""
    parent = node.parent
    while parent is not None and parent.type not in _BLOCKS and parent.type not in _FUNCTION_NODES:
        parent = parent.parent
    if parent is None:
        return (0, 1 << 62)
    return (parent.start_byte, parent.end_byte)


_FUNCTION_NODES = frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
        "generator_function",
        "class_body",
    }
)
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")


def if_narrows(statement: ts.Node) -> tuple[Narrow, ...]:
    """The `if` conditions (`x.ok`, `!x.ok`, `x.ok === false`) a return is nested under, innermost first;
    an `else` branch narrows the other way."""
    out: list[Narrow] = []
    node = statement
    parent = node.parent
    while parent is not None and parent.type not in _FUNCTION_NODES and len(out) < 4:
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            consequence = parent.child_by_field_name("consequence")
            inside = consequence is not None and consequence.start_byte == node.start_byte
            if node.type == "else_clause" or inside:
                found = _condition_narrow(condition, truthy=inside)
                if found is not None:
                    out.append(found)
        node, parent = parent, parent.parent
    return tuple(out)


def _condition_narrow(node: ts.Node | None, truthy: bool) -> Narrow | None:
    while node is not None and node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node is None:
        return None
    if node.type == "unary_expression" and text(node).startswith("!"):
        return _condition_narrow(node.child_by_field_name("argument"), not truthy)
    if node.type == "binary_expression":
        op = node.child_by_field_name("operator")
        right = node.child_by_field_name("right")
        if (
            op is None
            or right is None
            or op.type not in ("===", "==", "!==", "!=")
            or right.type
            not in (
                "true",
                "false",
            )
        ):
            return None
        equal_true = (op.type in ("===", "==")) == (right.type == "true")
        return _condition_narrow(node.child_by_field_name("left"), truthy == equal_true)
    if node.type == "member_expression":
        obj = node.child_by_field_name("object")
        prop = node.child_by_field_name("property")
        if obj is None or prop is None or obj.type != "identifier" or not _IDENT.fullmatch(text(prop)):
            return None
        return Narrow(text(obj), text(prop), truthy)
    return None
