"""Astro API routes: `src/pages/api/**.ts|js` files exporting HTTP-method handlers.

File path -> route path: the part after `src/pages`, extension dropped, `index` dropped, `[id]` -> `{id}`,
`[...rest]` -> `{...rest}`; a dotted name that is part of the route survives (`export.ics.ts` ->
`/export.ics`). An app in a subfolder (`web/src/pages/api`) is found. Tests, mocks and backups are not
routes.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from stage_lsp.code.model import Route, RouteFile
from stage_lsp.code.treesitter import Dialect, node_location, node_text, parse, query
from stage_lsp.core.keys import HTTP_METHODS, display_path, endpoint_key
from stage_lsp.core.source import SourceFile

ROUTE_SUFFIXES = (".ts", ".js", ".mjs", ".mts")
_NOT_ROUTES = re.compile(
    r"(^|/)(__tests__|__mocks__|tests?|mocks?|\.?backup[^/]*)/|\.(test|spec)\.[mc]?[jt]s$"
)

EXPORTS_QUERY = """
(export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name)))
(export_statement declaration: (function_declaration name: (identifier) @name))
(export_statement (export_clause (export_specifier name: (_) @local alias: (_)? @alias)))
"""


def route_path(rel: str) -> str | None:
    """The route an Astro file serves, or None when the file is not an API route file."""
    marker = "src/pages/"
    idx = rel.find(marker)
    if idx == -1 or (idx > 0 and rel[idx - 1] != "/"):
        return None
    sub = rel[idx + len(marker) :]
    if not sub.startswith("api/") or not sub.endswith(ROUTE_SUFFIXES) or _NOT_ROUTES.search(rel):
        return None
    stem = str(PurePosixPath(sub).with_suffix(""))
    return display_path("/" + stem)


def read_astro_routes(src: SourceFile, dialect: Dialect) -> RouteFile:
    path = route_path(src.rel)
    if path is None:
        return RouteFile(src.rel)
    tree = parse(src, dialect)
    cursor_query = query(dialect, EXPORTS_QUERY)
    from tree_sitter import QueryCursor

    routes: list[Route] = []
    seen: set[str] = set()
    for _, match in QueryCursor(cursor_query).matches(tree.root_node):
        nodes = match.get("alias") or match.get("name") or match.get("local")
        if not nodes:
            continue
        node = nodes[0]
        method = node_text(node)
        if method not in HTTP_METHODS or method in seen:
            continue
        seen.add(method)
        routes.append(
            Route(
                method=method,
                path=path,
                key=endpoint_key(method, path),
                location=node_location(src, node),
                framework="astro",
            )
        )
    return RouteFile(src.rel, tuple(routes))


def expected_route_file(path: str, app_prefix: str = "") -> str:
    """Where an Astro route file serving `path` would live: `/api/x/{id}` -> `src/pages/api/x/[id].ts`."""
    segments = []
    for seg in path.strip("/").split("/"):
        if seg.startswith("{...") and seg.endswith("}"):
            seg = "[..." + seg[4:-1] + "]"
        seg = re.sub(r"\{([^{}]*)\}", lambda m: "[" + (m.group(1) or "param") + "]", seg)
        segments.append(seg)
    rel = "src/pages/" + "/".join(s for s in segments if s) + ".ts"
    return f"{app_prefix}/{rel}" if app_prefix else rel
