"""SL104 path-differs: a route looks like a planned endpoint whose path differs by one segment.

## What it does
Pairs an unmatched planned endpoint with an unmatched route of the same method whose paths differ by
exactly one literal segment added or removed (`POST /api/commands/process` planned, `POST /api/process`
served), or one segment spelled differently (`/api/flash-cards` and `/api/flashcards`, `user` and
`users`); different resources (`/api/tags`, `/api/notes`) are never paired. Reported once, on the handler, with the planned definition as the related
location. Only when the pairing is unambiguous in both directions; otherwise SL101 and SL102 report the
two sides separately. Parameter names never matter.

## Why is this bad?
A path moved in the code (or a typo in the plan) breaks every client built from the plan, and a pair of
"missing" and "unplanned" findings hides that it is one decision.

## Example
```markdown
#### POST /api/commands/process
```
```ts
// src/pages/api/process.ts
export const POST: APIRoute = async () => { ... };
```

## Fix
Move the route to the planned path, or change the plan's path to the served one.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._endpoints import match_endpoints
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    for endpoint, route in match_endpoints(ctx).path_drift:
        yield RULE.violation(
            route.location,
            f"Route `{route.method} {route.path}` looks like planned `{endpoint.method} {endpoint.path}` "
            "(the paths differ by one segment)",
            entity=(endpoint.key, route.key),
            related=[Related(endpoint.location, "the planned endpoint")],
        )


RULE = define(__doc__, Severity.WARNING, check)
