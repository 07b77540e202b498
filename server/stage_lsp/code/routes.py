"""Per-framework file conventions: whether a file is a route file, and where a missing route would go."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from stage_lsp.code import astro
from stage_lsp.code.fs_routes import route_path_for


def is_route_file(rel: str, framework: str) -> bool:
    """True for a file-system route file of `framework` (Astro, Next.js, edge functions)."""
    if framework == "auto":
        framework = "astro"
    return route_path_for(framework, rel) is not None


def expected_route_file(framework: str, path: str, app_prefix: str = "") -> str | None:
    """Where the handler of `path` would live in `framework`, or None when routes are not files."""
    prefix = f"{app_prefix.strip('/')}/" if app_prefix.strip("/") else ""
    if framework == "astro":
        return astro.expected_route_file(path, app_prefix.strip("/"))
    segs = astro.route_segments(path)
    if segs is None:
        return None
    if framework == "next-app":
        return prefix + "app/" + "/".join([*segs, "route.ts"])
    if framework == "next-pages":
        return prefix + "pages/" + "/".join(segs) + ".ts"
    if framework == "supabase-edge":
        name = segs[-1] if segs else "function"
        return prefix + f"supabase/functions/{name}/index.ts"
    return None


_ROOT_MARKERS = {"astro": "src/pages/", "next-app": "app/"}


def route_prefix(framework: str, route_files: Iterable[str], sources: Iterable[str]) -> str:
    """The folder the app's routes live under (`web` for `web/src/pages/api/...`, `src` for Next.js's
    `src/app/...`), read from the existing route files (the most common), else from the sources."""
    marker = _ROOT_MARKERS.get(framework)
    if marker is None:
        return ""
    counts: Counter[str] = Counter()
    for rel in route_files:
        at = ("/" + rel).find("/" + marker)
        if at >= 0:
            counts[rel[:at].rstrip("/")] += 1
    if counts:
        return counts.most_common(1)[0][0]
    if framework == "next-app" and any(rel.startswith("src/app/") for rel in sources):
        return "src"
    return ""
