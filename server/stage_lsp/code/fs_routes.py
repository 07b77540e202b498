"""File-system routed frameworks: Astro, Next.js (app and pages routers), Supabase Edge Functions.

The route path comes from the file path; the handlers from the module's exports (`export const GET`,
`export async function POST`, `export { h as PUT }`, `export const POST = withAuth(async (...) => ...)`),
the default export (pages router) or `Deno.serve(handler)` (edge functions, whose methods come from
`req.method` checks).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath

from stage_lsp.code.astro import ROUTE_SUFFIXES, not_a_route
from stage_lsp.code.astro import route_path as astro_route_path
from stage_lsp.code.evaluate import Evaluator, Frame
from stage_lsp.code.expr import As, Call, Expr, Ident
from stage_lsp.code.facts import FunctionFacts, ModuleFacts
from stage_lsp.code.model import Route
from stage_lsp.code.route_make import HandlerSpec, RouteMaker
from stage_lsp.code.values import VFn
from stage_lsp.core.keys import HTTP_METHODS, display_path
from stage_lsp.core.location import Location, Range

NEXT_ROUTE = re.compile(r"(^|/)route\.(ts|js|tsx|jsx|mjs|mts)$")


def next_app_path(rel: str) -> str | None:
    """`app/api/x/[id]/route.ts` (or under `src/`, or in an app folder) -> `/api/x/{id}`."""
    if not NEXT_ROUTE.search(rel):
        return None
    parts = rel.split("/")
    if "app" not in parts[:-1]:
        return None
    if not_a_route(rel, len("/".join(parts[: parts.index("app")]))):
        return None
    segments = []
    for seg in parts[parts.index("app") + 1 : -1]:
        if seg.startswith("_"):
            return None  # private folder: not routable
        if (seg.startswith("(") and seg.endswith(")")) or seg.startswith("@"):
            continue  # route group / parallel route slot
        segments.append(seg)
    return display_path("/" + "/".join(segments))


def next_pages_path(rel: str) -> str | None:
    """`pages/api/x/[id].ts` (or `src/pages/api/...`) -> `/api/x/{id}`."""
    idx = rel.find("pages/api/")
    if (
        idx == -1
        or (idx > 0 and rel[idx - 1] != "/")
        or not rel.endswith(ROUTE_SUFFIXES)
        or not_a_route(rel, idx)
    ):
        return None
    stem = str(PurePosixPath(rel[idx + len("pages") :]).with_suffix(""))
    return display_path(stem)


def edge_path(rel: str) -> str | None:
    """`supabase/functions/<name>/index.ts` -> `/functions/v1/<name>`."""
    parts = rel.split("/")
    if len(parts) < 4 or parts[-1] not in ("index.ts", "index.js", "index.mts"):
        return None
    if parts[-4] != "supabase" or parts[-3] != "functions" or parts[-2].startswith(("_", ".")):
        return None
    if not_a_route(rel, len(rel) - len("/".join(parts[-4:]))):
        return None
    return "/functions/v1/" + parts[-2]


@lru_cache(maxsize=1 << 16)
def route_path_for(framework: str, rel: str) -> str | None:
    """The route path a file-system routed framework gives `rel`, None when it is no route file (a pure
    function of its arguments, cached: every recheck asks it for every source file)."""
    if framework == "astro":
        return astro_route_path(rel)
    if framework == "next-app":
        return next_app_path(rel)
    if framework == "next-pages":
        return next_pages_path(rel)
    if framework == "supabase-edge":
        return edge_path(rel)
    return None


def _user_fn(ev: Evaluator, expr: Expr, frame: Frame, depth: int = 0) -> VFn | None:
    """The user's function inside wrappers: `withAuth(withSchema(s, async (ctx) => ...))`."""
    e = expr
    while isinstance(e, As):
        e = e.expr
    if depth > 4:
        return None
    if isinstance(e, Call):
        for arg in reversed(e.args):
            inner = _user_fn(ev, arg, frame, depth + 1)
            if inner is not None:
                return inner
        return None
    for value in ev.ev(e, frame):
        if isinstance(value, VFn):
            return value
    if isinstance(e, Ident) and e.name in frame.module.consts and depth < 4:
        return _user_fn(ev, frame.module.consts[e.name], ev.module_frame(frame.module), depth + 1)
    return None


