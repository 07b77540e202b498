"""SL006 broken-plan-link: an index plan links a per-endpoint file that cannot be read.

## What it does
Multi-file plans keep one file per endpoint and list them in an index (`### 3.3 Create project` +
`[See details →](./specifications/3.3-projects-create.md)`). The reader follows such links to read the
endpoints. This reports a link whose file does not exist, cannot be read as text, or lies outside the
project. The link is highlighted.

## Why is this bad?
The endpoints of the missing file are not read, so they are not checked; a renamed or moved file
silently drops part of the plan.

## Example
```markdown
### 3.3 Create Project
[See details →](./specifications/projects/3.3-projects-create.md)
```
when `specifications/projects/3.3-projects-create.md` was renamed.

## Fix
Fix the link target, or restore the file.
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
