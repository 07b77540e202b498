"""SL602 supabase-client-not-from-locals: a route handler creates its own Supabase client.

## What it does
Active only when the project's rules ask handlers to "use supabase from context.locals" (`backend.mdc`).
Reports each place a route handler uses a Supabase client other than `locals.supabase` that does not
carry the request's session: a shared, module-level client (an imported `supabaseClient`, a
`createClient(...)` at the top of a module), and above all a client made with the service-role key. A
client created inside the handler for this request (the cookie-bound server client Supabase's SSR auth
uses in login and logout routes) is not reported. On the client's creation or use, quoting the rule's file
and line.

## Why is this bad?
`locals.supabase` is created per request by the middleware with the user's session, so row-level security
applies to the user. A shared or newly created client runs without that session (queries return nothing,
or leak across users), and a service-role client bypasses row-level security entirely.

## Example
```ts
import { supabaseClient } from "../../db/supabase.client";
export const GET: APIRoute = async () => { const { data } = await supabaseClient.from("decks").select(); ... };
```

## Fix
Use `context.locals.supabase`; keep service-role work in a server-only service that checks authorisation
itself.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules.base import define

WHAT = {"created": "uses a shared Supabase client", "service-role": "uses a service-role Supabase client"}


def check(ctx: CheckContext) -> Iterator[Violation]:
    rule = ctx.plan.project_rule("locals-supabase")
    if rule is None:
        return
    quoted = f"{rule.location.file}:{rule.location.range.line + 1}"
    seen: set[tuple[str, int, int, str]] = set()
    for route in ctx.code.routes:
        for client in route.clients:
            if client.kind == "locals" or (client.kind == "created" and not client.shared):
                continue  # a client created in the handler for this request carries its session
            r = client.location.range
            key = (client.location.file, r.line, r.col, client.kind)
            if key in seen:
                continue
            seen.add(key)
            yield RULE.violation(
                client.location,
                f"`{route.method} {route.path}` {WHAT.get(client.kind, 'uses another Supabase client')} instead "
                f"of `locals.supabase` ({quoted})",
                entity=(route.key, client.kind, client.location.file),
                related=[Related(rule.location, "the project's rule")],
            )


RULE = define(__doc__, Severity.WARNING, check)
