"""Which rules run and at which severity.

`select`, `extend-select` and `ignore` take codes or prefixes (`SL5`, `SL10`, `SL101`). As in ruff, the
most specific matching entry decides; on a tie `ignore` wins. Without `select`, every rule is selected.
`severity` maps codes or prefixes to a level, most specific first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from stage_lsp.core.violation import Severity
from stage_lsp.rules import ALL_RULES
from stage_lsp.rules.base import Rule


@dataclass(frozen=True)
class Selection:
    rules: tuple[Rule, ...]
    severities: Mapping[str, Severity]

    def severity_of(self, rule: Rule) -> Severity:
        return self.severities.get(rule.code, rule.severity)


def _best(code: str, prefixes: Iterable[str]) -> int:
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


def select_rules(
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    severity: Mapping[str, Severity] | None = None,
    rules: Sequence[Rule] = ALL_RULES,
) -> Selection:
    chosen = list(select) if select is not None else ["SL"]
    chosen += list(extend_select)
    picked: list[Rule] = []
    severities: dict[str, Severity] = {}
    for rule in rules:
        on = _best(rule.code, chosen)
        off = _best(rule.code, ignore)
        if on >= 0 and on > off:
            picked.append(rule)
        if severity:
            best = max((p for p in severity if rule.code.startswith(p)), key=len, default=None)
            if best is not None:
                severities[rule.code] = severity[best]
    return Selection(tuple(picked), severities)
