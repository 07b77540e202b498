"""`--output-file`, `--quiet`, `--statistics`, `--show-fixes` and option checks."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from tests.conftest import run_cli

Make = Callable[[dict[str, str]], Path]

DRIFT = {
    ".ai/api-plan.md": "# API\n\n#### GET /api/decks\n\n#### POST /api/decks\n\n#### GET /api/tags\n",
    "src/pages/api/decks.ts": "export const GET = async () => new Response('[]');\n",
    "src/pages/api/x.ts": "export const GET = async () => new Response('');\n",
}


def test_output_file_gets_the_output_and_stdout_stays_empty(make_project: Make, tmp_path: Path) -> None:
    root = make_project(DRIFT)
    target = tmp_path / "reports" / "out.sarif"
    r = run_cli("check", str(root), "--output-format", "sarif", "--output-file", str(target))
    assert r.code == 1 and r.out == ""
    assert json.loads(target.read_text())["runs"][0]["results"]
    blocked = tmp_path / "file"
    blocked.write_text("")
    r = run_cli("check", str(root), "--output-file", str(blocked / "x.txt"))
    assert r.code == 2 and "cannot write" in r.err


def test_quiet_prints_only_the_findings(make_project: Make, tmp_path: Path) -> None:
    root = make_project(DRIFT)
    loud = run_cli("check", str(root))
    quiet = run_cli("check", str(root), "--quiet")
    assert quiet.code == loud.code == 1
    finding = re.compile(r"^\S+:\d+:\d+: SL\d{3} ")
    assert quiet.out == "".join(line + "\n" for line in loud.out.splitlines() if finding.match(line))
    assert len(quiet.out.splitlines()) == 3
    nothing = tmp_path / "empty"
    nothing.mkdir()
    r = run_cli("check", str(nothing), "-q")
    assert (r.code, r.out, r.err) == (0, "", "")


def test_statistics_text_and_json(make_project: Make) -> None:
    root = make_project(DRIFT)
    r = run_cli("check", str(root), "--statistics")
    assert r.code == 1
    assert (
        r.out
        == "2  SL101  planned-endpoint-missing  [~]\n1  SL102  route-not-planned  [~]\nFound 3 findings.\n"
    )
    r = run_cli("check", str(root), "--statistics", "--output-format", "json")
    assert json.loads(r.out) == [
        {"code": "SL101", "name": "planned-endpoint-missing", "count": 2, "fixable": 0},
        {"code": "SL102", "name": "route-not-planned", "count": 1, "fixable": 0},
    ]
    assert run_cli("check", str(root), "--statistics", "--output-format", "sarif").code == 2


def test_show_fixes_without_fixes_adds_nothing(make_project: Make) -> None:
    root = make_project(
        {".ai/api-plan.md": "# API\n", "src/lib/k.ts": 'export const API_KEY = "9f8e7d6c5b4a3f2e1d0c9b8a";\n'}
    )
    plain = run_cli("check", str(root))
    assert plain.code == 1 and "SL612" in plain.out  # a finding without a fix
    assert run_cli("check", str(root), "--show-fixes").out == plain.out
    assert run_cli("check", str(root), "--diff").code == 0


def test_every_format_renders_a_project_without_plans(make_project: Make) -> None:
    root = make_project({"src/pages/api/x.ts": "export const GET = () => new Response('');\n"})
    for fmt, check in (
        ("sarif", lambda out: json.loads(out)["runs"][0]["results"] == []),
        ("gitlab", lambda out: json.loads(out) == []),
        ("junit", lambda out: "stage-lsp check" in out),
        ("github", lambda out: out.startswith("stage-lsp: all checks passed")),
        ("text", lambda out: out == ""),
    ):
        r = run_cli("check", str(root), "--output-format", fmt)
        assert r.code == 0 and check(r.out), fmt


def test_pre_commit_hooks_run_valid_commands() -> None:
    """Each hook's `entry` + `args` in .pre-commit-hooks.yaml is a command line the CLI accepts."""
    import re
    import shlex

    from stage_lsp.cli.main import build_parser
    from tests.conftest import REPO

    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    hooks = re.findall(r"^- id: (\S+)\n((?:  .*\n)+)", text, re.M)
    assert [h[0] for h in hooks] == ["stage-lsp", "stage-lsp-fix"]
    for _, body in hooks:
        fields = dict(re.findall(r"^  (\w+): (.*)$", body, re.M))
        assert fields["pass_filenames"] == "false" and fields["language"] == "python"
        entry = shlex.split(fields["entry"])
        args = re.findall(r"[\w-]+", fields["args"])
        assert entry[0] == "stage-lsp"
        parsed = build_parser().parse_args([*entry[1:], *args])
        assert parsed.command == "check" and parsed.quiet
