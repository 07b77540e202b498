"""SL003 contradictory-statuses: an endpoint's section states two different success statuses.

## What it does
Reports a success statement (`Success:`, `Success Codes:`, `Sukces:`, `Kody powodzenia:`) in an
endpoint's own section that names a success status different from an earlier success statement of the
same section, when neither presents them as alternatives (`201 Created or 200 OK`, `200/201`). The
related location is the earlier statement.

## Why is this bad?
The code returns one status; with two stated, one half of the plan is wrong and checks on the success
status cannot tell which one is meant.

## Example
```markdown
#### POST /api/decks
- Success: 201 Created
...
- Success: 200 OK
```

## Fix
Keep the status the endpoint really returns, or write both as alternatives (`201 Created or 200 OK`).
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
