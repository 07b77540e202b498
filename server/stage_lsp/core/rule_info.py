"""What a report says about a rule besides its findings: name, summary, documentation, default severity.

`rules.base.Rule.info` gives it for a rule; the whole-check result cache stores it beside the findings, so
a cached SARIF report (whose `tool.driver.rules` carries these) is rendered without importing the rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from stage_lsp.core.violation import Severity


@dataclass(frozen=True, slots=True)
class RuleInfo:
    code: str  # "SL101"
    name: str  # "planned-endpoint-missing"
    summary: str  # one line, lower case start, no final period
    doc: str  # the rule's page (markdown)
    severity: Severity  # the default, before the configuration's `severity`
    family: str  # "api", "db", ...
