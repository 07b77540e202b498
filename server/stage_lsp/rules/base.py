"""Rule metadata and the helper rules use to build Violations.

A rule is one module `slNNN_<name>.py` whose docstring is its documentation (first line
`SLnnn name: summary`, then the sections `## What it does`, `## Why is this bad?`, `## Example`, `## Fix`),
and which defines `RULE = Rule(...)` and `check(ctx) -> Iterable[Violation]`. Rules are pure: no I/O,
no pygls/lsprotocol.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from stage_lsp.context import CheckContext
from stage_lsp.core.fingerprint import fingerprint
from stage_lsp.core.issue import ReaderIssue
from stage_lsp.core.location import Location
from stage_lsp.core.rule_info import RuleInfo
from stage_lsp.core.violation import Fix, Related, Severity, Violation

DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Fix")
_HEADER = re.compile(r"^(SL\d{3}) ([a-z0-9]+(?:-[a-z0-9]+)*): (.+)$")

Family = str
FAMILIES: dict[str, str] = {
    "SL0": "plan structure",
    "SL1": "endpoints, methods and paths",
    "SL2": "statuses and error codes",
    "SL3": "fields and stated requirements",
    "SL4": "schema",
    "SL5": "row-level security",
    "SL6": "project rules and secrets",
    "SL9": "meta: configuration, files and suppressions",
}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity  # default; `severity` in the config overrides it
    summary: str
    doc: str
    check: Callable[[CheckContext], Iterable[Violation]] = field(repr=False, compare=False)

    @property
    def family(self) -> str:
        return FAMILIES[self.code[:3]]

    @property
    def info(self) -> RuleInfo:
        return RuleInfo(self.code, self.name, self.summary, self.doc, self.severity, self.family)

    def violation(
        self,
        location: Location,
        message: str,
        *,
        entity: tuple[str, ...],
        discriminator: str = "",
        related: Iterable[Related] = (),
        fix: Fix | None = None,
        alternatives: Iterable[Fix] = (),
    ) -> Violation:
        return Violation(
            code=self.code,
            name=self.name,
            severity=self.severity,
            message=message,
            location=location,
            fingerprint=fingerprint(self.code, entity, discriminator),
            related=tuple(related),
            fix=fix,
            entity=entity,
            alternatives=tuple(alternatives),
        )

    def from_issue(self, issue: ReaderIssue) -> Violation:
        return self.violation(issue.location, issue.message, entity=issue.entity, related=issue.related)


def define(doc: str | None, severity: Severity, check: Callable[[CheckContext], Iterable[Violation]]) -> Rule:
    """Build a Rule from its module docstring; the first line is `SLnnn name: summary`."""
    if not doc:
        raise ValueError("a rule module needs a docstring")
    first, _, rest = doc.strip().partition("\n")
    m = _HEADER.match(first.strip())
    if not m:
        raise ValueError(f"rule docstring must start with `SLnnn name: summary`, got {first!r}")
    return Rule(m.group(1), m.group(2), severity, m.group(3).rstrip("."), rest.strip(), check)


def issues_with_code(code: str, *issue_lists: Iterable[ReaderIssue]) -> Iterator[ReaderIssue]:
    for issues in issue_lists:
        for issue in issues:
            if issue.code == code:
                yield issue
