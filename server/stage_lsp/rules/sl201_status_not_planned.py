"""SL201 status-not-planned: a handler returns an HTTP status the plan does not list for its endpoint.

## What it does
For a planned endpoint whose plan section lists statuses, reports each status the handler produces that
is neither listed for that endpoint nor in the plan's API-wide error catalogue. The diagnostic sits on the
first place the status is produced; the related location is the plan's definition. One finding per status
and endpoint.

Not reported: endpoints whose plan lists no status at all (nothing to compare); a success status when
the plan lists only failure statuses for the endpoint (`Errors: 409`); a success status that replaces
the planned one (SL203 reports that once; a handler that never answers 2xx succeeds with its redirects);
and the generic failures every API has, which a per-endpoint list does not need to repeat: 500 (any
uncaught error), 401 (authentication), 400 and 422 for an endpoint that takes input, 404 for an endpoint
with a path parameter, 403 when the plan uses 403 anywhere, 304 for a GET (conditional requests are HTTP
caching), and every status of the plan's API-wide error catalogue.

## Why is this bad?
Clients handle the statuses the contract lists. An unlisted status (a 409 nobody planned, a 504 instead of
the planned 500) reaches the front end as an unexpected failure, and the stage workflow's allowed set of
statuses stops meaning anything.

## Example
```markdown
#### POST /api/generations
- `400 Bad Request` — `VALIDATION_ERROR`
- `402 Payment Required` — `quota_exceeded`
```
```ts
return errorResponse(504, "AI_TIMEOUT", "The AI service did not answer in time");
```

## Fix
Add the status to the endpoint's section in the plan, or map the error to a planned status. The fix
(unsafe) adds an error status, with the error code the handler answers it with, as a new line of the
endpoint's bullet list of statuses, written like the line above it; statuses in a table or inline get
no fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._contracts import contracts, implied_statuses
from stage_lsp.rules._field_fixes import add_plan_status
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    for contract in contracts(ctx):
        planned = {s.code for s in contract.endpoint.statuses}
        if not planned:
            continue
        implied = implied_statuses(ctx, contract.endpoint)
        drift = contract.success_drift()
        replaced = drift[1] if drift else set()
        success_unstated = not any(200 <= c < 300 for c in planned)
        for code, status in sorted(contract.produced.items()):
            if code in planned or code in implied or code in replaced:
                continue
            if success_unstated and code in contract.success_produced:
                continue  # the plan lists only failures: any success status is as planned
            listed = ", ".join(str(c) for c in sorted(planned))
            answered = next((c.code for c in contract.error_codes.values() if c.status == code), None)
            yield RULE.violation(
                status.location,
                f"`{contract.label}` returns {code}, which the plan does not list (planned: {listed})",
                entity=(contract.endpoint.key,),
                discriminator=str(code),
                related=[Related(contract.endpoint.location, "the planned endpoint")],
                fix=add_plan_status(contract.endpoint, code, answered),
            )


RULE = define(__doc__, Severity.WARNING, check)
