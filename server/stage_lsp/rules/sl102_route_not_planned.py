"""SL102 route-not-planned: a route handler serves an endpoint the API plan does not define.

## What it does
Reports a handler (an exported `GET`/`POST`/... in an Astro route file, a Next.js route handler, a
router registration) whose method and path match no endpoint of the API plan. The diagnostic sits on the
handler; its related location is the API plan.

Only checked when the project has an API plan from which endpoints could be read. A handler that answers
any method (an `ALL` export, an edge function with no method check) is one finding, and none when the
plan uses its path with some method. Not reported:
handlers that only answer 405 (not implementations); handlers whose every answer is a redirect (an OAuth
or e-mail link callback, a logout link: browser navigation, not API endpoints); an endpoint the project's
`auth-spec.md` names (`POST /api/auth/login`: planned there); a route wrapping, under the app's prefix,
an endpoint the plan says Supabase serves (`/auth/login` planned, `/api/auth/login` served). A handler
that serves a planned endpoint under another method (SL103) or at a path one segment apart (SL104) is
reported by those rules instead.

## Why is this bad?
An endpoint that is not in the plan was never reviewed as part of the contract: the front end, the
documentation and the stage report do not know about it, and it often bypasses the validation and
authorisation the plan's endpoints are required to have.

## Example
```ts
// src/pages/api/flashcards/export.ts
export const GET: APIRoute = async () => { ... };
```
while api-plan.md has no `GET /api/flashcards/export`.

## Fix
Add the endpoint to the plan, or remove the handler. The fix (unsafe) writes a `#### METHOD /path`
section after the planned endpoint whose path shares the longest prefix, with what the code tells: the
request fields, the success status, and each error status with its phrase and every error code the
handler answers it with (``- `400 Bad Request` — `VALIDATION_ERROR` ``); a `TODO(stage-lsp)` stands for
the description and the response body. No fix when the plan reader would not read such a heading (the
root path `/`).
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._amend_plan import add_endpoint_fix
from stage_lsp.rules._endpoints import match_endpoints
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    if not ctx.plan.has_api_plan or not ctx.plan.endpoints:
        return
    plan_file = ctx.plan.api_files[0]
    anchor = Location(plan_file, Range(0, 0, 0, 0))
    for route in match_endpoints(ctx).unplanned:
        if route.wildcard_method:  # one finding for a handler that answers any method
            yield RULE.violation(
                route.location,
                f"Route `{route.path}` (any method) is not in the API plan ({plan_file})",
                entity=("* " + route.key.split(" ", 1)[1],),
                related=[Related(anchor, "the API plan")],
            )
            continue
        yield RULE.violation(
            route.location,
            f"Route `{route.method} {route.path}` is not in the API plan ({plan_file})",
            entity=(route.key,),
            related=[Related(anchor, "the API plan")],
            fix=add_endpoint_fix(ctx, route),
        )


RULE = define(__doc__, Severity.WARNING, check)
