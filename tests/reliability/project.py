"""A small project for the fault and safety tests, and an in-process check of it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stage_lsp.config.project import load_config
from stage_lsp.core.violation import Violation
from stage_lsp.engine import CheckResult, run_check, select_rules
from stage_lsp.workspace import Workspace

API_PLAN = """# API

#### GET /api/decks
Returns 200 with the user's decks.

#### POST /api/decks
Returns 201.

#### GET /api/cards
Returns 200.
"""
DB_PLAN = """# DB

### decks
- id uuid primary key
- name text not null
"""
DECKS_ROUTE = 'export const GET = () => new Response("[]", { status: 200 });\n'
OTHER_ROUTE = 'export const GET = () => new Response("[]", { status: 200 });\n'
MIGRATION = "create table decks (id uuid primary key, name text not null);\n"

FILES = {
    ".ai/api-plan.md": API_PLAN,
    ".ai/db-plan.md": DB_PLAN,
    "src/pages/api/decks.ts": DECKS_ROUTE,
    "src/pages/api/other.ts": OTHER_ROUTE,
    "supabase/migrations/20250101000000_init.sql": MIGRATION,
    "package.json": '{"dependencies": {"astro": "5.0.0"}}\n',
}

# What the project above is expected to report (code, file, line), and nothing else.
BASELINE = {
    ("SL101", ".ai/api-plan.md", 5),  # POST /api/decks: decks.ts serves GET only
    ("SL101", ".ai/api-plan.md", 8),  # GET /api/cards
    ("SL102", "src/pages/api/other.ts", 0),  # GET /api/other is not planned
}


@dataclass(frozen=True)
class Checked:
    result: CheckResult

    @property
    def violations(self) -> tuple[Violation, ...]:
        return self.result.violations

    @property
    def found(self) -> set[tuple[str, str, int]]:
        return {(v.code, v.location.file, v.location.range.line) for v in self.violations}

    def messages(self, code: str) -> list[str]:
        return [v.message for v in self.violations if v.code == code]


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def check(root: Path, ws: Workspace | None = None) -> Checked:
    """Check `root` in-process (a fresh workspace unless one is given); internal errors fail the test."""
    if ws is None:
        ws = Workspace(root, load_config(root).settings)
    result = run_check(ws, select_rules(select=None, extend_select=[], ignore=[], severity={}))
    assert not result.internal_errors, "\n".join(result.internal_errors)
    return Checked(result)
