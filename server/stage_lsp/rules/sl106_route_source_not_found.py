"""SL106 route-source-not-found: the API plan has endpoints but the code has no route source stage-lsp reads.

## What it does
When the project has an API plan with endpoints and no route source of a supported framework is found
(Astro `src/pages/api`, Next.js route handlers or `pages/api`, Hono, Express, NestJS, FastAPI, Supabase
Edge Functions), this info diagnostic is shown once, at the top of the API plan, naming what the project
has instead (a Spring Boot or .NET back end, a React SPA, ...). Endpoint rules then stay silent instead
of reporting every planned endpoint as missing.

## Why is this bad?
It is not a defect of the project: it says that the endpoint, status and field checks cannot run here,
so their silence means "not checked", not "in agreement".

## Example
An `.ai/api-plan.md` beside a `pom.xml` and `src/main/java/...` controllers: one finding
"No supported route source found (found instead: a Java back end (pom.xml)); endpoints are not checked".

## Fix
Nothing to fix in the code. If the routes live somewhere stage-lsp does not look, set `framework` (and
`sources`) in `stage-lsp.toml`; otherwise ignore the rule (`ignore = ["SL106"]`).
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    if ctx.code.has_routes_source or not ctx.plan.has_api_plan or not ctx.plan.endpoints:
        return
    instead = ctx.code.found_instead
    if ctx.code.framework != "none":
        what = f"the project uses {ctx.code.framework} ({ctx.code.framework_reason}) but no route files were found"
    elif instead:
        what = "found instead: " + ", ".join(instead)
    else:
        what = f"{len(ctx.files.sources)} source files, none of them a route"
    yield RULE.violation(
        Location(ctx.plan.api_files[0], Range(0, 0, 0, 0)),
        f"No supported route source found ({what}); endpoints are not checked against the code",
        entity=("no-route-source",),
    )


RULE = define(__doc__, Severity.INFO, check)
