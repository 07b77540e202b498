"""SL211 error-code-not-planned: a handler returns an application error code the plan does not define.

## What it does
For a planned endpoint, reports each application error code the handler returns (the `code` of the error
body, or the code argument of the project's error helper: `errorResponse(504, "AI_TIMEOUT", ...)`) that the
plan's error-code vocabulary does not have: no endpoint lists it and the API-wide catalogue does not name
it. Only when the plan uses error codes at all; codes returned with 500 (internal failures) are not
reported. On the code, with the plan's definition as related.

## Why is this bad?
Front ends branch on error codes (`quota_exceeded` shows an upgrade dialog). A code the plan never
defined is handled by nobody, and the plan's catalogue stops being the reference.

## Example
```markdown
- `402 Payment Required` — `quota_exceeded`
- `500 Internal Server Error` — `AI_SERVICE_ERROR`
```
```ts
return errorResponse(504, "AI_TIMEOUT", "The AI service did not answer in time");
```

## Fix
Add the code to the endpoint's errors in the plan, or return a planned code. The fix (unsafe) adds the
status with the code as a new line of the endpoint's bullet list of statuses, written like the line above
it (a `409 Conflict` line naming `DECK_LIMIT`), also when the status is already listed with another code;
statuses in a table or inline get no fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._contracts import ALWAYS_POSSIBLE, contracts, plan_codes
from stage_lsp.rules._field_fixes import add_plan_status
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    vocabulary = plan_codes(ctx)
    if not vocabulary:
        return  # the plan does not use application error codes
    known_ci = {c.lower() for c in vocabulary}
    for contract in contracts(ctx):
        endpoint = contract.endpoint
        for code, found in sorted(contract.error_codes.items()):
            if code in vocabulary or found.status in ALWAYS_POSSIBLE:
                continue
            hint = " (it differs from a planned code only in letter case)" if code.lower() in known_ci else ""
            yield RULE.violation(
                found.location,
                f"`{contract.label}` returns error code `{code}`, which the plan does not define{hint}",
                entity=(endpoint.key,),
                discriminator=code,
                related=[Related(endpoint.location, "the planned endpoint")],
                fix=(
                    add_plan_status(endpoint, found.status, code, for_code=True)
                    if found.status is not None
                    else None
                ),
            )


RULE = define(__doc__, Severity.WARNING, check)
