"""SL212 planned-error-code-not-returned: an error code the plan lists for an endpoint is never returned.

## What it does
For a planned endpoint served by a handler whose error codes are all known (every error body and error
helper call has a literal code, resolved through the project's helpers), reports each planned error code
the handler never returns, on the plan line that lists it. When the code's planned status is never
produced either, SL202 reports both in one finding and this rule stays silent. Codes stated once for a
whole section (`Errors: GROUP_LIMIT_REACHED, ...` under a resource heading) are not required of each of
its endpoints, nor codes the plan states as conditional (`409 MEMBER_IN_USE (optional guard ...)`,
`(if the business rule requires)`).

## Why is this bad?
A planned error code is a promise to clients (`quota_exceeded` -> upgrade dialog). If the handler never
returns it, the case is either unhandled or signalled differently, and the client's branch is dead code.

## Example
```markdown
- `500 Internal Server Error` — `AI_SERVICE_ERROR`
```
while the handler maps AI failures to `AI_TIMEOUT`.

## Fix
Return the planned code where the case is handled, or remove it from the plan.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._contracts import ALWAYS_POSSIBLE, contracts
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    for contract in contracts(ctx):
        if not contract.error_codes_complete:
            continue
        returned = contract.error_codes
        produced_statuses = contract.produced
        seen: set[str] = set()
        for planned in contract.endpoint.error_codes:
            if planned.code in returned or planned.code in seen or planned.shared or planned.optional:
                continue  # a code stated for a whole section, or as conditional, need not be returned
            seen.add(planned.code)
            status = planned.status
            folded = (
                contract.statuses_complete
                and status is not None
                and status not in produced_statuses
                and status not in ALWAYS_POSSIBLE
                and not any(s.code == status and s.optional for s in contract.endpoint.statuses)
            )
            if folded:
                continue  # SL202 names this code with its never-returned status
            yield RULE.violation(
                planned.location,
                f"`{contract.label}` plans error code `{planned.code}`, which the handler never returns",
                entity=(contract.endpoint.key,),
                discriminator=planned.code,
                related=[Related(contract.routes[0].location, "the handler")],
            )


RULE = define(__doc__, Severity.WARNING, check)
