"""Matching planned endpoints to served routes, shared by the endpoint, status and field rules.

Not a rule. The result is computed once per check (`CheckContext.memo`) in four steps:

1. Exact canonical keys (`GET /api/x/{}`); a route exporting `ALL` serves every method of its path, and a
   catch-all segment (`{...}`) matches one or more trailing segments.
2. A project-wide base path: when many plan paths lack a prefix that the routes have (`/flashcards` planned,
   `/api/flashcards` served), or the plan declares a base URL its paths omit, the prefix is detected once
   and applied to every plan path that does not match as written. Reported once (SL105).
3. Method drift: the only unmatched planned method and the only unmatched served method of one path are
   one finding (SL103), not a missing endpoint plus an unplanned route, when both are write methods that
   stand in for each other (`PUT`/`PATCH`/`POST`); a `GET` or `DELETE` is never "the same endpoint" as
   another method.
4. Path drift: an unmatched planned endpoint and an unmatched route of the same method whose paths differ
   by exactly one segment inserted or removed (`/api/commands/process` vs `/api/process`), or by one
   segment spelled differently (`flash-cards`/`flashcards`, `user`/`users`), are paired (SL104) only when
   the pairing is unambiguous in both directions. Two different resources (`/api/tags`, `/api/notes`)
   are never paired.

External endpoints, optional/post-MVP endpoints and endpoints of a later stage are never "missing"; they
still count as planned, so a route serving them is not "unplanned". Nor is a route serving, under the
app's own prefix, an endpoint the plan says Supabase serves (`/auth/login` planned, `/api/auth/login`
served), one that a supplementary spec names (`auth-spec.md` specifies the auth routes the API plan
leaves out), or one that only redirects (an OAuth callback, a logout link: browser navigation).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from stage_lsp.code.fs_routes import route_path_for
from stage_lsp.code.model import Route
from stage_lsp.context import CheckContext
from stage_lsp.core.keys import canonical_path, is_external_path, path_segments
from stage_lsp.core.location import Location
from stage_lsp.core.similarity import edit_distance
from stage_lsp.plan import stages
from stage_lsp.plan.model import PlanEndpoint

INTERCHANGEABLE = frozenset({"PUT", "PATCH", "POST"})


@dataclass(frozen=True)
class BasePath:
    prefix: str  # added to plan paths, e.g. "/api"
    matched: int  # endpoints matched only thanks to the prefix
    location: Location | None  # the plan's base-URL line, when it declares one
    declared: bool


@dataclass(frozen=True)
class EndpointMatch:
    pairs: tuple[tuple[PlanEndpoint, Route], ...]
    missing: tuple[PlanEndpoint, ...]  # planned, expected now, no route
    unplanned: tuple[Route, ...]  # served, not in the plan
    method_drift: tuple[tuple[PlanEndpoint, Route], ...]
    path_drift: tuple[tuple[PlanEndpoint, Route], ...]
    base_path: BasePath | None
    served_path: dict[str, str]  # plan endpoint key -> the canonical path it is expected at

    def route_for(self, endpoint: PlanEndpoint) -> tuple[Route, ...]:
        return tuple(r for e, r in self.pairs if e is endpoint)


def checkable(endpoint: PlanEndpoint) -> bool:
    """External endpoints and future/optional items are never expected in the code."""
    return not (endpoint.external or endpoint.post_mvp or endpoint.optional)


def expected_now(ctx: CheckContext, endpoint: PlanEndpoint) -> bool:
    """Checkable and not placed by the stage plan in a stage after the current one."""
    if not checkable(endpoint):
        return False
    current = current_stage(ctx)
    return not (current is not None and endpoint.stage is not None and endpoint.stage > current)


def redirect_only(route: Route) -> bool:
    """Every answer (besides a 500) is a redirect: a browser navigation target (an OAuth or e-mail link
    callback, a logout link), not an API endpoint with a contract."""
    codes = {s.code for s in route.statuses} - {500}
    return route.statuses_complete and bool(codes) and all(300 <= c < 400 for c in codes)


def _path_of(key: str) -> str:
    return key.split(" ", 1)[1]


def _method_of(key: str) -> str:
    return key.split(" ", 1)[0]


def _segments_match(route_path: str, plan_path: str) -> bool:
    """Does a route path (possibly with a catch-all) serve a plan path?"""
    if route_path == plan_path:
        return True
    if "{...}" not in route_path:
        return False
    r, p = path_segments(route_path), path_segments(plan_path)
    for i, seg in enumerate(r):
        if seg == "{...}":
            return len(p) >= i and all(
                a == b or a == "{}" or b == "{}" for a, b in zip(r[:i], p[:i], strict=False)
            )
        if i >= len(p) or seg != p[i]:
            return False
    return len(r) == len(p)


class _RouteIndex:
    def __init__(self, routes: Iterable[Route]) -> None:
        self.by_path: dict[str, list[Route]] = defaultdict(list)
        self.catch_all: list[Route] = []
        self._serving: dict[tuple[str, str], list[Route]] = {}
        for r in routes:
            path = _path_of(r.key)
            self.by_path[path].append(r)
            if "{...}" in path:
                self.catch_all.append(r)

    def serving(self, method: str, path: str) -> list[Route]:
        """The routes serving `method path` (asked twice per planned endpoint: answered once)."""
        known = self._serving.get((method, path))
        if known is None:
            known = self._serving[(method, path)] = self._find(method, path)
        return list(known)

    def _find(self, method: str, path: str) -> list[Route]:
        found = [r for r in self.by_path.get(path, ()) if r.method in (method, "ALL")]
        if found:
            return found
        return [
            r
            for r in self.catch_all
            if r.method in (method, "ALL") and _segments_match(_path_of(r.key), path)
        ]


@lru_cache(maxsize=1 << 14)
def _join(prefix: str, path: str) -> str:
    """`prefix` + `path`, canonical (cached: base-path detection joins every unmatched endpoint's path
    with each candidate prefix on every check, and the plan's paths rarely change)."""
    return canonical_path(prefix.rstrip("/") + "/" + path.lstrip("/"))


def _prefix_votes(plan_paths: set[str], route_paths: set[str]) -> Counter[str]:
    """How many plan paths become route paths when a given leading prefix is added."""
    votes: Counter[str] = Counter()
    for route_path in route_paths:
        segs = path_segments(route_path)
        for cut in range(1, min(3, len(segs))):
            prefix = "/" + "/".join(segs[:cut])
            if "{" in prefix:
                break
            rest = "/" + "/".join(segs[cut:])
            if rest in plan_paths:
                votes[prefix] += 1
    return votes


def _detect_base(ctx: CheckContext, planned: list[PlanEndpoint], index: _RouteIndex) -> BasePath | None:
    unmatched = [e for e in planned if not index.serving(e.method, _path_of(e.key))]
    if not unmatched:
        return None
    plan_paths = {_path_of(e.key) for e in unmatched}
    route_paths = set(index.by_path)
    declared = ctx.plan.base_path
    candidates: list[tuple[str, bool]] = []
    if declared and declared.startswith("/") and declared != "/":
        candidates.append((canonical_path(declared), True))
    votes = _prefix_votes(plan_paths, route_paths)
    candidates += [(p, False) for p, _ in votes.most_common(3)]
    best: BasePath | None = None
    for prefix, is_declared in candidates:
        gained = sum(1 for e in unmatched if index.serving(e.method, _join(prefix, _path_of(e.key))))
        if gained == 0:
            continue
        # A detected prefix must explain a good share of what does not match as written.
        if not is_declared and gained < max(1, (min(len(unmatched), len(route_paths)) + 1) // 2):
            continue
        if best is None or gained > best.matched:
            best = BasePath(prefix, gained, ctx.plan.base_path_location if is_declared else None, is_declared)
    return best


def _same_word(a: str, b: str) -> bool:
    """`flash-cards`/`flashcards`, `user`/`users`, `recieve`/`receive`: one name written differently."""
    ka, kb = (re.sub(r"[-_.]", "", x.lower()).removesuffix("s") for x in (a, b))
    if ka == kb:
        return True
    return min(len(ka), len(kb)) >= 5 and edit_distance(ka, kb, 1) <= 1


@lru_cache(maxsize=1 << 14)
def _one_segment_apart(a: str, b: str) -> bool:
    """One segment inserted or removed, or one segment spelled differently (not a different resource)."""
    sa, sb = path_segments(a), path_segments(b)
    if len(sa) == len(sb):
        diff = [(x, y) for x, y in zip(sa, sb, strict=True) if x != y]
        return len(diff) == 1 and "{" not in diff[0][0] + diff[0][1] and _same_word(*diff[0])
    if abs(len(sa) - len(sb)) != 1:
        return False
    longer, shorter = (sa, sb) if len(sa) > len(sb) else (sb, sa)
    return any(longer[:i] + longer[i + 1 :] == shorter and "{" not in longer[i] for i in range(len(longer)))


def _wrapped_external(endpoints: Iterable[PlanEndpoint], routes: Iterable[Route]) -> set[str]:
    """Route keys that serve, under the app's own prefix, an endpoint the plan says Supabase serves.

    A plan that lists `POST /auth/login` under "these endpoints are managed by Supabase Auth" names the
    operation; an app that wraps it in `POST /api/auth/login` implements that planned operation. Only for
    endpoints external by such a statement, not for real Supabase paths (`/auth/v1/token`)."""
    named = {
        (e.method, path_segments(_path_of(e.key)))
        for e in endpoints
        if e.external and not is_external_path(e.raw_path)
    }
    if not named:
        return set()
    out: set[str] = set()
    for r in routes:
        segs = path_segments(_path_of(r.key))
        if len(segs) > 1 and "{" not in segs[0] and (r.method, segs[1:]) in named:
            out.add(r.key)
    return out


def _unread_route_paths(ctx: CheckContext) -> set[str]:
    """Paths served by route files that could not be read (binary, too large, gone; SL903 says so).

    What such a file serves is unknown, so its planned endpoints are neither matched nor missing: an
    unreadable file never turns into "planned endpoint missing" findings."""
    paths: set[str] = set()
    for rel in ctx.code.unread_files:
        if rel in ctx.code.route_files:
            for framework, _ in ctx.code.frameworks or ((ctx.code.framework, ""),):
                path = route_path_for(framework, rel)
                if path is not None:
                    paths.add(canonical_path(path))
    return paths


def _compute(ctx: CheckContext) -> EndpointMatch:
    routes = [r for r in ctx.code.routes if not r.stub_405]
    index = _RouteIndex(routes)
    in_plan = [e for e in ctx.plan.endpoints if not e.external]
    base = _detect_base(ctx, [e for e in in_plan if checkable(e)], index)
    unknown = _unread_route_paths(ctx)

    served_path: dict[str, str] = {}
    pairs: list[tuple[PlanEndpoint, Route]] = []
    unmatched_plan: list[PlanEndpoint] = []
    served: set[int] = set()
    for e in in_plan:
        path = _path_of(e.key)
        found = index.serving(e.method, path)
        if not found and base is not None:
            prefixed = _join(base.prefix, path)
            found = index.serving(e.method, prefixed)
            path = prefixed if found or not path.startswith(base.prefix + "/") else path
        served_path[e.key] = path
        if found:
            pairs.extend((e, r) for r in found)
            served.update(id(r) for r in found)
        elif path not in unknown and _path_of(e.key) not in unknown:
            unmatched_plan.append(e)
    unmatched_routes = [r for r in routes if id(r) not in served]

    # Method drift: one unmatched planned method and one unmatched served method on one path.
    method_drift: list[tuple[PlanEndpoint, Route]] = []
    plan_by_path: dict[str, list[PlanEndpoint]] = defaultdict(list)
    for e in unmatched_plan:
        if checkable(e):
            plan_by_path[served_path[e.key]].append(e)
    routes_by_path: dict[str, list[Route]] = defaultdict(list)
    for r in unmatched_routes:
        routes_by_path[_path_of(r.key)].append(r)
    for path, planned_here in plan_by_path.items():
        served_here = routes_by_path.get(path, [])
        if (
            len(planned_here) == 1
            and len(served_here) == 1
            and planned_here[0].method in INTERCHANGEABLE
            and served_here[0].method in INTERCHANGEABLE
        ):
            method_drift.append((planned_here[0], served_here[0]))
    drifted_plan = {id(e) for e, _ in method_drift}
    drifted_routes = {id(r) for _, r in method_drift}

    # Path drift: same method, one segment apart, unambiguous both ways.
    rest_plan = [e for e in unmatched_plan if checkable(e) and id(e) not in drifted_plan]
    rest_routes = [r for r in unmatched_routes if id(r) not in drifted_routes]
    path_drift: list[tuple[PlanEndpoint, Route]] = []
    for e in rest_plan:
        path = served_path[e.key]
        near = [r for r in rest_routes if r.method == e.method and _one_segment_apart(path, _path_of(r.key))]
        if len(near) != 1:
            continue
        back = [
            p
            for p in rest_plan
            if p.method == e.method and _one_segment_apart(served_path[p.key], _path_of(near[0].key))
        ]
        if back == [e]:
            path_drift.append((e, near[0]))
    drifted_plan |= {id(e) for e, _ in path_drift}
    drifted_routes |= {id(r) for _, r in path_drift}

    missing = tuple(e for e in unmatched_plan if id(e) not in drifted_plan and checkable(e))
    planned_keys_anywhere = {e.key for e in ctx.plan.endpoints}
    planned_keys_anywhere |= _wrapped_external(ctx.plan.endpoints, routes)
    for spec in ctx.plan.spec_endpoints:  # named by auth-spec.md: planned, though not in the API plan
        planned_keys_anywhere.add(spec.key)
        if base is not None:
            planned_keys_anywhere.add(f"{_method_of(spec.key)} {_join(base.prefix, _path_of(spec.key))}")
    unplanned = _one_per_wildcard_handler(
        [
            r
            for r in unmatched_routes
            if id(r) not in drifted_routes and r.key not in planned_keys_anywhere and not redirect_only(r)
        ],
        {_path_of(r.key) for r in routes if id(r) in served or id(r) in drifted_routes},
    )
    if base is not None and base.matched == 0:
        base = None
    return EndpointMatch(
        tuple(pairs), missing, unplanned, tuple(method_drift), tuple(path_drift), base, served_path
    )


def _one_per_wildcard_handler(routes: list[Route], used_paths: set[str]) -> tuple[Route, ...]:
    """A handler that answers every method (`ALL`, an edge function without a method check) is expanded
    into one route per method; as "unplanned" it is one finding, and none when the plan uses its path
    with some method (the other methods are what the handler happens to accept, not endpoints)."""
    out: list[Route] = []
    seen: set[tuple[str, int, int]] = set()
    for r in routes:
        if r.wildcard_method:
            where = (r.location.file, r.location.range.line, r.location.range.col)
            if where in seen or _path_of(r.key) in used_paths:
                continue
            seen.add(where)
        out.append(r)
    return tuple(out)


def raw_match(ctx: CheckContext) -> EndpointMatch:
    """The matching before stage awareness: `missing` holds every checkable unimplemented endpoint."""
    return ctx.memo("endpoints-raw", _compute)


def match_endpoints(ctx: CheckContext) -> EndpointMatch:
    """The matching the rules use: endpoints of later stages are not `missing`."""

    def staged(ctx: CheckContext) -> EndpointMatch:
        raw = raw_match(ctx)
        return replace(raw, missing=tuple(e for e in raw.missing if expected_now(ctx, e)))

    return ctx.memo("endpoints", staged)


def current_stage(ctx: CheckContext) -> int | None:
    """The configured stage, else the first stage (of the stage plan) with unfinished items."""

    def compute(ctx: CheckContext) -> int | None:
        if ctx.settings.stage is not None:
            return ctx.settings.stage
        raw = raw_match(ctx)
        implemented = {e.key for e, _ in (*raw.pairs, *raw.method_drift, *raw.path_drift)}
        tables = (
            {t.name.lower().removeprefix("public.") for t in ctx.code.tables} if ctx.code.migrations else None
        )
        return stages.current_stage(ctx.plan, implemented, tables)

    return ctx.memo("current-stage", compute)
