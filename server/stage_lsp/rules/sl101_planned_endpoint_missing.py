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
Implement the handler, or remove the endpoint from the plan, mark it optional, or move it to a later
stage in the stage plan. In an Astro or Next.js (app router) project the fix (unsafe) scaffolds it, in
the folder the project's routes live in (`src/pages/api/...`, `app/api/.../route.ts` or `src/app/...`,
an app in a subfolder too): a new route file with every missing method of that path (`prerender` as the project's rules say, a zod schema of the planned request
fields, the planned statuses and error codes as the responses it answers, a `TODO(stage-lsp)` where a
decision is needed), or, when a file already serves the path under another method, the missing handler
added after that file's last handler. An added handler brings its own `json` helper and imports zod
where it validates the body (the file may not import it; a TODO says to move it to the top).
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.code.routes import expected_route_file, route_prefix
from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Applicability, CreateFile, Fix, Related, Severity, TextEdit, Violation
from stage_lsp.plan.model import PlanEndpoint
from stage_lsp.rules._endpoints import match_endpoints
from stage_lsp.rules._scaffold_route import handler, route_file
from stage_lsp.rules.base import define

_SCAFFOLDED = ("astro", "next-app")  # file-system routers whose handlers the fix writes


def _fix(
    ctx: CheckContext, endpoint: PlanEndpoint, target: str, siblings: list[PlanEndpoint], next_style: bool
) -> Fix | None:
    """Create the route file with every missing endpoint of that path, or add the method to the file."""
    existing = [r for r in ctx.code.routes if r.location.file == target]
    if target not in ctx.files.sources:
        content = route_file(ctx, siblings, next_style)
        return Fix(
            f"Create {target} with {', '.join(e.method for e in siblings)}",
            Applicability.UNSAFE,
            (CreateFile(target, content),),
        )
    ends = [r.handler_range.range for r in existing if r.handler_range is not None]
    if not ends or not target.endswith((".ts", ".mts", ".cts")):
        return None  # the handler is written in TypeScript: not into a JavaScript or JSX file
    # after the line where the last handler ends (its `;` included): the start of the next line
    after = max(ends, key=lambda r: (r.end_line, r.end_col)).end_line + 1
    at_end = Location(target, Range(after, 0, after, 0))
    text = "\n" + handler(ctx, endpoint, next_style, standalone=True)
    return Fix(
        f"Add a {endpoint.method} handler to {target}", Applicability.UNSAFE, (TextEdit(at_end, text),)
    )


def check(ctx: CheckContext) -> Iterator[Violation]:
    if not ctx.code.has_routes_source:
        return
    match = match_endpoints(ctx)
    framework = ctx.code.framework
    prefix = route_prefix(framework, ctx.code.route_files, ctx.files.sources)
    for endpoint in match.missing:
        served = match.served_path.get(endpoint.key, endpoint.path)
        related = []
        fix = None
        target = (
            _serving_file(ctx, served)
            or expected_route_file(framework, _display(endpoint.path, served), prefix)
            if served.startswith("/api/") and framework in _SCAFFOLDED
            else None
        )
        if target is not None:
            related.append(Related(Location(target, Range(0, 0, 0, 0)), "the handler would live here"))
            siblings = [e for e in match.missing if match.served_path.get(e.key) == served]
            fix = _fix(ctx, endpoint, target, siblings, framework == "next-app")
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
            fix=fix,
        )


def _serving_file(ctx: CheckContext, served: str) -> str | None:
    """The route file that already serves the path under another method: the method is added there
    (in Astro, `decks.ts` next to an existing `decks/index.ts` would be a second file for one route)."""
    files = {r.location.file for r in ctx.code.routes if r.key.split(" ", 1)[-1] == served and not r.stub_405}
    return files.pop() if len(files) == 1 else None


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
