"""SL408 migration-order: a migration uses a table created only later, or two migrations share a version.

## What it does
Replays the migrations in version order (the leading digits of the file name; see the replay's ordering
rule in the documentation) and reports a statement that alters a table, creates a policy or an index on
it, before any migration created it, when a later statement does create it. It also reports two
migration files with the same version. For the final schema the early statement is applied right after
the table is created, so later rules see what the author meant; only the order is reported here.

## Why is this bad?
`supabase db reset` and every fresh environment apply migrations strictly in version order: the early
statement fails and so does its whole migration. Supabase records applied migrations by version, so two
files with one version cannot both be applied, and which one runs first depends on the tool.

## Example
`20250120120000_add_flashcards_rls_policies.sql` creates policies on `flashcards`, which
`20251111120000_create_flashcards.sql` creates: the policy file sorts first and fails.
`20251109000000_add_test_cleanup_policies.sql` and `20251109000000_add_test_cleanup_policies_SECURE.sql`
share a version.

## Fix
Rename the migration so that its version sorts after the one that creates the table (or move the
statement into that migration); give every migration a unique `YYYYMMDDHHmmss` version.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules.base import define, issues_with_code


def check(ctx: CheckContext) -> Iterator[Violation]:
    for issue in issues_with_code(RULE.code, ctx.code.issues):
        yield RULE.from_issue(issue)


RULE = define(__doc__, Severity.WARNING, check)
