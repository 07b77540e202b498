"""SL004 damaged-plan: a plan document is damaged (wrapped in a fence, a stray fence, truncated, or empty).

## What it does
Reports the kinds of damage that AI assistants, copy-paste and crashed tools leave in plan documents:

- the whole document wrapped in a ```` ```markdown ```` fence (a model's answer pasted verbatim);
- a fence (often of four backticks) that is never closed and hides the rest of the document;
- a placeholder such as `...existing content...` where an edit replaced part of the plan;
- an empty plan file (a crashed editor, a bad merge or a script truncated it).

The first two are repaired for reading (the fence lines are ignored) and the rest of the document is
read; a truncated document is read as it is, with this diagnostic at the placeholder, and an empty one
at its first line.

## Why is this bad?
Editors, previews and every markdown tool see a wrapped or swallowed document as one code block, and
a truncated plan silently lost its content (often the table list or the endpoint list): everything that
was there is no longer checked.

## Example
```
# Plan bazy danych

...existing content...

## Polityki bezpieczeństwa (RLS)
```

## Fix
Remove the wrapping fence or the stray fence line; restore the missing part from version control.
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
