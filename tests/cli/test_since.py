"""`--since REF` (PR mode) on temporary git repositories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import CliResult, finding_lines, require_program, run_cli

PLAN = "# API\n\n#### GET /api/decks\n\n#### GET /api/tags\n\n#### GET /api/stats\n"
ROUTE = "export const GET = async () => new Response('[]');\n"


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(
        [
            "git",
            "-c",
            "user.email=t@example.com",
            "-c",
            "user.name=t",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose project lives in `app/`, with one commit on main and a branch `feature`."""
    require_program("git")
    top = tmp_path / "repo"
    root = top / "app"
    for rel, text in {
        ".ai/api-plan.md": PLAN,
        "src/pages/api/decks.ts": ROUTE,
        "src/pages/api/tags.ts": ROUTE,
        "src/pages/api/old.ts": ROUTE,  # SL102 on main already
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (top / "README.md").write_text("outside the project\n")
    git(top, "init", "-q")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "main")
    git(top, "checkout", "-qb", "feature")
    return root


def since(root: Path, *args: str) -> CliResult:
    return run_cli("check", str(root), "--since", "main", "--no-cache", *args)


def lines(r: CliResult) -> list[str]:
    return finding_lines(r.out)


def test_only_findings_on_changed_files_and_code_without_plan(repo: Path) -> None:
    (repo / "src/pages/api/new.ts").write_text(ROUTE)  # untracked
    (repo.parent / "README.md").write_text("changed outside the project\n")
    r = since(repo)
    assert r.code == 1, r.err
    assert lines(r) == [
        "src/pages/api/new.ts:1:1: SL912 This file changed since `main` but no plan did",
        "src/pages/api/new.ts:1:14: SL102 Route `GET /api/new` is not in the API plan (.ai/api-plan.md)",
    ]
    full = run_cli("check", str(repo), "--no-cache")
    assert "src/pages/api/old.ts" in full.out and "GET /api/stats" in full.out  # present, just out of scope


def test_plan_without_code_and_a_breaking_plan_change(repo: Path) -> None:
    (repo / ".ai/api-plan.md").write_text(PLAN.replace("#### GET /api/tags\n\n", ""))
    git(repo, "commit", "-qam", "drop tags from the plan")
    r = since(repo)
    assert r.code == 1, r.err
    out = lines(r)
    assert (
        ".ai/api-plan.md:1:1: SL911 This plan changed since `main` but no route, migration or types file did"
        in out
    )
    assert (
        ".ai/api-plan.md:1:1: SL913 Endpoint `GET /api/tags` was removed from the plan since `main` "
        "(it was at .ai/api-plan.md:5)"
    ) in out
    assert (
        ".ai/api-plan.md:5:6: SL101 Planned endpoint `GET /api/stats` has no route in the code" in out
    )  # file changed
    assert not any("old.ts" in line for line in out)  # its counterpart is the plan: not pulled in


def test_deleting_a_route_reports_the_planned_endpoint_on_the_unchanged_plan(repo: Path) -> None:
    (repo / "src/pages/api/tags.ts").unlink()
    r = since(repo)
    out = lines(r)
    assert ".ai/api-plan.md:5:6: SL101 Planned endpoint `GET /api/tags` has no route in the code" in out
    assert "src/pages/api/tags.ts:1:1: SL912 This file changed since `main` but no plan did" in out
    assert not any("GET /api/stats" in line for line in out)


def test_a_plan_that_did_not_exist_at_ref_removes_nothing(repo: Path) -> None:
    git(repo, "rm", "-q", ".ai/api-plan.md")
    git(repo, "commit", "-qm", "no plan")
    git(repo, "checkout", "-qb", "again")
    (repo / ".ai").mkdir(exist_ok=True)
    (repo / ".ai/api-plan.md").write_text("# API\n\n#### GET /api/decks\n")
    r = run_cli("check", str(repo), "--since", "feature", "--no-cache")
    assert r.code == 0, r.err  # SL911 is informational
    assert "SL911" in r.out and "SL913" not in r.out


def test_errors_say_what_is_needed(repo: Path, tmp_path: Path) -> None:
    r = run_cli("check", str(repo), "--since", "no-such-branch")
    assert r.code == 2 and "`no-such-branch` is not a commit" in r.err and "fetch-depth: 0" in r.err
    r = run_cli("check", str(repo), "--since", "--help")
    assert r.code == 2
    plain = tmp_path / "plain"
    (plain / ".ai").mkdir(parents=True)
    (plain / ".ai/api-plan.md").write_text(PLAN)
    r = run_cli("check", str(plain), "--since", "main")
    assert r.code == 2 and "not inside a git work tree" in r.err
