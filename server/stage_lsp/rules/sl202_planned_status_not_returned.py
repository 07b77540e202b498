"""SL202 planned-status-not-returned: a status the plan lists for an endpoint is never produced.

## What it does
For a planned endpoint served by a handler whose statuses are all known (every response's status is a
literal or resolved through the project's helpers, constants and error classes), reports each planned
status the handler never produces. The diagnostic sits on the plan line that lists the status; the related
location is the handler. When the plan ties error codes to that status (`403 Forbidden — NOT_OWNER`), they
are named in the same finding rather than reported again by SL212.

Statuses the project's middleware answers (Astro or Next.js `middleware.ts`, FastAPI exception handlers and
middleware, FastAPI's own 422) count as produced for every route.

Not reported: when any status of the handler is unresolved (then it may well be produced); `500` (any
handler can answer it through an uncaught exception); a planned success status replaced by another one
(SL203 reports that once); a planned success status when another planned success status is produced
(success statuses written side by side are alternatives: "201 Created or 200 OK"); a status stated once
for a whole section ("Errors: 404, 409" under a resource heading), which need not apply to each of its
endpoints; a status the plan states as conditional ("409 (optional guard when ...)", "(if the business
rule requires)").

## Why is this bad?
The plan promises clients a status (a 404 for a missing item, a 409 for a conflict) that they will never
see: either the case is not handled, or it is handled with another status. Both are contract drift.

## Example
```markdown
#### GET /api/flashcards/{id}
- `403 Forbidden` — `NOT_OWNER`
```
while the handler only answers 200, 401 and 404.

## Fix
Handle the case and return the planned status, or remove it from the plan. When the status is a list item
of its own (`- `403 Forbidden` — `NOT_OWNER``, with its description and nested lines, and nothing else the
plan defines), the fix (unsafe) removes that item from the plan, its error codes with it.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Applicability, Fix, Related, Severity, TextEdit, Violation
from stage_lsp.rules._contracts import ALWAYS_POSSIBLE, contracts, middleware
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    around = middleware(ctx)
    for contract in contracts(ctx):
        if not contract.statuses_complete:
            continue
        produced = {**{c: None for c in around}, **contract.produced}
        drift = contract.success_drift()
        replaced = drift[0] if drift else set()
        success_served = any(200 <= c < 300 for c in contract.produced)
        seen: set[int] = set()
        for status in contract.endpoint.statuses:
            code = status.code
            if (
                code in produced
                or code in ALWAYS_POSSIBLE
                or code in replaced
                or code in seen
                or status.shared
                or status.optional
            ):
                continue
            if 200 <= code < 300 and success_served:
                continue  # planned success statuses are alternatives ("201 or 200")
            seen.add(code)
            codes = sorted({c.code for c in contract.endpoint.error_codes if c.status == code})
            named = f" ({', '.join(f'`{c}`' for c in codes)})" if codes else ""
            handler = contract.routes[0]
            fix = (
                Fix(
                    f"Remove {code} from the plan of `{contract.label}`",
                    Applicability.UNSAFE,
                    (TextEdit(status.removal, ""),),
                )
                if status.removal is not None
                else None
            )
            yield RULE.violation(
                status.location,
                f"`{contract.label}` plans {code}{named}, which the handler never returns",
                entity=(contract.endpoint.key,),
                discriminator=str(code),
                related=[Related(handler.location, "the handler")],
                fix=fix,
            )


RULE = define(__doc__, Severity.WARNING, check)
