"""SL007 plan-sql-unparseable: SQL in a plan does not parse.

## What it does
Reads every SQL fence of a db plan with the PostgreSQL parser, statement by statement, and reports each
statement that does not parse, at the offending token. The other statements are still read. A policy
written for several commands (`FOR SELECT, UPDATE, DELETE`, which PostgreSQL rejects) is reported and
still read once per command. Fences the plan presents as an example or pseudo-code ("Przykładowo
(pseudokodowo)", "Example policy"), and fences with placeholders (`...`, `<table>`), are intent, not SQL:
they are read where possible and never reported.

## Why is this bad?
SQL in a plan is what the migrations will be written from, often by copying it. A statement that does not
parse fails the migration, and whatever it defined (a table, a policy) is not checked against the code.

## Example
```sql
CREATE POLICY "Chat sessions are private" ON ai_chat_sessions FOR SELECT, UPDATE, DELETE USING (false);
```

## Fix
Correct the statement (one policy per command: `FOR SELECT ...`, `FOR UPDATE ...`), or mark the fence as
pseudo-code.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules.base import define, issues_with_code


def check(ctx: CheckContext) -> Iterator[Violation]:
    for issue in issues_with_code(RULE.code, ctx.plan.issues):
        yield RULE.from_issue(issue)


RULE = define(__doc__, Severity.WARNING, check)
