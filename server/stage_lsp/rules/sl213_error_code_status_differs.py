"""SL213 error-code-status-differs: one error code returned with another status than planned.

## What it does
When the plan ties an error code to a status (`404 Not Found — DECK_NOT_FOUND`) and the handler returns
that code with a different status (`errorResponse(400, "DECK_NOT_FOUND", ...)`), reports it on the code.
Also when one handler returns the same code with two different statuses.

## Why is this bad?
Clients decide on the status first (retry, sign in again, show "not found") and on the code second. A code
that travels with two statuses is handled inconsistently.

## Example
```markdown
- `404 Not Found` — `DECK_NOT_FOUND`
```
```ts
return errorResponse(400, "DECK_NOT_FOUND", "Deck not found");
```

## Fix
Return the code with its planned status, or fix the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from stage_lsp.code.model import CodeErrorCode
from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._contracts import contracts
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    for contract in contracts(ctx):
        planned: dict[str, set[int]] = defaultdict(set)
        plan_loc: dict[str, Location] = {}
        for p in contract.endpoint.error_codes:
            if p.status is not None:
                planned[p.code].add(p.status)
                plan_loc.setdefault(p.code, p.location)
        returned: dict[str, list[CodeErrorCode]] = defaultdict(list)
        for route in contract.routes:
            for c in route.error_codes:
                if c.status is not None:
                    returned[c.code].append(c)
        for code, uses in sorted(returned.items()):
            statuses = sorted({u.status for u in uses if u.status is not None})
            if code in planned:
                for use in sorted(uses, key=lambda u: u.location):
                    if use.status is not None and use.status not in planned[code]:
                        want = " or ".join(str(s) for s in sorted(planned[code]))
                        yield RULE.violation(
                            use.location,
                            f"`{contract.label}` returns `{code}` with {use.status}; the plan says {want}",
                            entity=(contract.endpoint.key,),
                            discriminator=f"{code}:{use.status}",
                            related=[Related(plan_loc[code], "planned here")],
                        )
            elif len(statuses) > 1:
                first = min(uses, key=lambda u: u.location)
                later = [u for u in uses if u.status != first.status]
                yield RULE.violation(
                    min(later, key=lambda u: u.location).location,
                    f"`{contract.label}` returns `{code}` with {' and '.join(map(str, statuses))}",
                    entity=(contract.endpoint.key,),
                    discriminator=f"{code}:{statuses}",
                    related=[Related(first.location, f"returned with {first.status} here")],
                )


RULE = define(__doc__, Severity.WARNING, check)
