"""Route reading for one source file, dispatched to the framework's adapter."""

from __future__ import annotations

from stage_lsp.code.astro import read_astro_routes, route_path
from stage_lsp.code.model import RouteFile
from stage_lsp.code.treesitter import dialect_for
from stage_lsp.core.source import SourceFile


def is_route_file(rel: str, framework: str) -> bool:
    if framework in ("astro", "auto"):
        return route_path(rel) is not None
    return False


def read_route_file(src: SourceFile, framework: str) -> RouteFile:
    dialect = dialect_for(src.rel)
    if dialect is None or src.problem:
        return RouteFile(src.rel)
    if framework == "astro":
        return read_astro_routes(src, dialect)
    return RouteFile(src.rel)
