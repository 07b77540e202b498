"""SL302 request-field-not-planned: the handler accepts a request field the plan does not define.

## What it does
Reports a field the handler's request schema accepts that the endpoint's planned body does not have, on
the schema field. Not reported when the plan's example body elides fields (`...`).

Compared only when the plan gives the endpoint's request fields and every source of the handler's request
fields was resolved (a zod schema, a typed command, an object literal or a DTO type, following imports);
otherwise nothing is reported. Names are compared exactly: they are the JSON contract.

## Why is this bad?
An unplanned input is an unreviewed part of the contract: clients do not know it exists, and it often
writes a column nobody meant to expose.

## Example
```ts
z.object({ front: z.string(), back: z.string(), user_id: z.string() })
```
while the plan body has only `front` and `back`.

## Fix
Add the field to the plan, or drop it from the schema. The fix (unsafe) amends the plan: it appends
the field to the endpoint's request body (JSON by example or a TypeScript-ish object) with a
`TODO(stage-lsp)` type, when the plan shows one such body.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules._fields import field_findings
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    yield from field_findings(ctx, RULE, "request", "extra")


RULE = define(__doc__, Severity.WARNING, check)
