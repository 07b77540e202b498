"""Per-framework file conventions: whether a file is a route file, and where a missing route would go."""

from __future__ import annotations

import re

from stage_lsp.code import astro
from stage_lsp.code.fs_routes import route_path_for


def is_route_file(rel: str, framework: str) -> bool:
    """True for a file-system route file of `framework` (Astro, Next.js, edge functions)."""
    if framework == "auto":
        framework = "astro"
    return route_path_for(framework, rel) is not None


def _segments(path: str) -> list[str]:
    out = []
    for seg in path.strip("/").split("/"):
        if seg.startswith("{...") and seg.endswith("}"):
            seg = "[..." + seg[4:-1] + "]"
        seg = re.sub(r"\{([^{}]*)\}", lambda m: "[" + (m.group(1) or "param") + "]", seg)
        if seg:
            out.append(seg)
    return out


def expected_route_file(framework: str, path: str, app_prefix: str = "") -> str | None:
    """Where the handler of `path` would live in `framework`, or None when routes are not files."""
    prefix = f"{app_prefix.strip('/')}/" if app_prefix.strip("/") else ""
    if framework == "astro":
        return astro.expected_route_file(path, app_prefix)
    if framework == "next-app":
        return prefix + "app/" + "/".join([*_segments(path), "route.ts"])
    if framework == "next-pages":
        return prefix + "pages/" + "/".join(_segments(path)) + ".ts"
    if framework == "supabase-edge":
        segs = _segments(path)
        name = segs[-1] if segs else "function"
        return prefix + f"supabase/functions/{name}/index.ts"
    return None
