"""tree-sitter languages, parsers and compiled queries, created once per process.

py-tree-sitter >= 0.25 API: `Query(language, source)` and `QueryCursor(query).matches(node)`. Each query
run is a full tree walk, so every file kind has one merged query (patterns told apart by capture names).
Node points are (row, UTF-8 byte column); `node_range` converts them to code-point columns.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import tree_sitter as ts
import tree_sitter_javascript as ts_javascript
import tree_sitter_typescript as ts_typescript

from stage_lsp.code.incremental import parse_with_active
from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile

Dialect = Literal["typescript", "tsx", "javascript", "python"]


@cache
def language(dialect: Dialect) -> ts.Language:
    if dialect == "typescript":
        return ts.Language(ts_typescript.language_typescript())
    if dialect == "tsx":
        return ts.Language(ts_typescript.language_tsx())
    if dialect == "javascript":
        return ts.Language(ts_javascript.language())
    import tree_sitter_python as ts_python

    return ts.Language(ts_python.language())


@cache
def parser(dialect: Dialect) -> ts.Parser:
    return ts.Parser(language(dialect))


@cache
def query(dialect: Dialect, source: str) -> ts.Query:
    return ts.Query(language(dialect), source)


# A tree whose error recovery left more children than this under one node (tens of thousands of unclosed
# brackets) makes the query cursor take time quadratic in that count: minutes for a few hundred kilobytes.
MAX_ERROR_CHILDREN = 5_000


# tree-sitter's query cursor keeps tree depths in 16 bits: past 65,535 levels (100,000 chained tagged
# templates on one line) it loops for minutes, then hours. Real code nests a few dozen levels.
MAX_DEPTH = 60_000
# Each level of a deep chain consumes at least one byte of source (`[`, `(`, `!`, a template's backtick);
# a fixed run of wrappers (statement > expression > call) adds a few levels more. So a subtree of `n`
# bytes is at most `n + DEPTH_SLACK` levels deep.
DEPTH_SLACK = 64


class TooBrokenError(ValueError):
    """The file is too broken for tree-sitter's queries to read it in reasonable time."""


def too_deep(root: ts.Node, limit: int = MAX_DEPTH) -> bool:
    """True when the tree under `root` is at least `limit` levels deep.

    Only subtrees with enough bytes to hold the remaining levels are entered, so an ordinary file is
    decided in a few steps (after a few levels every subtree is too small) and a pathological chain in
    one step per level of its length."""
    if root.end_byte - root.start_byte + DEPTH_SLACK < limit:
        return False
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth >= limit:
            return True
        need = limit - depth - 1
        for child in node.children:
            if child.end_byte - child.start_byte + DEPTH_SLACK >= need:
                stack.append((child, depth + 1))
    return False


def captures_in_order(query_: ts.Query, node: ts.Node) -> dict[str, list[ts.Node]]:
    """`QueryCursor.captures`, each capture's nodes in document order (outer node first on a tie).

    py-tree-sitter does not promise an order within a capture name, and in practice it varies with the
    process's earlier allocations: facts that depend on order (the last declaration of a local wins) would
    change from run to run. Sorting makes every reader result a function of the file alone.

    Raises `TooBrokenError` for a node with a syntax error and more than `MAX_ERROR_CHILDREN` children,
    or a tree deeper than `MAX_DEPTH` (no real source file has either; a fuzzed or corrupted one does,
    and the query would not finish)."""
    if node.has_error and node.child_count > MAX_ERROR_CHILDREN:
        raise TooBrokenError(f"too broken to read: {node.child_count:,} syntax fragments at the top level")
    if too_deep(node):
        raise TooBrokenError(f"too broken to read: nested more than {MAX_DEPTH:,} levels deep")
    caps = ts.QueryCursor(query_).captures(node)
    return {
        name: sorted(nodes, key=lambda n: (n.start_byte, -n.end_byte, n.kind_id))
        for name, nodes in caps.items()
    }


def dialect_for(rel: str) -> Dialect | None:
    lower = rel.lower()
    if lower.endswith((".ts", ".mts", ".cts")):
        return "typescript"
    if lower.endswith(".tsx"):
        return "tsx"
    if lower.endswith((".js", ".mjs", ".cjs", ".jsx")):
        return "javascript"
    if lower.endswith(".py"):
        return "python"
    return None


def parse(src: SourceFile, dialect: Dialect, old_tree: ts.Tree | None = None) -> ts.Tree:
    """Parse a file. Readers parse through here: for a document open in the editor it reparses
    incrementally from the previous tree (see `code.incremental`)."""
    data = src.text.encode("utf-8", errors="surrogatepass")
    if old_tree is not None:
        return parser(dialect).parse(data, old_tree)
    reused = parse_with_active(src.rel, dialect, data, parser(dialect))
    if reused is not None:
        return reused
    return parser(dialect).parse(data)


def node_text(node: ts.Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")


def node_range(src: SourceFile, node: ts.Node) -> Range:
    (sl, sb), (el, eb) = node.start_point, node.end_point
    lines = src.lines
    return Range(sl, lines.col_from_utf8(sl, sb), el, lines.col_from_utf8(el, eb))


def node_location(src: SourceFile, node: ts.Node) -> Location:
    return Location(src.rel, node_range(src, node))
