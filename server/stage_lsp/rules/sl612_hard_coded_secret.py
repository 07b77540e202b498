"""SL612 hard-coded-secret: a key, token or password is written in a source file, migration or plan.

## What it does
Reports values that are unmistakably secrets: API keys of known formats (OpenAI, OpenRouter, Anthropic,
Stripe, GitHub, AWS, Google, Slack, Supabase secret keys), private keys, JSON Web Tokens that are not
Supabase anon keys, passwords in database URLs, and, in code, long random values assigned to names such as
`API_KEY`, `SECRET` or `PASSWORD`. The message describes the secret and gives a short id; it never repeats
the value. Known public values are allowed: Supabase anon keys, the local Supabase demo keys,
`postgres:postgres@localhost`, placeholders (`your-key-here`, `xxx`, `<token>`, `eyJ...`). Test and mock
files are skipped. Allow a specific value with its id in `secrets-allow`.

## Why is this bad?
Anything committed is readable by everyone with access to the repository, forever (history included), and
plans are often pasted into chats and issues. A leaked key is abused within hours of a public push.

## Example
```ts
export const OPENROUTER_API_KEY = "sk-or-v1-...";
```

## Fix
Move the value to an environment variable (`import.meta.env.OPENROUTER_API_KEY`), rotate the key, and
remove it from the history if the repository is public.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    allowed = set(ctx.settings.secrets_allow)
    for secret in ctx.code.secrets:
        if secret.exposure != "hard-coded" or secret.ident in allowed:
            continue
        yield RULE.violation(
            secret.location,
            f"{secret.description[0].upper()}{secret.description[1:]} is hard-coded (id {secret.ident}); "
            "move it to an environment variable and rotate it",
            entity=(secret.location.file, secret.ident),
        )


RULE = define(__doc__, Severity.ERROR, check)
