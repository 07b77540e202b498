"""SL204 status-not-allowed: a status outside the project's `allowed-statuses`.

## What it does
Active only when `allowed-statuses` is set in the configuration (the stage workflow's set is
`[200, 201, 400, 401, 404, 409, 422, 500]`, optionally `402`). Reports every status a handler produces, and
every status the plan lists, that is not in that set: on the code where it is produced, and on the plan
line where it is listed. One finding per status and endpoint (or route) on each side.

## Why is this bad?
A project that agrees on a small set of statuses (and the error-code envelope that goes with them) keeps
clients simple. A stray 403 or 504 needs its own handling everywhere.

## Example
With `allowed-statuses = [200, 201, 400, 401, 404, 409, 422, 500]`:
```ts
return new Response(null, { status: 403 });
```

## Fix
Map the case to an allowed status, or add the status to `allowed-statuses` if the project really uses it.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    allowed = ctx.settings.allowed_statuses
    if allowed is None:
        return
    allowed_set = set(allowed)
    shown = ", ".join(str(s) for s in sorted(allowed_set))
    for route in ctx.code.routes:
        if route.stub_405:
            continue
        seen: set[int] = set()
        for status in sorted(route.statuses, key=lambda s: s.location):
            if status.code in allowed_set or status.code in seen:
                continue
            seen.add(status.code)
            yield RULE.violation(
                status.location,
                f"`{route.method} {route.path}` returns {status.code}, which is not in `allowed-statuses` ({shown})",
                entity=(route.key,),
                discriminator=f"code:{status.code}",
            )
    for endpoint in ctx.plan.endpoints:
        if endpoint.external:
            continue
        listed: set[int] = set()
        for planned in endpoint.statuses:
            if planned.code in allowed_set or planned.code in listed:
                continue
            listed.add(planned.code)
            yield RULE.violation(
                planned.location,
                f"The plan gives `{endpoint.method} {endpoint.path}` status {planned.code}, which is not in "
                f"`allowed-statuses` ({shown})",
                entity=(endpoint.key,),
                discriminator=f"plan:{planned.code}",
            )


RULE = define(__doc__, Severity.WARNING, check)
