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

    def success_drift(self) -> tuple[set[int], set[int]] | None:
        """(planned 2xx, produced 2xx) when both are known and disjoint: one SL203 finding."""
        planned = {s.code for s in self.endpoint.statuses if 200 <= s.code < 300}
        produced = {c for c in self.produced if 200 <= c < 300}
        if planned and produced and self.statuses_complete and not planned & produced:
            return planned, produced
        return None


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
