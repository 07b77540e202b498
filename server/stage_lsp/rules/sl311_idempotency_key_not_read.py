"""SL311 idempotency-key-not-read: the plan requires an `Idempotency-Key` header the handler never reads.

## What it does
When the plan says an endpoint honours an `Idempotency-Key` header (the stage workflow asks for it on
non-repeatable writes such as payments or AI generations) and every header access of the handler is known,
reports the handler if it never reads that header (case-insensitively). The related location is the plan
line that states the requirement.

## Why is this bad?
Without the key, a client retry after a timeout performs the write twice: two charges, two generations
billed to the user's quota.

## Example
```markdown
The client must send an `Idempotency-Key` header; a repeated key returns the first result.
```
while the handler never calls `request.headers.get("Idempotency-Key")`.

## Fix
Read the header, store the key with the result, and answer a repeated key with the stored result; or
drop the requirement from the plan.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._contracts import contracts
from stage_lsp.rules.base import define

HEADER = "idempotency-key"


def check(ctx: CheckContext) -> Iterator[Violation]:
    for contract in contracts(ctx):
        required = contract.endpoint.idempotency_key
        if required is None:
            continue
        if not all(r.headers_complete for r in contract.routes):
            continue
        if any(h.name.lower() == HEADER for r in contract.routes for h in r.headers_read):
            continue
        yield RULE.violation(
            contract.routes[0].location,
            f"`{contract.label}` must honour the `Idempotency-Key` header (planned); the handler never reads it",
            entity=(contract.endpoint.key,),
            related=[Related(required, "the plan requires it here")],
        )


RULE = define(__doc__, Severity.WARNING, check)
