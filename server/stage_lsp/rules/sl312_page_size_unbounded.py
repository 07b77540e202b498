"""SL312 page-size-unbounded: a planned pagination limit is not read, or read without its upper bound.

## What it does
When the plan states pagination for an endpoint with an upper bound for the page size (`limit` ... max
100), checks the handler's query parameters: the size parameter must be read, and read with an upper
bound (`z.coerce.number().max(100)`, `Math.min(100, ...)`). Reports the place the parameter is read
when it has no bound, or the handler when it never reads it (only when every query access of the handler
is known). The related location is the plan line that states the limit.

## Why is this bad?
An unbounded page size lets one request read a whole table: slow responses, memory spikes and an easy
denial of service. The plan's limit is also what the front end's paging assumes.

## Example
```markdown
- `limit` (optional, default 20, max 100)
```
```ts
limit: z.coerce.number().int().min(1).default(20),
```

## Fix
Bound the parameter (`.max(100)`), or change the plan.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._contracts import contracts
from stage_lsp.rules.base import define

SIZE_NAMES = ("limit", "page_size", "pagesize", "per_page", "perpage", "size", "take", "count")


def _is_size(name: str) -> bool:
    return name.lower() in SIZE_NAMES


def check(ctx: CheckContext) -> Iterator[Violation]:
    for contract in contracts(ctx):
        endpoint = contract.endpoint
        if endpoint.limit_max is None:
            continue
        where = endpoint.pagination or endpoint.location
        planned_names = [q.name for q in endpoint.query_params if _is_size(q.name)] or ["limit"]
        related = [Related(where, f"the plan limits the page size to {endpoint.limit_max}")]
        for route in contract.routes:
            read = [q for q in route.query_params if _is_size(q.name)]
            bounds = dict(route.query_bounds)
            if not read:
                if route.query_params_complete:
                    yield RULE.violation(
                        route.location,
                        f"`{contract.label}` never reads the planned page size `{planned_names[0]}` "
                        f"(max {endpoint.limit_max})",
                        entity=(endpoint.key, "not-read"),
                        related=related,
                    )
                continue
            for q in read:
                bound = bounds.get(q.name)
                if q.name in bounds and bound is None:
                    yield RULE.violation(
                        q.location,
                        f"`{contract.label}` reads `{q.name}` without an upper bound; the plan allows at most "
                        f"{endpoint.limit_max}",
                        entity=(endpoint.key, q.name, "unbounded"),
                        related=related,
                    )
                elif bound is not None and bound > endpoint.limit_max:
                    yield RULE.violation(
                        q.location,
                        f"`{contract.label}` allows `{q.name}` up to {bound}; the plan allows at most "
                        f"{endpoint.limit_max}",
                        entity=(endpoint.key, q.name, "too-high"),
                        related=related,
                    )


RULE = define(__doc__, Severity.WARNING, check)
