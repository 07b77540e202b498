"""Evaluate rules on a workspace snapshot. Pure apart from reading files through the Workspace.

A rule that raises does not stop the others: the exception is recorded in `CheckResult.internal_errors`
(the CLI prints it and exits 2; the language server logs it).
"""

from __future__ import annotations

import dataclasses
import traceback
from dataclasses import dataclass

from stage_lsp.context import ChangeSet, CheckContext
from stage_lsp.core.violation import Violation
from stage_lsp.engine.selection import Selection
from stage_lsp.workspace import Workspace


@dataclass(frozen=True)
class CheckResult:
    violations: tuple[Violation, ...]
    files_checked: int
    internal_errors: tuple[str, ...] = ()


def context_for(ws: Workspace, changes: ChangeSet | None = None) -> CheckContext:
    return CheckContext(plan=ws.plan(), code=ws.code(), settings=ws.settings, files=ws.files, changes=changes)


def run_check(ws: Workspace, selection: Selection, *, changes: ChangeSet | None = None) -> CheckResult:
    errors: list[str] = []
    try:
        ctx = context_for(ws, changes)
    except Exception:  # a reader bug must not take the server down
        return CheckResult((), 0, (f"reading the workspace failed:\n{traceback.format_exc()}",))
    found: dict[tuple[str, str, str, int, int], Violation] = {}
    for rule in selection.rules:
        try:
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
    violations = tuple(sorted(found.values(), key=lambda v: v.sort_key))
    files = len(ws.files.all_plans) + len(ctx.code.route_files) + len(ws.files.migrations)
    return CheckResult(violations, files, tuple(errors))
