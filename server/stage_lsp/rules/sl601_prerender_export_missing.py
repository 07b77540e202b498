"""SL601 prerender-export-missing: an Astro API route lacks `export const prerender = false` the project requires.

## What it does
Active only when the project's rules files ask for it ("Use `export const prerender = false` for API
routes", in `astro.mdc` or `backend.mdc`) and the site is not server-only (`output: "server"` in
`astro.config.*` makes every route on-demand, so the export is redundant). Reports each Astro API route
file that does not export `prerender = false`, on its first line, quoting the rule's file and line.

## Why is this bad?
In a static or hybrid Astro site, a route without the export is prerendered at build time: `GET` answers
a frozen response for every request, and `POST`/`PUT`/`DELETE` do not exist in production at all. It
works in `astro dev` and fails after deployment.

## Example
```ts
// src/pages/api/generations/index.ts, in a site with output: "static"
export const POST: APIRoute = async ({ request }) => { ... };
```

## Fix
Add `export const prerender = false;` (a safe fix), or switch the site to `output: "server"`.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Applicability, Fix, Related, Severity, TextEdit, Violation
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    rule = ctx.plan.project_rule("prerender")
    if rule is None or ctx.code.astro_output in (None, "server"):
        return
    quoted = f"{rule.location.file}:{rule.location.range.line + 1}"
    first_handler: dict[str, int] = {}
    for route in ctx.code.routes:
        line = route.location.range.line
        first_handler[route.location.file] = min(line, first_handler.get(route.location.file, line))
    for rel, value in ctx.code.prerender_exports:
        if value == "false" or rel not in first_handler:
            continue
        at = Location(rel, Range(first_handler[rel], 0, first_handler[rel], 0))
        fix = Fix(
            "Add `export const prerender = false`",
            Applicability.SAFE,
            (TextEdit(at, "export const prerender = false;\n\n"),),
        )
        what = (
            "exports `prerender` with another value"
            if value is not None
            else "does not export `prerender = false`"
        )
        yield RULE.violation(
            Location(rel, Range(0, 0, 0, 0)),
            f"API route {what}; the project requires it ({quoted})",
            entity=(rel,),
            related=[Related(rule.location, "the project's rule")],
            fix=fix if value is None else None,
        )


RULE = define(__doc__, Severity.WARNING, check)
