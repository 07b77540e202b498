"""Index small in-memory projects written by the tests (no disk, no framework detection)."""

from __future__ import annotations

from stage_lsp.code.facts import ModuleFacts
from stage_lsp.code.fields import TypesTables
from stage_lsp.code.framework import FrameworkGuess
from stage_lsp.code.index import RouteIndex, RoutePass, read_facts
from stage_lsp.code.layout import read_aliases
from stage_lsp.code.model import Route
from stage_lsp.core.location import Range
from stage_lsp.core.source import SourceFile


def facts_of(rel: str, text: str) -> ModuleFacts:
    return read_facts(SourceFile.from_text(rel, text))


def index(
    files: dict[str, str],
    frameworks: tuple[str, ...] = ("astro",),
    types_tables: TypesTables = None,
    tsconfig: str | None = None,
) -> RouteIndex:
    sources = [rel for rel in files if not rel.endswith(".json")]
    guess = FrameworkGuess(frameworks[0], "test", tuple((f, "test") for f in frameworks))
    cache: dict[str, ModuleFacts] = {}

    def facts(rel: str) -> ModuleFacts | None:
        if rel not in cache:
            cache[rel] = facts_of(rel, files[rel])
        return cache[rel]

    aliases = read_aliases([tsconfig], files.get) if tsconfig else ()
    return RoutePass(sources, guess, facts, lambda rel: files.get(rel, ""), aliases, types_tables).finish()


def routes(files: dict[str, str], frameworks: tuple[str, ...] = ("astro",), **kw: object) -> dict[str, Route]:
    found = index(files, frameworks, **kw).routes  # type: ignore[arg-type]
    by_key: dict[str, Route] = {}
    for r in found:
        assert r.key not in by_key, f"duplicate route {r.key}"
        by_key[r.key] = r
    return by_key


def statuses(route: Route) -> list[tuple[int, tuple[int, int, int, int]]]:
    """(code, (line, col, end_line, end_col)) sorted by position: what a test asserts exactly."""
    return sorted((s.code, _r(s.location.range)) for s in route.statuses)


def _r(r: Range) -> tuple[int, int, int, int]:
    return (r.line, r.col, r.end_line, r.end_col)


def rng(r: Range) -> tuple[int, int, int, int]:
    return _r(r)


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int, int, int]:
    """The exact range of the `nth` occurrence of `needle` in `text` (code points; single line)."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    line = text.count("\n", 0, pos)
    col = pos - (text.rfind("\n", 0, pos) + 1)
    assert "\n" not in needle
    return (line, col, line, col + len(needle))
