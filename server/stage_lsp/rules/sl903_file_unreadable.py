"""SL903 file-unreadable: a plan, source or migration could not be read as text.

## What it does
Reports a file the checker was asked to read but could not: binary content, bytes that are not valid in
the detected encoding, a file too large to check (over 5 MB), or a file that disappeared or cannot be
opened. Partly readable files (a few invalid bytes) are checked, and this diagnostic says what was replaced.

## Why is this bad?
A plan or migration that is silently skipped makes every other finding unreliable: endpoints look
missing, tables look unplanned. Saying so is better than guessing.

## Example
`src/db/database.types.ts` saved as binary by a broken tool, or an `api-plan.md` of 30 MB.

## Fix
Save the file as UTF-8 (or UTF-16 with a BOM), shrink it, or exclude it with `exclude` in the config.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules.base import define, issues_with_code


def check(ctx: CheckContext) -> Iterator[Violation]:
    for issue in issues_with_code(RULE.code, ctx.plan.issues, ctx.code.issues):
        yield RULE.from_issue(issue)


RULE = define(__doc__, Severity.WARNING, check)
