"""Apply one finding's fix to a small project in memory and check the project again (what a user does)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from stage_lsp.config.settings import Settings
from stage_lsp.core.violation import Fix, Violation
from stage_lsp.engine import run_check, select_rules
from stage_lsp.engine.fix_disk import DiskAccess, write_changes
from stage_lsp.engine.fixes import plan_fixes
from stage_lsp.workspace import Workspace

ASTRO = '{ "name": "p", "dependencies": { "astro": "^5.0.0", "zod": "^3.0.0" } }\n'


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in {"package.json": ASTRO, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def check(root: Path, *codes: str) -> list[Violation]:
    ws = Workspace(root, Settings())
    return list(run_check(ws, select_rules(select=list(codes) or None)).violations)


def only(root: Path, code: str) -> Violation:
    found = [v for v in check(root, code) if v.code == code]
    assert len(found) == 1, [v.message for v in found]
    return found[0]


def apply(root: Path, violation: Violation, fix: Fix | None = None) -> list[str]:
    """Write `fix` (default: the violation's own) to disk; the files it changed or created."""
    chosen = fix or violation.fix
    assert chosen is not None, f"no fix for {violation.code}: {violation.message}"
    access = DiskAccess(root)
    plan = plan_fixes([dataclasses.replace(violation, fix=chosen)], access, unsafe=True)
    assert not plan.skipped, plan.skipped
    assert write_changes(access, plan.changes) == []
    return [c.file for c in plan.changes]


def read(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")
