"""Incremental tree-sitter reparse of documents being edited (the hook between the workspace and readers).

The language server re-reads an open document on (nearly) every keystroke. tree-sitter can reuse the
previous tree: describe the change with `tree.edit(...)`, then `parser.parse(new_bytes, old_tree)`
(~50 µs instead of ~550 µs for a 140-line file). Readers stay pure functions of one SourceFile and know
nothing of this; the hook is:

- `Workspace.cached` runs a reader on an open document (an overlay) inside `reuse_trees(cache, version)`;
- `treesitter.parse(src, dialect)`, which every reader uses to parse, asks `active()` and, when a cache
  is active, parses through `TreeCache.parse`, which keeps the last tree per (file, dialect) with the
  bytes and document version it was built from, derives the edit from the old and new bytes (common
  prefix and suffix: one edit covers any number of editor changes) and reparses incrementally.

A reader that parses with its own `Parser` still works; it only misses the reuse. Trees are kept for
open documents only (the workspace forgets them on close), so memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import tree_sitter as ts


@dataclass
class _Entry:
    data: bytes
    tree: ts.Tree
    version: int | None


def _common_prefix(a: bytes, b: bytes) -> int:
    """Length of the common prefix, by binary search on slice equality (C speed, O(n log n))."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """Length of the common suffix, at most `limit` (so it never overlaps the common prefix)."""
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _point(data: bytes, offset: int) -> tuple[int, int]:
    """tree-sitter point (row, byte column) of a byte offset."""
    row = data.count(b"\n", 0, offset)
    return row, offset - (data.rfind(b"\n", 0, offset) + 1)


def edit_between(old: bytes, new: bytes) -> tuple[int, int, int] | None:
    """(start, old_end, new_end) byte offsets of the one edit turning `old` into `new`; None if equal."""
    if old == new:
        return None
    start = _common_prefix(old, new)
    suffix = _common_suffix(old, new, min(len(old), len(new)) - start)
    return start, len(old) - suffix, len(new) - suffix


class TreeCache:
    """The previous tree of each open document, keyed by (file, dialect), with its bytes and version."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], _Entry] = {}
        self.incremental_parses = 0
        self.full_parses = 0

    def parse(self, rel: str, dialect: str, data: bytes, parser: ts.Parser, version: int | None) -> ts.Tree:
        key = (rel, dialect)
        entry = self._entries.get(key)
        if entry is None:
            tree = parser.parse(data)
            self.full_parses += 1
        else:
            edit = edit_between(entry.data, data)
            if edit is None:
                entry.version = version
                return entry.tree
            start, old_end, new_end = edit
            old_tree = entry.tree
            old_tree.edit(
                start_byte=start,
                old_end_byte=old_end,
                new_end_byte=new_end,
                start_point=_point(entry.data, start),
                old_end_point=_point(entry.data, old_end),
                new_end_point=_point(data, new_end),
            )
            tree = parser.parse(data, old_tree)
            self.incremental_parses += 1
        self._entries[key] = _Entry(data, tree, version)
        return tree

    def version_of(self, rel: str, dialect: str) -> int | None:
        entry = self._entries.get((rel, dialect))
        return entry.version if entry else None

    def forget(self, rel: str) -> None:
        for key in [k for k in self._entries if k[0] == rel]:
            del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)


@dataclass(frozen=True)
class _Active:
    cache: TreeCache
    version: int | None


_ACTIVE: ContextVar[_Active | None] = ContextVar("stage_lsp_tree_cache", default=None)


@contextmanager
def reuse_trees(cache: TreeCache, version: int | None = None) -> Iterator[None]:
    """Within this block, `treesitter.parse` reuses (and updates) the trees kept in `cache`."""
    token = _ACTIVE.set(_Active(cache, version))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def parse_with_active(rel: str, dialect: str, data: bytes, parser: ts.Parser) -> ts.Tree | None:
    """Parse through the active cache; None when no cache is active (the caller parses in full)."""
    active = _ACTIVE.get()
    if active is None:
        return None
    return active.cache.parse(rel, dialect, data, parser, active.version)
