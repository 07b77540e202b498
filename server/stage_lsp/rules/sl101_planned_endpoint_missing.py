"""SL101 planned-endpoint-missing: a planned endpoint has no route in the code.

## What it does
Reports an endpoint defined in the API plan (`#### POST /api/flashcards`) for which no route handler
serves the same method and path. The diagnostic sits on the plan line; its related location is the file
where the framework would expect the handler.

Endpoints of external services (Supabase `/auth/v1`, `/rest/v1`, `/functions/v1`, other hosts) and
endpoints the plan marks as future, optional or post-MVP are never reported.

## Why is this bad?
The plan is the contract the front end and the reviewers rely on. A planned endpoint that was never
implemented fails at run time with a 404, usually long after the stage was declared done.

## Example
```markdown
#### DELETE /api/flashcards/{id}
```
with no `export const DELETE` in `src/pages/api/flashcards/[id].ts`.

## Fix
Implement the handler (the language server offers to scaffold it), or remove the endpoint from the plan
or mark it as planned for a later stage.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.code.astro import expected_route_file
from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._endpoints import match_endpoints
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    if not ctx.code.has_routes_source:
        return
    for endpoint in match_endpoints(ctx).missing:
        related = []
        if ctx.code.framework == "astro":
            target = expected_route_file(endpoint.path)
            related.append(Related(Location(target, Range(0, 0, 0, 0)), "the handler would live here"))
        yield RULE.violation(
            endpoint.location,
            f"Planned endpoint `{endpoint.method} {endpoint.path}` has no route in the code",
            entity=(endpoint.key,),
            related=related,
        )


RULE = define(__doc__, Severity.WARNING, check)
