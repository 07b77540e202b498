"""Evaluate rules on a workspace snapshot. Pure apart from reading files through the Workspace.

A rule that raises does not stop the others: the exception is recorded in `CheckResult.internal_errors`
(the CLI prints it and exits 2; the language server logs it).
"""

from __future__ import annotations

import dataclasses
import traceback
from dataclasses import dataclass

from stage_lsp.context import ChangeSet, CheckContext
from stage_lsp.core.violation import Applicability, Fix, Violation
from stage_lsp.engine.reuse import RuleReuse
from stage_lsp.engine.selection import Selection
from stage_lsp.engine.suppressions import apply_suppressions, find_suppressions, removal
from stage_lsp.rules import ALL_RULES
from stage_lsp.rules import sl901_unused_suppression as unused_rule
from stage_lsp.workspace import Workspace


@dataclass(frozen=True)
class CheckResult:
    violations: tuple[Violation, ...]
    files_checked: int
    internal_errors: tuple[str, ...] = ()
    context: CheckContext | None = None  # the models the rules saw (the language server's navigation)


def context_for(ws: Workspace, changes: ChangeSet | None = None) -> CheckContext:
    return CheckContext(
        plan=ws.plan(),
        code=ws.code(),
        settings=ws.settings,
        files=ws.files,
        changes=changes,
        config_issues=tuple(ws.config_issues),
    )


def _entity_stages(ctx: CheckContext) -> dict[str, int]:
    stages: dict[str, int] = {}
    for e in ctx.plan.endpoints:
        if e.stage is not None:
            stages.setdefault(e.key, e.stage)
    for t in ctx.plan.tables:
        if t.stage is not None:
            name = t.name.lower()
            stages.setdefault(name[len("public.") :] if name.startswith("public.") else name, t.stage)
    return stages


def in_stage(violation: Violation, stages: dict[str, int], stage: int) -> bool:
    """Does a finding concern an item of `stage`? Findings about unstaged items always count."""
    known = [stages[k] for k in violation.entity if k in stages]
    return not known or stage in known


def run_check(
    ws: Workspace,
    selection: Selection,
    *,
    stage: int | None = None,
    changes: ChangeSet | None = None,
    reuse: RuleReuse | None = None,
) -> CheckResult:
    """Run the selected rules. With `stage`, keep only findings about items of that stage (and unstaged ones).
    With `reuse` (the language server), a rule whose inputs are unchanged since the last check with the
    same `reuse` is not run again (engine.reuse)."""
    errors: list[str] = []
    try:
        ctx = context_for(ws, changes)
    except Exception:  # a reader bug must not take the server down
        return CheckResult((), 0, (f"reading the workspace failed:\n{traceback.format_exc()}",))
    found: dict[tuple[str, str, str, int, int], Violation] = {}
    tracked = reuse.context(ctx) if reuse is not None else None
    for rule in selection.rules:
        try:
            if reuse is not None and tracked is not None:
                produced = reuse.run(rule.code, tracked, rule.check)
            else:
                produced = list(rule.check(ctx))
        except Exception:
            errors.append(f"rule {rule.code} ({rule.name}) failed:\n{traceback.format_exc()}")
            continue
        severity = selection.severity_of(rule)
        for v in produced:
            if v.severity != severity:
                v = dataclasses.replace(v, severity=severity)
            r = v.location.range
            found.setdefault((v.fingerprint, v.location.file, v.message, r.line, r.col), v)
    violations = _suppress(ws, selection, list(found.values()))
    if stage is not None:
        stages = _entity_stages(ctx)
        violations = [v for v in violations if in_stage(v, stages, stage)]
    files = len(ws.files.all_plans) + len(ctx.code.route_files) + len(ws.files.migrations)
    return CheckResult(tuple(sorted(violations, key=lambda v: v.sort_key)), files, tuple(errors), ctx)


def _suppress(ws: Workspace, selection: Selection, violations: list[Violation]) -> list[Violation]:
    """Apply inline suppressions; report the unused ones as SL901 when that rule is selected."""
    files = sorted({v.location.file for v in violations} | set(ws.loaded_files()))
    suppressions = [s for found in ws.cached_all("suppressions", files, find_suppressions) for s in found]
    if not suppressions:
        return violations
    kept, unused = apply_suppressions(violations, suppressions)
    selected = {r.code for r in selection.rules}
    if unused_rule.RULE.code in selected:
        severity = selection.severity_of(unused_rule.RULE)
        for s in unused:
            covered = {r.code for r in ALL_RULES if any(r.code.startswith(c) for c in s.codes)}
            if not covered or not covered <= selected:
                continue  # it may suppress a rule that did not run: not provably unused
            codes = ", ".join(s.codes)
            v = unused_rule.RULE.violation(
                s.location,
                f"Suppression of {codes} matches no finding",
                entity=(s.location.file, codes),
                discriminator=s.reason,
                fix=Fix("Remove the unused suppression", Applicability.SAFE, (removal(s),)),
            )
            kept.append(dataclasses.replace(v, severity=severity))
    return kept
