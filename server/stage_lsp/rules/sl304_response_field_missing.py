"""SL304 response-field-missing: a planned response field is not returned by the handler.

## What it does
Reports a field of an endpoint's planned response body that the handler's response (an object literal
passed to the response helper, or the DTO type it returns) does not contain, on the plan line of the
field. A close name returned instead is reported as a rename (SL306).

Compared only when the plan gives the endpoint's response fields and every source of the handler's response
fields was resolved (a zod schema, a typed command, an object literal or a DTO type, following imports);
otherwise nothing is reported. Names are compared exactly: they are the JSON contract.

## Why is this bad?
The front end reads the planned field and gets `undefined`.

## Example
```markdown
{ "id": "uuid", "status": "completed", "accepted_count": 3 }
```
while the DTO has no `accepted_count`.

## Fix
Return the field, or remove it from the plan. When every success body is one declared type (a DTO
interface or object type), the fix (unsafe) appends the field to it, typed from the plan's hint. No fix
when another endpoint returning the same type plans its response without the field.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules._fields import field_findings
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    yield from field_findings(ctx, RULE, "response", "missing")


RULE = define(__doc__, Severity.WARNING, check)
