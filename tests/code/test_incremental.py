"""Incremental tree-sitter reparse of open documents: the edit derived from old and new bytes, and trees
identical to a full parse."""

from __future__ import annotations

import random

import pytest

from stage_lsp.code.incremental import TreeCache, edit_between, reuse_trees
from stage_lsp.code.treesitter import parse, parser
from stage_lsp.core.source import SourceFile

ROUTE = """import type { APIRoute } from "astro";

export const prerender = false;

/* źdźbło 🐝 */ export const GET: APIRoute = async ({ params }) => {
  const id = params.id;
  return new Response(JSON.stringify({ id }), { status: 200 });
};
"""


@pytest.mark.parametrize(
    ("old", "new", "edit"),
    [
        (b"abc", b"abc", None),
        (b"abc", b"abXc", (2, 2, 3)),
        (b"abXc", b"abc", (2, 3, 2)),
        (b"aaaa", b"aaa", (3, 4, 3)),  # the suffix never overlaps the prefix
        (b"", b"x", (0, 0, 1)),
        (b"hello world", b"hello there world", (6, 6, 12)),
    ],
)
def test_edit_between(old: bytes, new: bytes, edit: tuple[int, int, int] | None) -> None:
    assert edit_between(old, new) == edit


def test_reparse_matches_a_full_parse_over_many_edits() -> None:
    rng = random.Random(7)
    cache = TreeCache()
    text = ROUTE
    pieces = ["x", "ż", "🐝", "\n", "return 1;", "", "{", "}", '"', "export const POST = 1;\n"]
    for version in range(60):
        start = rng.randrange(len(text) + 1)
        end = min(len(text), start + rng.randrange(4))
        text = text[:start] + rng.choice(pieces) + text[end:]
        src = SourceFile.from_text("src/pages/api/x.ts", text)
        with reuse_trees(cache, version):
            tree = parse(src, "typescript")
        full = parser("typescript").parse(text.encode("utf-8"))
        assert str(tree.root_node) == str(full.root_node), f"edit {version}"
        assert tree.root_node.end_byte == len(text.encode("utf-8"))
    assert cache.full_parses == 1 and cache.incremental_parses >= 55
    assert cache.version_of("src/pages/api/x.ts", "typescript") == 59


def test_without_an_active_cache_parsing_is_unchanged() -> None:
    src = SourceFile.from_text("a.ts", ROUTE)
    cache = TreeCache()
    assert str(parse(src, "typescript").root_node) == str(
        parser("typescript").parse(ROUTE.encode()).root_node
    )
    assert len(cache) == 0
