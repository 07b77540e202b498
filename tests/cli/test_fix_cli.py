"""`--fix`, `--unsafe-fixes`, `--diff`, `--show-fixes` end to end.

No registered rule has a fix yet, so these tests add a test-only rule (SL999, never registered) through the
CLI's rule selection: it proposes a safe CreateFile for each planned endpoint that has no route (the
handler) and a safe TextEdit adding each unplanned route to the plan (several insertions at one point, so
they conflict and need more than one pass). `test_fix_leaves_no_safe_fixable_finding_with_real_rules`
exercises the registered rules and skips while none of them offers a fix.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from stage_lsp.cli import checking
from stage_lsp.cli.main import main
from stage_lsp.code.astro import expected_route_file
from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Applicability, CreateFile, Fix, Severity, TextEdit, Violation
from stage_lsp.engine import Selection, select_rules
from stage_lsp.rules import ALL_RULES
from stage_lsp.rules._endpoints import match_endpoints
from stage_lsp.rules.base import define
from tests.conftest import EXAMPLE

Make = Callable[[dict[str, str]], Path]

PLAN = "# API\n\n#### GET /api/decks\n\n#### GET /api/tags\n"
PROJECT = {
    ".ai/api-plan.md": PLAN,
    "src/pages/api/decks.ts": "export const GET = async () => new Response('[]');\n",
    "src/pages/api/cards.ts": "export const GET = async () => new Response('[]');\n",
    "src/pages/api/notes.ts": "export const GET = async () => new Response('[]');\n",
}

_DOC = """SL999 test-fixable: a test-only rule whose findings carry fixes.

## What it does
Proposes a handler file for each planned endpoint without a route, and a plan heading for each route
that is not planned. Used by the tests only; never registered.

## Why is this bad?
It is not: it exists to exercise `--fix`, `--diff` and the fix applier end to end.

## Example
`GET /api/tags` planned with no `src/pages/api/tags.ts`: the fix creates that file.

## Fix
`stage-lsp check --fix`, which is what the tests run.
"""


def _check(ctx: CheckContext) -> Iterator[Violation]:
    match = match_endpoints(ctx)
    first_heading = min((e.location.range.line for e in ctx.plan.endpoints), default=0)
    plan_file = ctx.plan.api_files[0]
    for e in match.missing:
        target = expected_route_file(e.path)
        content = f"export const {e.method} = async () => new Response(null);\n"
        fix = Fix(f"create {target}", Applicability.SAFE, (CreateFile(target, content),))
        yield RULE.violation(e.location, f"create a handler for {e.key}", entity=(e.key,), fix=fix)
    for r in match.unplanned:
        insert = Location(plan_file, Range(first_heading, 0, first_heading, 0))
        fix = Fix("plan it", Applicability.SAFE, (TextEdit(insert, f"#### {r.method} {r.path}\n\n"),))
        yield RULE.violation(r.location, f"plan {r.key}", entity=(r.key,), fix=fix)


RULE = define(_DOC, Severity.WARNING, _check)


@pytest.fixture
def with_test_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    def select(**kwargs: Any) -> Selection:
        chosen = select_rules(**kwargs, rules=(*ALL_RULES, RULE))
        return chosen

    monkeypatch.setattr(checking, "select_rules", select)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args, "--no-cache"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("with_test_rule")
def test_diff_shows_the_fixes_and_writes_nothing(
    make_project: Make, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(PROJECT)
    code, out, err = run(capsys, str(root), "--diff")
    assert code == 1
    assert "--- /dev/null\n+++ b/src/pages/api/tags.ts\n" in out
    assert "--- a/.ai/api-plan.md\n+++ b/.ai/api-plan.md\n" in out
    assert "+#### GET /api/cards" in out
    assert "+#### GET /api/cards\n+\n+#### GET /api/notes\n" in out  # one anchor: both, in order
    assert "overlaps an earlier fix" not in err
    assert not (root / "src/pages/api/tags.ts").exists()
    assert (root / ".ai/api-plan.md").read_text() == PLAN


@pytest.mark.usefixtures("with_test_rule")
def test_fix_applies_in_passes_and_leaves_nothing_fixable(
    make_project: Make, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(PROJECT)
    code, out, err = run(capsys, str(root), "--show-fixes")
    assert "Fixes available:" in out and "[*] 3 fixable with `--fix`" in out
    code, out, err = run(capsys, str(root), "--fix", "--show-fixes")
    assert code == 0, out + err
    assert "All checks passed" in out
    assert "fixed 3 findings; 0 remain" in err
    assert "fixed: .ai/api-plan.md:5:6: SL999 create src/pages/api/tags.ts" in err
    assert (
        root / "src/pages/api/tags.ts"
    ).read_text() == "export const GET = async () => new Response(null);\n"
    plan = (root / ".ai/api-plan.md").read_text()
    assert "#### GET /api/cards\n" in plan and "#### GET /api/notes\n" in plan
    code, out, err = run(capsys, str(root), "--diff")
    assert (code, out) == (0, "")


@pytest.mark.usefixtures("with_test_rule")
def test_fix_never_overwrites_an_existing_file(
    make_project: Make, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({**PROJECT, "src/pages/api/tags.ts": "// a handler that the reader does not see\n"})
    code, out, err = run(capsys, str(root), "--fix")
    assert code == 1
    assert "src/pages/api/tags.ts` already exists; it is never overwritten" in err
    assert (root / "src/pages/api/tags.ts").read_text() == "// a handler that the reader does not see\n"
    assert "SL999 create a handler for GET /api/tags" in out


def test_fix_leaves_no_safe_fixable_finding_with_real_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a copy of the example, `--fix` leaves zero safe-fixable findings (the registered rules only)."""
    copy = tmp_path / "flashcards"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns(".stage-lsp-cache"))
    _, out, _ = run(capsys, str(copy), "--statistics", "--output-format", "json")
    if not any(row["fixable"] for row in json.loads(out)):
        pytest.skip("no registered rule offers a safe fix on the example yet")
    run(capsys, str(copy), "--fix")
    _, out, _ = run(capsys, str(copy), "--statistics", "--output-format", "json")
    assert [row for row in json.loads(out) if row["fixable"]] == []
