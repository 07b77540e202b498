"""SL001 endpoint-heading-without-method: a plan heading names a path but no HTTP method.

## What it does
Reports a heading of the API plan whose title is an endpoint path (`### /api/flashcards/{id}`,
`#### 2.3 `/api/decks``) but which names no HTTP method, when nothing in its section defines the
endpoint either (no `Method:` field, no `METHOD /path` line). The path is highlighted.

Headings that only group endpoints (`### Meal Plans (`/api/meal-plans`)` followed by `#### GET ...`),
index entries that link a per-endpoint file, and sections of ideas (`Future Enhancements`) are not
reported.

## Why is this bad?
Without a method the reader cannot tell which endpoint is planned, so it is not checked at all: a
missing handler, a wrong status or a missing field on it goes unnoticed.

## Example
```markdown
### /api/flashcards/{id}
Returns one flashcard.
```

## Fix
Name the method in the heading (`### GET /api/flashcards/{id}`), or add a `- Method: GET` field under it.
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
