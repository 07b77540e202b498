"""Baselines end to end: create, only new findings fail, stale entries reported once and pruned."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult, finding_lines, run_cli

Make = Callable[[dict[str, str]], Path]

PLAN = "# API\n\n#### GET /api/decks\n\n#### POST /api/decks\n"
ROUTE = "export const GET = async () => new Response('[]');\n"


def check(root: Path, *args: str) -> CliResult:
    return run_cli("check", str(root), "--baseline", str(root / "baseline.json"), *args)


def entries(root: Path) -> list[dict[str, str]]:
    doc = json.loads((root / "baseline.json").read_text())
    assert doc["version"] == 1 and doc["tool"] == "stage-lsp"
    return list(doc["entries"])


def test_round_trip(make_project: Make) -> None:
    root = make_project({".ai/api-plan.md": PLAN, "src/pages/api/decks.ts": ROUTE})
    assert check(root).code == 2  # no baseline yet: say so, do not guess
    created = check(root, "--baseline-update")
    assert created.code == 0, created.err
    assert "1 entries (1 added, 0 pruned)" in created.err
    [entry] = entries(root)
    assert entry["code"] == "SL101" and entry["file"] == ".ai/api-plan.md"
    assert entry["message"] == "Planned endpoint `POST /api/decks` has no route in the code"
    assert check(root).code == 0

    # a new drift: only it fails; moving the baselined one (lines shift) keeps it baselined
    (root / ".ai/api-plan.md").write_text(
        "# API\n\nIntro.\n\n" + PLAN.split("\n", 2)[2] + "\n#### DELETE /api/decks\n"
    )
    r = check(root)
    assert r.code == 1
    assert finding_lines(r.out) == [
        ".ai/api-plan.md:9:6: SL101 Planned endpoint `DELETE /api/decks` has no route in the code"
    ]

    # fix the new one and the baselined one: the baselined entry goes stale, reported once
    (root / ".ai/api-plan.md").write_text("# API\n\n#### GET /api/decks\n")
    r = check(root)
    assert r.code == 0
    assert r.err.count("stale") == 2  # the notice and its one entry line
    assert "stale: SL101 .ai/api-plan.md: Planned endpoint `POST /api/decks`" in r.err
    assert "stale" not in check(root, "--quiet").err
    # the update prunes it
    r = check(root, "--baseline-update")
    assert "0 entries (0 added, 1 pruned)" in r.err
    assert entries(root) == []
    assert "stale" not in check(root).err


def test_entries_of_rules_not_run_are_neither_stale_nor_pruned(make_project: Make) -> None:
    root = make_project(
        {".ai/api-plan.md": PLAN, "src/pages/api/decks.ts": ROUTE, "src/pages/api/x.ts": ROUTE}
    )
    check(root, "--baseline-update")
    assert sorted(e["code"] for e in entries(root)) == ["SL101", "SL102"]
    r = check(root, "--select", "SL101")
    assert r.code == 0 and "stale" not in r.err
    check(root, "--select", "SL101", "--baseline-update")
    assert sorted(e["code"] for e in entries(root)) == ["SL101", "SL102"]


def test_format_is_sorted_and_readable(make_project: Make) -> None:
    root = make_project(
        {
            ".ai/api-plan.md": PLAN + "\n#### GET /api/a\n",
            "src/pages/api/decks.ts": ROUTE,
            "src/pages/api/z.ts": ROUTE,
            "src/pages/api/b.ts": ROUTE,
        }
    )
    check(root, "--baseline-update")
    first = (root / "baseline.json").read_text()
    keys = [(e["file"], e["code"], e["fingerprint"]) for e in entries(root)]
    assert keys == sorted(keys)
    assert set(entries(root)[0]) == {"fingerprint", "code", "file", "message"}
    check(root, "--baseline-update")
    assert (root / "baseline.json").read_text() == first  # stable: an update without changes changes nothing


def test_bad_baselines_and_usage_exit_two(make_project: Make) -> None:
    root = make_project({".ai/api-plan.md": PLAN, "src/pages/api/decks.ts": ROUTE})
    assert run_cli("check", str(root), "--baseline-update").code == 2
    for text in (
        "not json",
        '{"version": 9, "entries": []}',
        '{"version": 1, "entries": [{"code": "SL101"}]}',
    ):
        (root / "baseline.json").write_text(text)
        r = check(root)
        assert r.code == 2 and "baseline" in r.err
