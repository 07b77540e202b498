"""SL902 configuration-problem: a key in stage-lsp.toml (or `[tool.stage-lsp]`) is unknown or has a bad value.

## What it does
In the editor, shows each problem of the project configuration on the line of the config file that
causes it: an unknown key, a value of the wrong type or out of range, a rule code that does not exist, or
a file that is not valid TOML. The language server keeps working: the bad key is ignored, so its default
applies and every other key still counts (a file that is not valid TOML gives the defaults).

`stage-lsp check` does not report this finding: it stops with exit code 2 and the same message, because
a CI run with a half-applied configuration would be misleading.

## Why is this bad?
A misspelt key (`api_plan` for `api-plans`) or a bad value silently changes what is checked: plans are
not found, rules are not ignored, severities stay at their defaults.

## Example
```toml
debounce-ms = -5
severity = { SL101 = "fatal" }
```
gives "stage-lsp.toml: bad value for `debounce-ms`: Input should be greater than or equal to 0; the
default for `debounce-ms` is used".

## Fix
Correct the key or value as the message says; docs/configuration.md lists every key.
"""

from __future__ import annotations

from collections.abc import Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.rules.base import define, issues_with_code


def check(ctx: CheckContext) -> Iterator[Violation]:
    for issue in issues_with_code(RULE.code, ctx.config_issues):
        yield RULE.from_issue(issue)


RULE = define(__doc__, Severity.ERROR, check)
