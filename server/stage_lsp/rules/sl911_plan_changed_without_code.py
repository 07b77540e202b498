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
from pathlib import PurePosixPath

from stage_lsp.code.routes import is_route_file
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


def changed_code(ctx: CheckContext) -> list[str]:
    """The changed files that are code, existing ones first: today's route files, migrations and types,
    then deleted files whose path is a route file or a migration (they are gone from the models)."""
    if ctx.changes is None:
        return []
    present = code_files(ctx)
    known = set(ctx.files.sources) | set(ctx.files.all_plans)
    existing = sorted(f for f in ctx.changes.changed if f in present)
    gone = sorted(
        f
        for f in ctx.changes.changed
        if f not in present
        and f not in known
        and (is_route_file(f, ctx.code.framework) or _is_migration_path(ctx, f))
    )
    return existing + gone


def _is_migration_path(ctx: CheckContext, rel: str) -> bool:
    parent = str(PurePosixPath(rel).parent)
    if not rel.endswith(".sql"):
        return False
    if ctx.settings.migrations is not None:
        return parent == ctx.settings.migrations.strip("/")
    return parent == "supabase/migrations" or parent.endswith("/supabase/migrations")


def check(ctx: CheckContext) -> Iterator[Violation]:
    changes = ctx.changes
    if changes is None:
        return
    plans = sorted(p for p in ctx.files.all_plans if changes.touches(p))
    if not plans or changed_code(ctx):
        return
    for rel in plans:
        yield RULE.violation(
            Location(rel, Range(0, 0, 0, 0)),
            f"This plan changed since `{changes.ref}` but no route, migration or types file did",
            entity=(rel,),
        )


RULE = define(__doc__, Severity.INFO, check)
