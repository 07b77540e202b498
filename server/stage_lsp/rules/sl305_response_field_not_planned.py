"""SL305 response-field-not-planned: the handler returns a response field the plan does not define.

## What it does
Reports a field the handler's response contains that the endpoint's planned response body does not have,
on the field. Not reported when the plan's example body elides fields (`...`).

Compared only when the plan gives the endpoint's response fields and every source of the handler's response
fields was resolved (a zod schema, a typed command, an object literal or a DTO type, following imports);
otherwise nothing is reported. Names are compared exactly: they are the JSON contract.

## Why is this bad?
Unplanned output leaks data the contract never promised (internal ids, user ids), and clients start to
depend on it.

## Example
```ts
return jsonResponse({ id, front, back, user_id });
```
while the plan returns `id`, `front` and `back`.

## Fix
Add the field to the plan if it is meant to be public (the fix, unsafe, appends it to the endpoint's
response body with a `TODO(stage-lsp)` type), or stop returning it.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules._fields import field_findings
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    yield from field_findings(ctx, RULE, "response", "extra")


RULE = define(__doc__, Severity.INFO, check)
