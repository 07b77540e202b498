"""SL002 conflicting-definitions: one endpoint is defined twice and the definitions disagree.

## What it does
Plans often list an endpoint twice: in a summary table or table of contents and in a detailed section.
That is fine while both say the same. This reports the second definition when the two disagree on the
success status: a summary row or a second section says `200` where the definition that is used says
`201 Created`. A copy that merely tells less (no statuses, fewer error cases) is not reported.
The related location is the definition that is used (the detailed one; among detailed ones, the one in
the document's dominant notation, else the first).

## Why is this bad?
The code can only follow one of them. Whichever it follows, the other half of the plan says it is wrong,
and readers of the plan (people and assistants) take the copy they happen to find.

## Example
```markdown
| POST | /api/decks | Create a deck | 200 |
...
#### POST /api/decks
- Success: 201 Created
```

## Fix
Make the two definitions agree, or delete the summary copy.
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
