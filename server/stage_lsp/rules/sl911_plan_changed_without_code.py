"""SL911 plan-changed-without-code: in PR mode, a plan changed but no route or migration did.

## What it does
Only with `--since REF` (PR mode). When a plan file (API, DB, stages or PRD plan) changed since the merge
base with REF and no route file, migration or generated types file changed, reports each changed plan file
once, at its first line. Informational: it never fails a check on its own (severity `info`).

## Why is this bad?
A plan change usually asks for code: a new endpoint, a new column, a stricter policy. A pull request that
changes only the plan is either the first half of a change (fine, but worth saying) or a plan edited to
match code that was never written.

## Example
A pull request that adds `#### DELETE /api/decks/{id}` to `.ai/api-plan.md` and touches nothing under
`src/pages/api/` or `supabase/migrations/`.

## Fix
Implement the change in the same pull request, or leave it: the finding is informational. Ignore the rule
with `ignore = ["SL911"]` when plans are routinely changed ahead of the code.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules.base import define


def code_files(ctx: CheckContext) -> set[str]:
    """Files whose change counts as a code change: route files, migrations, generated types."""
    files = set(ctx.code.route_files) | set(ctx.files.migrations)
    if ctx.files.types:
        files.add(ctx.files.types)
    return files


def check(ctx: CheckContext) -> Iterator[Violation]:
    changes = ctx.changes
    if changes is None:
        return
    plans = sorted(p for p in ctx.files.all_plans if changes.touches(p))
    if not plans or any(changes.touches(f) for f in code_files(ctx)):
        return
    for rel in plans:
        yield RULE.violation(
            Location(rel, Range(0, 0, 0, 0)),
            f"This plan changed since `{changes.ref}` but no route, migration or types file did",
            entity=(rel,),
        )


RULE = define(__doc__, Severity.INFO, check)
