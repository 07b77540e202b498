"""SL101 planned-endpoint-missing: a planned endpoint has no route in the code.

## What it does
Reports an endpoint defined in the API plan (`#### POST /api/flashcards`) for which no route handler
serves the same method and path. The diagnostic sits on the plan line; its related location is the file
where the framework would expect the handler.

Never reported: endpoints of external services (Supabase `/auth/v1`, `/rest/v1`, `/functions/v1`, other
hosts); endpoints the plan marks as future, optional or post-MVP; endpoints the stage plan places in a
stage after the current one; a planned method that is served under another method (SL103) or a path that
differs by one segment (SL104). A project-wide base path (`/flashcards` planned, `/api/flashcards` served)
is applied first (SL105). Nothing is reported when the project has no route source the checker supports
(SL106 says so instead).

## Why is this bad?
The plan is the contract the front end and the reviewers rely on. A planned endpoint that was never
implemented fails at run time with a 404, usually long after the stage was declared done.

## Example
```markdown
#### DELETE /api/flashcards/{id}
```
with no `export const DELETE` in `src/pages/api/flashcards/[id].ts`.

## Fix
Implement the handler (the language server offers to scaffold it), or remove the endpoint from the plan,
mark it optional, or move it to a later stage in the stage plan.
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
    match = match_endpoints(ctx)
    for endpoint in match.missing:
        served = match.served_path.get(endpoint.key, endpoint.path)
        related = []
        if ctx.code.framework == "astro" and served.startswith("/api/"):
            target = expected_route_file(_display(endpoint.path, served))
            related.append(Related(Location(target, Range(0, 0, 0, 0)), "the handler would live here"))
        where = (
            ""
            if served == endpoint.key.split(" ", 1)[1]
            else f" (expected at `{_display(endpoint.path, served)}`)"
        )
        yield RULE.violation(
            endpoint.location,
            f"Planned endpoint `{endpoint.method} {endpoint.path}` has no route in the code{where}",
            entity=(endpoint.key,),
            related=related,
        )


def _display(plan_path: str, served: str) -> str:
    """The served canonical path with the plan's parameter names put back (`{}` -> `{id}`)."""
    names = [s for s in plan_path.split("/") if s.startswith("{")]
    out = []
    for seg in served.split("/"):
        if seg == "{}" and names:
            out.append(names.pop(0))
        else:
            out.append(seg)
    return "/".join(out)


RULE = define(__doc__, Severity.WARNING, check)
