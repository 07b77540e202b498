"""SL303 request-field-renamed: a request field is accepted under another name than planned.

## What it does
Pairs a planned request field the handler does not accept with a field it accepts instead whose name is
close: the same words in another case style (`deck_id` / `deckId`), a small typo, or a change of meaning
(`isVisible` / `isHidden`, reported as a change rather than a typo). One finding on the schema field,
with the planned field as related.

Compared only when the plan gives the endpoint's request fields and every source of the handler's request
fields was resolved (a zod schema, a typed command, an object literal or a DTO type, following imports);
otherwise nothing is reported. Names are compared exactly: they are the JSON contract.

## Why is this bad?
The JSON keys are the API contract. A client following the plan sends `deck_id`; a schema expecting
`deckId` rejects it or, if the field is optional, silently ignores it.

## Example
```markdown
{ "front": "string", "back": "string", "deck_id": "uuid" }
```
```ts
export const createFlashcardSchema = z.object({ front: z.string(), back: z.string(), deckId: z.string().uuid() });
```

## Fix
Rename the schema field to the planned name (the fix, unsafe: code reading the old name must follow;
its quotes are kept, and a shorthand `{ deckId }` becomes `deck_id: deckId`), or rename the field in the
plan (the alternative fix). The code rename is not offered when another endpoint validated by the same
schema plans the current name; renaming in the plan still is.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules._fields import field_findings
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    yield from field_findings(ctx, RULE, "request", "renamed")


RULE = define(__doc__, Severity.WARNING, check)
