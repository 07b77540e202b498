"""SL306 response-field-renamed: a response field is returned under another name than planned.

## What it does
Pairs a planned response field the handler does not return with a close name it returns instead (case
style, typo, or a change of meaning such as `isVisible` / `isHidden`). One finding on the returned field,
with the planned field as related.

Compared only when the plan gives the endpoint's response fields and every source of the handler's response
fields was resolved (a zod schema, a typed command, an object literal or a DTO type, following imports);
otherwise nothing is reported. Names are compared exactly: they are the JSON contract.

## Why is this bad?
Clients read the planned key; a renamed key is `undefined` for them.

## Example
```markdown
{ "generation_id": "uuid", "generated_count": 5 }
```
```ts
return jsonResponse({ generationId: id, generated_count: n }, 201);
```

## Fix
Rename the returned field to the planned name (the fix, unsafe: where the key is written in an object
literal or a DTO type), or rename it in the plan (the alternative fix). The code rename is not offered
when another endpoint returning the same object plans the current name; renaming in the plan still is.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules._fields import field_findings
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    yield from field_findings(ctx, RULE, "response", "renamed")


RULE = define(__doc__, Severity.WARNING, check)