def handler_spec(ev: Evaluator, module: ModuleFacts, expr: Expr) -> HandlerSpec | None:
    frame = ev.module_frame(module)
    values = ev.ev(expr, frame)
    fns = [v for v in values if isinstance(v, VFn)]
    user = _user_fn(ev, expr, frame)
    if fns:
        return HandlerSpec(fns[0], user or fns[0], complete=len(fns) == len(values))
    if user is not None:
        return HandlerSpec(user, user, complete=False)
    return None


def _export_expr(ev: Evaluator, module: ModuleFacts, name: str) -> tuple[Expr, ModuleFacts] | None:
    symbol = ev.project.export(module, name)
    if symbol is None or symbol.expr is None:
        return None
    return symbol.expr, symbol.module


def exported_routes(
    maker: RouteMaker, module: ModuleFacts, path: str, framework: str, allow_all: bool
) -> list[Route]:
    ev = maker.ev
    names = set(module.exports) | {r.exported for r in module.reexports}
    out: list[Route] = []
    for name in sorted(
        names, key=lambda n: ((*HTTP_METHODS, "ALL")).index(n) if n in (*HTTP_METHODS, "ALL") else 99
    ):
        if name not in HTTP_METHODS and not (allow_all and name == "ALL"):
            continue
        found = _export_expr(ev, module, name)
        where = Location(module.rel, module.export_ranges.get(name) or Range(0, 0, 0, 0))
        spec = handler_spec(ev, found[1], found[0]) if found is not None else None
        if spec is None:
            spec = HandlerSpec(None, None, complete=False)
        methods: list[str] | None = [name]
        if name == "ALL":  # one handler for every method, unless it checks `request.method`
            methods = checked_methods(spec)
            spec.drop_405 = methods is not None
        out.extend(maker.routes(methods, path, where, framework, spec))
    return out


def _family(module: ModuleFacts, root: FunctionFacts) -> list[FunctionFacts]:
    inside = {root.fid}
    out = [root]
    for fn in sorted(module.functions.values(), key=lambda f: f.fid):
        if fn.parent in inside and fn.fid not in inside:
            inside.add(fn.fid)
            out.append(fn)
    return out


def checked_methods(spec: HandlerSpec) -> list[str] | None:
    """Methods from `req.method` checks in the user's function; None when it answers every method."""
    user = spec.user or spec.handler
    if user is None:
        return None
    checks = [c for fn in _family(user.module, user.fn) for c in fn.method_checks]
    positive = {c.method for c in checks if not c.negated and c.method in HTTP_METHODS} - {"OPTIONS"}
    negative = {c.method for c in checks if c.negated and c.method in HTTP_METHODS} - {"OPTIONS"}
    methods = positive | negative
    if not methods:
        return None
    return [m for m in HTTP_METHODS if m in methods]


def default_export_routes(maker: RouteMaker, module: ModuleFacts, path: str, framework: str) -> list[Route]:
    """Next pages router: `export default function handler(req, res)`."""
    found = _export_expr(maker.ev, module, "default")
    if found is None:
        return []
    spec = handler_spec(maker.ev, found[1], found[0])
    if spec is None:
        return []
    where = Location(module.rel, module.export_ranges.get("default") or Range(0, 0, 0, 0))
    methods = checked_methods(spec)
    spec.drop_405 = methods is not None
    return maker.routes(methods, path, where, framework, spec)


def served_routes(maker: RouteMaker, module: ModuleFacts, path: str, framework: str) -> list[Route]:
    """Supabase Edge Functions: `Deno.serve(handler)` / `serve(handler)`."""
    out: list[Route] = []
    for expr in module.serve_calls[:1]:
        spec = handler_spec(maker.ev, module, expr)
        if spec is None:
            continue
        user = spec.user or spec.handler
        where = Location(module.rel, user.fn.rng if user is not None else Range(0, 0, 0, 0))
        if user is not None and user.module.rel == module.rel:
            where = Location(
                module.rel, Range(user.fn.rng.line, user.fn.rng.col, user.fn.rng.line, user.fn.rng.col)
            )
        methods = checked_methods(spec)
        spec.drop_405 = methods is not None
        out.extend(maker.routes(methods, path, where, framework, spec))
    return out
