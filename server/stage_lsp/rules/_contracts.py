"""Planned endpoints paired with the handlers that serve them, for the status, error-code and field rules.

Not a rule. One `Contract` per planned endpoint key that is served (duplicate plan definitions of one key
use the first; SL002 reports disagreements). Statuses and codes are merged over the endpoint's routes.
"""

from __future__ import annotations

from dataclasses import dataclass

from stage_lsp.code.model import CodeErrorCode, CodeStatus, Route
from stage_lsp.context import CheckContext
from stage_lsp.plan.model import PlanEndpoint
from stage_lsp.rules._endpoints import match_endpoints

# Any handler can answer 500 through an uncaught exception (the framework's default), so a planned 500 is
# never "not produced" and a produced 500 is never "not planned".
ALWAYS_POSSIBLE = frozenset({500})


@dataclass(frozen=True)
class Contract:
    endpoint: PlanEndpoint
    routes: tuple[Route, ...]

    @property
    def label(self) -> str:
        return f"{self.endpoint.method} {self.endpoint.path}"

    @property
    def produced(self) -> dict[int, CodeStatus]:
        """Each produced status at its first location."""
        out: dict[int, CodeStatus] = {}
        for r in self.routes:
            for s in sorted(r.statuses, key=lambda s: s.location):
                out.setdefault(s.code, s)
        return out

    @property
    def statuses_complete(self) -> bool:
        return all(r.statuses_complete for r in self.routes)

    @property
    def error_codes(self) -> dict[str, CodeErrorCode]:
        out: dict[str, CodeErrorCode] = {}
        for r in self.routes:
            for c in sorted(r.error_codes, key=lambda c: c.location):
                out.setdefault(c.code, c)
        return out

    @property
    def error_codes_complete(self) -> bool:
        return all(r.error_codes_complete for r in self.routes)

    @property
    def success_produced(self) -> set[int]:
        """The handler's success statuses: its 2xx, or its redirects when it never answers 2xx (a
        logout that redirects home instead of answering 204 succeeds with the redirect)."""
        produced = {c for c in self.produced if 200 <= c < 300}
        return produced or {c for c in self.produced if 300 <= c < 400 and c != 304}

    def success_drift(self) -> tuple[set[int], set[int]] | None:
        """(planned 2xx, produced successes) when both are known and disjoint: one SL203 finding."""
        planned = {s.code for s in self.endpoint.statuses if 200 <= s.code < 300}
        produced = self.success_produced
        if planned and produced and self.statuses_complete and not planned & produced:
            return planned, produced
        return None


def middleware(ctx: CheckContext) -> set[int]:
    """Statuses answered around every handler (middleware, framework exception handlers)."""
    return {s.code for s in ctx.code.middleware_statuses}


def _compute(ctx: CheckContext) -> tuple[Contract, ...]:
    by_key: dict[str, tuple[PlanEndpoint, list[Route]]] = {}
    for endpoint, route in match_endpoints(ctx).pairs:
        entry = by_key.setdefault(endpoint.key, (endpoint, []))
        if entry[0] is endpoint and route not in entry[1]:
            entry[1].append(route)
    return tuple(Contract(e, tuple(rs)) for e, rs in by_key.values() if rs)


def contracts(ctx: CheckContext) -> tuple[Contract, ...]:
    return ctx.memo("contracts", _compute)


def common_statuses(ctx: CheckContext) -> set[int]:
    return {s.code for s in ctx.plan.common_statuses}


def common_codes(ctx: CheckContext) -> set[str]:
    return {c.code for c in ctx.plan.common_error_codes}


def _plan_statuses(ctx: CheckContext) -> frozenset[int]:
    return frozenset(common_statuses(ctx) | {s.code for e in ctx.plan.endpoints for s in e.statuses})


def plan_statuses(ctx: CheckContext) -> frozenset[int]:
    """Every status the plan mentions, for any endpoint or API-wide (once per check: it walks the plan)."""
    return ctx.memo("plan-statuses", _plan_statuses)


def plan_codes(ctx: CheckContext) -> set[str]:
    """The plan's error-code vocabulary: every code it names, for any endpoint or API-wide."""
    codes = common_codes(ctx)
    for e in ctx.plan.endpoints:
        codes.update(c.code for c in e.error_codes)
        codes.update(e.success_codes)
    return codes


def implied_statuses(ctx: CheckContext, endpoint: PlanEndpoint) -> set[int]:
    """Statuses an endpoint may answer without its plan section listing them.

    A per-endpoint list states the endpoint's own cases; the generic failures every API has are implied:
    500 (any uncaught error), 401 (authentication is checked everywhere), 400 and 422 for an endpoint that
    takes input (a body, query or path parameters), 404 for an endpoint with a path parameter, 403 when
    the plan uses 403 anywhere (it has an authorisation model), and 304 for a GET (a conditional request
    answered from the client's cache is HTTP caching, not part of the contract). The plan's API-wide
    catalogue is allowed everywhere too.
    """
    implied = {500, 401} | common_statuses(ctx)
    if endpoint.method in ("GET", "HEAD"):
        implied.add(304)  # a conditional GET (ETag / If-None-Match) is HTTP caching, not the contract
    has_path_params = bool(endpoint.path_params) or "{" in endpoint.path
    takes_input = endpoint.method in ("POST", "PUT", "PATCH") or bool(
        has_path_params or endpoint.query_params or endpoint.request_fields
    )
    if takes_input:
        implied |= {400, 422}
    if has_path_params:
        implied.add(404)
    if 403 in plan_statuses(ctx):
        implied.add(403)
    return implied
