"""Matching planned endpoints to served routes, shared by the endpoint, status and field rules.

Not a rule. The result is computed once per check (`CheckContext.memo`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from stage_lsp.code.model import Route
from stage_lsp.context import CheckContext
from stage_lsp.plan.model import PlanEndpoint


@dataclass(frozen=True)
class EndpointMatch:
    pairs: tuple[tuple[PlanEndpoint, Route], ...]
    missing: tuple[PlanEndpoint, ...]  # planned, checkable, no route
    unplanned: tuple[Route, ...]  # served, not in the plan


def checkable(endpoint: PlanEndpoint) -> bool:
    """External endpoints and future/optional items are never expected in the code."""
    return not (endpoint.external or endpoint.post_mvp or endpoint.optional)


def _compute(ctx: CheckContext) -> EndpointMatch:
    routes_by_key: dict[str, list[Route]] = defaultdict(list)
    for route in ctx.code.routes:
        if not route.stub_405:
            routes_by_key[route.key].append(route)
    planned_keys = {e.key for e in ctx.plan.endpoints}
    pairs: list[tuple[PlanEndpoint, Route]] = []
    missing: list[PlanEndpoint] = []
    for endpoint in ctx.plan.endpoints:
        found = routes_by_key.get(endpoint.key)
        if found:
            pairs.extend((endpoint, r) for r in found)
        elif checkable(endpoint):
            missing.append(endpoint)
    unplanned = tuple(r for r in ctx.code.routes if not r.stub_405 and r.key not in planned_keys)
    return EndpointMatch(tuple(pairs), tuple(missing), unplanned)


def match_endpoints(ctx: CheckContext) -> EndpointMatch:
    return ctx.memo("endpoints", _compute)
