"""SL005 plan-copy-not-used: several copies of a plan exist and this one is not the one checked.

## What it does
When plan discovery finds more than one candidate for the same plan (two `api-plan.md` files, an old
copy in an archive folder), one is used (`.ai/` before `ai/` before `docs/` before elsewhere, archives
last, then the shortest path) and this info diagnostic is shown at the top of each of the others, naming
the one in use.

## Why is this bad?
Stale copies drift from the real plan, and an assistant or a colleague may edit the wrong one. Knowing
which copy is authoritative avoids silent disagreement.

## Example
`.ai/api-plan.md` and `src/db/api-plan.md` both exist; the second gets
"Another copy of the api plan is used: `.ai/api-plan.md`".

## Fix
Delete or rename the stale copy, or choose the plan explicitly with `api-plans` / `db-plans` in
`stage-lsp.toml`.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules.base import define, issues_with_code


def check(ctx: CheckContext) -> Iterator[Violation]:
    for issue in issues_with_code(RULE.code, ctx.plan.issues):
        yield RULE.from_issue(issue)


RULE = define(__doc__, Severity.INFO, check)
