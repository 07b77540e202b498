"""SL313 body-not-validated: a planned request body is read without validation.

## What it does
For a planned endpoint that takes a request body (POST, PUT or PATCH with planned request fields), reports
the handler when it reads the body (`await request.json()`, `formData()`) and no validation of it is found
(a zod `parse`/`safeParse` of the body, directly or through an imported schema or helper). Only when the
reader is sure: a body handed to an unresolved function counts as unknown, not as unvalidated.

## Why is this bad?
The stage workflow requires field validation per the contract. An unvalidated body lets wrong types,
missing fields and oversized strings through to the database, where they fail late or, worse, do not.

## Example
```ts
export const POST: APIRoute = async ({ request, locals }) => {
  const body = await request.json();
  await createDeck(locals.supabase, body.name);
```

## Fix
Validate the body with a zod schema built from the planned fields (the language server can scaffold it).
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules._contracts import contracts
from stage_lsp.rules.base import define

BODY_METHODS = ("POST", "PUT", "PATCH")


def check(ctx: CheckContext) -> Iterator[Violation]:
    for contract in contracts(ctx):
        endpoint = contract.endpoint
        if endpoint.method not in BODY_METHODS or not endpoint.request_fields:
            continue
        for route in contract.routes:
            if route.reads_body and route.validates_body is False:
                yield RULE.violation(
                    route.location,
                    f"`{contract.label}` reads the request body without validating it",
                    entity=(endpoint.key,),
                    related=[Related(endpoint.location, "the planned request body")],
                )


RULE = define(__doc__, Severity.WARNING, check)
