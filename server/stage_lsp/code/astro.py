"""Astro API routes: `src/pages/api/**.ts|js` files exporting HTTP-method handlers.

File path -> route path: the part after `src/pages`, extension dropped, `index` dropped, `[id]` -> `{id}`,
`[...rest]` -> `{...rest}`; a dotted name that is part of the route survives (`export.ics.ts` ->
`/export.ics`). An app in a subfolder (`web/src/pages/api`) is found. Tests, mocks and backups are not
routes.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from stage_lsp.core.keys import display_path

ROUTE_SUFFIXES = (".ts", ".js", ".mjs", ".mts")
_NOT_ROUTES = re.compile(
    r"(^|/)(__tests__|__mocks__|__fixtures__|\.?backups?[^/]*|[^/]*[-_.]backup)/"
    r"|\.(test|spec|stories)\.[mc]?[jt]sx?$|\.(bak|orig|old)(\.[jt]s)?$"
)
# Test and fixture folders above the routes folder hold copies of apps, not the app. (Inside the routes
# folder, `test/` is a path segment: `/api/test/cleanup` is a real endpoint.)
_TEST_ROOT = re.compile(r"(^|/)(tests?|mocks?|e2e|fixtures?|__fixtures__|examples?)/")


def not_a_route(rel: str, routes_root: int = -1) -> bool:
    """Tests, mocks and backup copies are never routes; `routes_root` is where the routes folder starts."""
    if _NOT_ROUTES.search(rel) is not None:
        return True
    return routes_root > 0 and _TEST_ROOT.search(rel[:routes_root]) is not None


def route_path(rel: str) -> str | None:
    """The route an Astro file serves, or None when the file is not an API route file."""
    marker = "src/pages/"
    idx = rel.find(marker)
    if idx == -1 or (idx > 0 and rel[idx - 1] != "/"):
        return None
    sub = rel[idx + len(marker) :]
    if not sub.startswith("api/") or not sub.endswith(ROUTE_SUFFIXES) or not_a_route(rel, idx):
        return None
    stem = str(PurePosixPath(sub).with_suffix(""))
    return display_path("/" + stem)


# A path segment a route file may be named after: letters and digits of any script, `_`, `.`, `-` (not only
# dots) and `{param}`s.
SAFE_SEGMENT = re.compile(r"^(?:[\w.-]|\{(?:\.\.\.)?(?:[A-Za-z_$][\w$-]*)?\})+$")


def route_segments(path: str) -> list[str] | None:
    """The file-system segments of a planned path (`/api/x/{id}` -> `api`, `x`, `[id]`; `{...rest}` ->
    `[...rest]`), for every file-system router. None when the path (it comes from the plan) has a segment
    no file should be named after: `.`, `..`, separators, `%`-escapes, quotes or other characters outside
    a URL path's plain set. Such a path never becomes a file name, so a plan cannot make a fix write
    outside the routes folder."""
    segments = []
    for seg in path.strip("/").split("/"):
        if not seg:
            continue
        if not SAFE_SEGMENT.match(seg) or not seg.strip("."):
            return None
        if seg.startswith("{...") and seg.endswith("}"):
            seg = "[..." + seg[4:-1] + "]"
        segments.append(re.sub(r"\{([^{}]*)\}", lambda m: "[" + (m.group(1) or "param") + "]", seg))
    return segments


def expected_route_file(path: str, app_prefix: str = "") -> str | None:
    """Where an Astro route file serving `path` would live: `/api/x/{id}` -> `src/pages/api/x/[id].ts`
    (None for a path no file should be named after: `route_segments`)."""
    segments = route_segments(path)
    if segments is None:
        return None
    rel = "src/pages/" + "/".join(segments) + ".ts"
    return f"{app_prefix}/{rel}" if app_prefix else rel
