"""SL901 unused-suppression: a `stage-lsp: ignore[...]` comment suppresses nothing.

## What it does
Reports a suppression comment (`// stage-lsp: ignore[SL102] ...`, `<!-- stage-lsp: ignore[SL101] -->`,
`-- stage-lsp: ignore[SL501]`, or `ignore-file[...]`) that matched no finding in this check. Suppressions
whose codes are all unselected are not reported. The finding itself is produced by the engine after every
other rule has run; this module documents it.

## Why is this bad?
A stale suppression hides the next real finding on that line, and tells readers that a drift exists where
it no longer does.

## Example
```ts
// stage-lsp: ignore[SL102] temporary endpoint for the demo
export const GET: APIRoute = ...   // now planned: nothing is suppressed
```

## Fix
Delete the comment (the language server offers it), or correct its codes.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    """Unused suppressions are known only after all rules ran: see `engine.run`."""
    return iter(())


RULE = define(__doc__, Severity.WARNING, check)
