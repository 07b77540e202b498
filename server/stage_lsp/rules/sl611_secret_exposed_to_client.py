"""SL611 secret-exposed-to-client: a secret is read where the browser can see it.

## What it does
Reports a secret environment variable that reaches client-side code: any variable with a public prefix
(`PUBLIC_`, `NEXT_PUBLIC_`, `VITE_`, `EXPO_PUBLIC_`, `REACT_APP_`) whose name says it is a secret
(`SERVICE_ROLE`, `SECRET`, `PRIVATE`, `PASSWORD`), anywhere; and a secret variable (`SERVICE_ROLE`,
`SECRET_KEY`, `PRIVATE_KEY`) read in client-side code (components, `.tsx`/`.jsx`/`.vue`/`.svelte`
files outside API routes, files starting with `"use client"`). Test and mock files are skipped.

## Why is this bad?
Public variables are inlined into the JavaScript bundle every visitor downloads. A Supabase service-role
key there bypasses row-level security for anyone who opens the browser's developer tools.

## Example
```tsx
const admin = createClient(import.meta.env.PUBLIC_SUPABASE_URL, import.meta.env.PUBLIC_SUPABASE_SERVICE_ROLE_KEY);
```

## Fix
Keep the key server-side (an API route or edge function that uses it), rename the variable without the
public prefix, and rotate the key if it was ever deployed.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    allowed = set(ctx.settings.secrets_allow)
    for secret in ctx.code.secrets:
        if secret.exposure != "client-env" or secret.ident in allowed:
            continue
        yield RULE.violation(
            secret.location,
            f"{secret.description[0].upper()}{secret.description[1:]} is exposed to the browser",
            entity=(secret.location.file, secret.ident),
        )


RULE = define(__doc__, Severity.ERROR, check)
