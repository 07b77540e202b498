"""SL103 method-differs: a planned endpoint is served, but under another HTTP method.

## What it does
When the plan defines `PUT /api/flashcards/{id}` and the code serves `PATCH /api/flashcards/{id}` (and no
other planned or served method of that path is left unmatched), this is one finding on the handler naming
both methods, instead of a missing endpoint (SL101) plus an unplanned route (SL102). The related location
is the plan's definition. Only write methods that stand in for each other are paired (`PUT`, `PATCH`,
`POST`): a missing `GET` next to an unplanned `POST` are two different endpoints.

## Why is this bad?
Clients written from the plan call the planned method and get 405 or 404. `PUT` and `PATCH` also promise
different semantics (replace vs partial update): the difference is a contract decision, not a detail.

## Example
```markdown
#### PUT /api/flashcards/{id}
```
```ts
// src/pages/api/flashcards/[id].ts
export const PATCH: APIRoute = async ({ params, request }) => { ... };
```

## Fix
Rename the export to the planned method, or change the plan to the method the code serves (the language
server offers both).
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._endpoints import match_endpoints
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    for endpoint, route in match_endpoints(ctx).method_drift:
        yield RULE.violation(
            route.location,
            f"Route serves `{route.method} {route.path}`, but the plan defines `{endpoint.method} {endpoint.path}`",
            entity=(endpoint.key, route.key),
            related=[Related(endpoint.location, f"planned as `{endpoint.method}` here")],
        )


RULE = define(__doc__, Severity.WARNING, check)
