"""Canonical endpoint keys.

`METHOD /path`, where every path parameter is written `{}` whatever its notation (`{id}`, `:id`, `[id]`,
`<id>`), a catch-all (`[...rest]`, `{...rest}`, `*`) is `{...}`, with no query string or fragment, no trailing
slash, `index` segments dropped and case kept. Only a `:name` right after `/` is a parameter, so AIP custom
methods stay literal: `/api/notebooks:import`, `/api/jobs/:jobId:cancel` -> `/api/jobs/{}:cancel`. A parameter
glued to a literal inside one segment keeps the literal: `[jobId]-cancel` -> `{}-cancel`.

File extensions are a file-system concern: route adapters strip `.ts`/`.js` before building a path, so a
dotted segment that is part of the route (`export.ics`) survives.

`display_path` keeps the source's parameter names as `{name}`; `canonical_path` erases them. Parameter
names never matter for matching.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

_PARAM_PATTERNS = (
    # [...rest] / {...rest} / [[...rest]]: catch-all
    (re.compile(r"\[\[?\.\.\.([A-Za-z_][\w-]*)\]\]?"), "{...%s}"),
    (re.compile(r"\{\.\.\.([A-Za-z_][\w-]*)\}"), "{...%s}"),
    # [id], <id>, {id}
    (re.compile(r"\[([A-Za-z_][\w-]*)\]"), "{%s}"),
    (re.compile(r"<(?:[A-Za-z_]\w*:)?([A-Za-z_][\w-]*)>"), "{%s}"),  # <id>, Flask-style <int:id>
    (re.compile(r"\{([A-Za-z_][\w-]*)(?::[^}]*)?\}"), "{%s}"),  # {id}, {id:int}
)
_COLON_PARAM = re.compile(r"(?<=/):([A-Za-z_][\w]*)")
_NAMED = re.compile(r"\{(\.\.\.)?[^{}]*\}")


def _filler(template: str) -> Callable[[re.Match[str]], str]:
    return lambda m: template % m.group(1)


def display_path(raw: str) -> str:
    """Normalise a path's notation, keeping parameter names: `/a/:id?x=1` -> `/a/{id}`."""
    path = raw.strip().strip("`").strip()
    for sep in ("?", "#"):
        cut = path.find(sep)
        if cut != -1:
            path = path[:cut]
    path = path.replace("\\", "")
    for pattern, template in _PARAM_PATTERNS:
        path = pattern.sub(_filler(template), path)
    path = _COLON_PARAM.sub(lambda m: "{" + m.group(1) + "}", path)
    if path == "*" or path.endswith("/*"):
        path = path[:-1] + "{...}"
    segments = [s for s in path.split("/")]
    if len(segments) > 1:
        # drop `index` segments and empty segments from doubled slashes, keep a leading slash
        kept = [s for s in segments[1:] if s not in ("", "index")]
        path = segments[0] + "/" + "/".join(kept)
    if not path.startswith("/"):
        path = "/" + path
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return path


def canonical_path(raw: str) -> str:
    """`display_path` with parameter names erased: `/a/{id}/b` -> `/a/{}/b`, catch-all `{...}`."""
    return _NAMED.sub(lambda m: "{...}" if m.group(1) else "{}", display_path(raw))


def endpoint_key(method: str, raw_path: str) -> str:
    return f"{method.upper()} {canonical_path(raw_path)}"


@lru_cache(maxsize=1 << 14)
def path_segments(canonical: str) -> tuple[str, ...]:
    """The non-empty `/`-separated segments (cached: the matching asks for the same paths every check)."""
    return tuple(s for s in canonical.split("/") if s)


EXTERNAL_PREFIXES = ("/auth/v1", "/rest/v1", "/functions/v1", "/storage/v1", "/realtime/v1", "/graphql/v1")


def is_external_path(raw: str) -> bool:
    """Supabase service endpoints and absolute URLs of other hosts are not the app's routes."""
    path = raw.strip().strip("`")
    if "://" in path:
        return True
    return any(path == p or path.startswith(p + "/") or path.startswith(p + "?") for p in EXTERNAL_PREFIXES)
