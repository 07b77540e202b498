"""SL105 base-path-applied: plan paths are served under a common prefix, which the checker applied.

## What it does
Many plans write paths without the prefix the code serves them under: `/flashcards` in the plan,
`/api/flashcards` in `src/pages/api/flashcards.ts`; or they declare a base URL once (`Base URL: /api`).
The checker detects the prefix once for the whole project (a declared base URL, or the prefix that
explains most unmatched plan paths), applies it to every plan path that does not match as written, and
says so once with this info finding: on the base-URL line when the plan declares one, otherwise on the
first endpoint it applied to.

## Why is this bad?
It is not a problem in itself; it is reported so that the matching is never a hidden guess. If the prefix
is wrong for your project, the other findings will be too.

## Example
```markdown
#### GET /flashcards
```
served by `src/pages/api/flashcards.ts`: "Plan paths are served under `/api`".

## Fix
Nothing to fix when the prefix is right. To be explicit, write the base URL in the plan
(`Base URL: /api`) or the full paths.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules._endpoints import match_endpoints
from stage_lsp.rules.base import define


def check(ctx: CheckContext) -> Iterator[Violation]:
    match = match_endpoints(ctx)
    base = match.base_path
    if base is None:
        return
    example = next(
        (e for e, _ in match.pairs if match.served_path.get(e.key, "") != e.key.split(" ", 1)[1]), None
    )
    location = base.location or (example.location if example else None)
    if location is None:
        return
    sample = f" (e.g. `{example.path}` is served as `{base.prefix}{example.path}`)" if example else ""
    how = "as the plan's base URL declares" if base.declared else "detected from the routes"
    yield RULE.violation(
        location,
        f"Plan paths are served under `{base.prefix}`{sample}; {base.matched} endpoint"
        f"{'' if base.matched == 1 else 's'} matched with this prefix, {how}",
        entity=(base.prefix,),
    )


RULE = define(__doc__, Severity.INFO, check)
