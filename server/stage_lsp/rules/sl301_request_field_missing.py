"""SL301 request-field-missing: a planned request field is not accepted by the handler.

## What it does
Reports a field of an endpoint's planned request body that the handler's validation schema (or typed
command, or body destructuring) does not accept, on the plan line of the field. A close name the handler
accepts instead is reported as a rename (SL303).

Compared only when the plan gives the endpoint's request fields and every source of the handler's request
fields was resolved (a zod schema, a typed command, an object literal or a DTO type, following imports);
otherwise nothing is reported. Names are compared exactly: they are the JSON contract.

## Why is this bad?
Clients built from the plan send the field; a strict schema rejects the request, a lenient one drops the
value silently.

## Example
```markdown
{ "front": "string", "back": "string", "deck_id": "uuid" }
```
with `z.object({ front: z.string(), back: z.string() })`.

## Fix
Accept the field in the schema, or remove it from the plan. The fix (unsafe: requests without the field
start failing validation) appends the field to the zod object or the request type, typed from the
plan's hint (`uuid` -> `z.string().uuid()`), when the fields come from one such object. No fix when
another endpoint validated by the same schema plans its request without the field.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules._fields import field_findings
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    yield from field_findings(ctx, RULE, "request", "missing")


RULE = define(__doc__, Severity.WARNING, check)
