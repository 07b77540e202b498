"""SL912 code-changed-without-plan: in PR mode, routes or migrations changed but no plan did.

## What it does
Only with `--since REF` (PR mode). When route files, migrations or the generated types file changed since
the merge base with REF and no plan file did, reports it once, on the first changed file (in path order;
files that still exist first, then deleted route files and migrations), with the number of changed files. Informational: it never fails a check on its own (severity `info`).

## Why is this bad?
Most changes to the API surface or the schema should show in the plan that describes them; the drift rules
only catch what the plan already states. A pull request that reshapes routes or tables without a word in
the plan is where plans start to rot.

## Example
A pull request that adds `supabase/migrations/20250401_add_reviews.sql` and leaves `.ai/db-plan.md` alone.

## Fix
Describe the change in the plan in the same pull request, or leave it: the finding is informational.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules.base import define
from stage_lsp.rules.sl911_plan_changed_without_code import changed_code


def check(ctx: CheckContext) -> Iterator[Violation]:
    changes = ctx.changes
    if changes is None or any(changes.touches(p) for p in ctx.files.all_plans):
        return
    touched = changed_code(ctx)
    if not touched:
        return
    n = len(touched)
    others = f" (and {n - 1} other route, migration or types file{'s' if n > 2 else ''})" if n > 1 else ""
    yield RULE.violation(
        Location(touched[0], Range(0, 0, 0, 0)),
        f"This file changed since `{changes.ref}`{others} but no plan did",
        entity=("code-without-plan",),
    )


RULE = define(__doc__, Severity.INFO, check)
