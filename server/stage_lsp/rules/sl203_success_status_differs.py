"""SL203 success-status-differs: the handler answers success with another status than planned.

## What it does
When the plan lists the success status of an endpoint (`201 Created`) and the handler's success statuses
are all known and none of them is a planned one (it answers `200`), reports it once on the handler's
success response, naming both. This replaces a "200 not planned" (SL201) plus a "201 never returned"
(SL202). Alternatives written in the plan ("201 or 200") count as planned. A handler that never
answers 2xx succeeds with its redirects: a logout planned as `204` that redirects home (`302`) is one
finding here.

## Why is this bad?
Clients and tests check the success status (`201` after a create, `204` after a delete). A helper's
default (`jsonResponse(data)` answering 200) silently breaks that.

## Example
```markdown
#### POST /api/decks
**Response (201 Created):**
```
```ts
return jsonResponse(deck); // jsonResponse(data, status = 200)
```

## Fix
Return the planned status (`jsonResponse(deck, 201)`), or change the plan.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._contracts import contracts
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    for contract in contracts(ctx):
        drift = contract.success_drift()
        if drift is None:
            continue
        planned, produced = drift
        first = min((contract.produced[c] for c in produced), key=lambda s: s.location)
        planned_text = " or ".join(str(c) for c in sorted(planned))
        produced_text = " and ".join(str(c) for c in sorted(produced))
        plan_status = next(s for s in contract.endpoint.statuses if s.code in planned)
        yield RULE.violation(
            first.location,
            f"`{contract.label}` answers {produced_text} on success; the plan says {planned_text}",
            entity=(contract.endpoint.key,),
            discriminator=f"{sorted(planned)}->{sorted(produced)}",
            related=[Related(plan_status.location, f"planned {planned_text}")],
        )


RULE = define(__doc__, Severity.WARNING, check)
