"""SL603 database-access-in-handler: a route handler queries the database itself instead of a service.

## What it does
Active only when the project's rules ask to "extract logic into services" (`astro.mdc`: services in
`src/lib/services`). Reports each Supabase query (`.from("table")`, `.rpc("fn")`) written in a route
handler's own body (Astro and Next.js API routes; Supabase Edge Functions and other backends are not
what the rule is about), quoting the rule's file and line. Queries in functions the handler calls are
where they belong and are not reported.

## Why is this bad?
Queries in handlers are duplicated across endpoints, untestable without HTTP, and drift from the
service layer the rest of the project uses: the next change fixes one copy and not the other.

## Example
```ts
export const GET: APIRoute = async ({ locals }) => {
  const { data } = await locals.supabase.from("flashcards").select("front, back");
```

## Fix
Move the query into a function in `src/lib/services` and call it from the handler.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules.base import define

APP_FRAMEWORKS = ("astro", "next-app", "next-pages")


def check(ctx: CheckContext) -> Iterator[Violation]:
    rule = ctx.plan.project_rule("services")
    if rule is None:
        return
    quoted = f"{rule.location.file}:{rule.location.range.line + 1}"
    seen: set[tuple[str, int, int]] = set()
    for route in ctx.code.routes:
        if route.framework not in APP_FRAMEWORKS:
            continue  # the rule is about the app's API routes, not edge functions or other backends
        for access in route.db_access:
            r = access.location.range
            if not access.in_handler or (access.location.file, r.line, r.col) in seen:
                continue
            seen.add((access.location.file, r.line, r.col))
            target = f'`.{access.kind}("{access.name}")`' if access.name else f"`.{access.kind}(...)`"
            yield RULE.violation(
                access.location,
                f"`{route.method} {route.path}` queries the database in the handler ({target}); the project "
                f"keeps database logic in services ({quoted})",
                entity=(route.key, access.kind, access.name or ""),
                related=[Related(rule.location, "the project's rule")],
            )


RULE = define(__doc__, Severity.WARNING, check)
