"""The command line: exit codes, formats, schemas, options."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from stage_lsp import __version__
from tests.conftest import EXAMPLE, SERVER, CliResult, copy_example

Cli = Callable[..., CliResult]
Make = Callable[[dict[str, str]], Path]
SCHEMAS = SERVER / "stage_lsp" / "render" / "schemas"

CLEAN = {
    ".ai/api-plan.md": "# API\n\n#### GET /api/decks\n",
    "src/pages/api/decks.ts": "export const GET = async () => new Response('[]');\n",
}
DRIFT = {
    ".ai/api-plan.md": "# API\n\n#### GET /api/decks\n\n#### POST /api/decks\n",
    "src/pages/api/decks.ts": "export const GET = async () => new Response('[]');\n",
}


def schema(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((SCHEMAS / name).read_text())
    return loaded


def test_no_arguments_prints_help(cli: Cli) -> None:
    r = cli()
    assert r.code == 0
    assert "usage: stage-lsp" in r.out


def test_version(cli: Cli) -> None:
    r = cli("--version")
    assert r.code == 0 and __version__ in r.out


def test_clean_project_exits_zero(cli: Cli, make_project: Make) -> None:
    r = cli("--check", str(make_project(CLEAN)))
    assert r.code == 0, r.out + r.err
    assert "All checks passed" in r.out


def test_findings_exit_one_and_text_format(cli: Cli, make_project: Make) -> None:
    root = make_project(DRIFT)
    r = cli("--check", str(root))
    assert r.code == 1
    first = r.out.splitlines()[0]
    assert first.startswith(".ai/api-plan.md:5:6: SL101 Planned endpoint `POST /api/decks`")
    assert "Found 1 diagnostic (1 warning)" in r.out
    assert cli("check", str(root)).out == r.out  # `check` and `--check` are the same


def test_fail_on_and_exit_zero(cli: Cli, make_project: Make) -> None:
    root = make_project(DRIFT)
    assert cli("--check", str(root), "--fail-on", "error").code == 0
    assert cli("--check", str(root), "--exit-zero").code == 0
    (root / "stage-lsp.toml").write_text('severity = { SL101 = "info" }\n')
    assert cli("--check", str(root)).code == 0
    assert cli("--check", str(root), "--fail-on", "info").code == 1


def test_select_and_ignore(cli: Cli, make_project: Make) -> None:
    root = make_project({**DRIFT, "src/pages/api/extra.ts": "export const GET = () => new Response('');\n"})

    def codes(*a: str) -> list[str]:
        doc = cli("--check", str(root), "--output-format", "json", *a).json()
        return sorted(d["code"] for d in doc["diagnostics"])

    assert codes() == ["SL101", "SL102"]
    assert codes("--select", "SL102") == ["SL102"]
    assert codes("--ignore", "SL1") == []
    assert codes("--select", "SL9", "--extend-select", "SL101") == ["SL101"]
    (root / "stage-lsp.toml").write_text('ignore = ["SL102"]\n')
    assert codes() == ["SL101"]
    assert codes("--select", "SL1") == ["SL101"]  # config ignore still applies


def test_bad_config_exits_two_naming_the_key(cli: Cli, make_project: Make) -> None:
    root = make_project({**CLEAN, "stage-lsp.toml": 'frameworkz = "astro"\n'})
    r = cli("--check", str(root))
    assert r.code == 2
    assert "frameworkz" in r.err


def test_usage_errors_exit_two(cli: Cli, tmp_path: Path) -> None:
    assert cli("--check", str(tmp_path / "nope")).code == 2
    assert cli("check", "--output-format", "xml").code == 2
    assert cli("rule", "SL999").code == 2


def test_no_plans_is_clean_with_a_notice(cli: Cli, make_project: Make) -> None:
    root = make_project({"src/pages/api/x.ts": "export const GET = () => new Response('');\n"})
    r = cli("--check", str(root), "--output-format", "json")
    assert r.code == 0
    doc = r.json()
    jsonschema.validate(doc, schema("check.schema.json"))
    assert isinstance(doc, dict) and doc["diagnostics"] == []
    assert len(r.err.strip().splitlines()) == 1 and "no plans found" in r.err


def test_check_json_matches_schema(cli: Cli) -> None:
    r = cli("--check", str(EXAMPLE), "--output-format", "json")
    assert r.code == 1
    doc = r.json()
    jsonschema.validate(doc, schema("check.schema.json"))
    assert isinstance(doc, dict)
    diags = doc["diagnostics"]
    assert diags, "the example has drift"
    assert diags == sorted(diags, key=lambda d: (d["file"], d["line"], d["column"], d["code"], d["message"]))
    assert doc["summary"]["diagnostics"] == len(diags)
    assert sum(doc["summary"]["by_code"].values()) == len(diags)
    assert all(d["related"] for d in diags if d["code"] in ("SL101", "SL102"))


def test_json_columns_count_code_points(cli: Cli, make_project: Make) -> None:
    root = make_project(
        {".ai/api-plan.md": "# Plan\n\n#### GET /api/żółwie — lista\n", "src/pages/api/x.ts": ""}
    )
    doc = cli("--check", str(root), "--output-format", "json").json()
    assert isinstance(doc, dict)
    (d,) = doc["diagnostics"]
    assert (d["line"], d["column"], d["end_column"]) == (3, 6, 6 + len("GET /api/żółwie"))


def test_dump_matches_schema(cli: Cli) -> None:
    r = cli("dump", str(EXAMPLE))
    assert r.code == 0, r.err
    doc = r.json()
    jsonschema.validate(doc, schema("dump.schema.json"))
    assert isinstance(doc, dict)
    keys = {e["key"] for e in doc["plan"]["endpoints"]}
    assert "GET /api/generations/{}" in keys
    assert doc["code"]["framework"] == "astro"
    routes = {r["key"] for r in doc["code"]["routes"]}
    assert "PATCH /api/flashcards/{}" in routes


def test_rule_documentation(cli: Cli) -> None:
    r = cli("rule", "sl101")
    assert r.code == 0
    assert r.out.startswith("# SL101 planned-endpoint-missing")
    assert "## Why is this bad?" in r.out
    listing = cli("rule", "--all").out
    assert "SL102  route-not-planned" in listing


def test_show_files_and_settings(cli: Cli) -> None:
    files = cli("check", str(EXAMPLE), "--show-files")
    assert files.code == 0
    assert "api-plan: .ai/api-plan.md" in files.out
    assert "framework: astro" in files.out
    assert "migration: supabase/migrations/20250301100000_create_decks_and_flashcards.sql" in files.out
    settings = cli("check", str(EXAMPLE), "--show-settings")
    assert json.loads(settings.out)["settings"]["framework"] == "auto"


def test_accepts_a_file_path(cli: Cli, make_project: Make) -> None:
    root = make_project(DRIFT)
    (root / ".git").mkdir()
    r = cli("--check", str(root / "src" / "pages" / "api" / "decks.ts"), "--output-format", "json")
    assert r.code == 1
    doc = r.json()
    assert isinstance(doc, dict) and Path(doc["root"]) == root.resolve()


@pytest.mark.parametrize(
    "content", [b"\x00\x01binary\x00" * 100, "# API\n#### GET /api/x\n".encode("utf-16")]
)
def test_unreadable_or_utf16_plans(cli: Cli, make_project: Make, content: bytes) -> None:
    root = make_project({"src/pages/api/x.ts": "export const GET = () => new Response('');\n"})
    (root / ".ai").mkdir()
    (root / ".ai" / "api-plan.md").write_bytes(content)
    doc = cli("--check", str(root), "--output-format", "json").json()
    assert isinstance(doc, dict)
    codes = sorted(d["code"] for d in doc["diagnostics"])
    if content.startswith(b"\x00"):
        assert codes == ["SL903"]  # an unreadable plan never makes every route "unplanned"
    else:
        assert codes == []  # UTF-16 plan is read: GET /api/x is planned and served


def test_a_check_stats_each_file_once_however_often_it_is_looked_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rules, suppressions and the secret scan each look at a file again; a one-shot check has no reason
    to ask the disk each time (on 2,300 files that was ~15,000 stat calls)."""
    import collections
    import contextlib
    import io
    import os
    import types

    from stage_lsp.cli.main import main
    from stage_lsp.workspace import workspace as ws_mod

    root = copy_example(tmp_path)
    counts: collections.Counter[str] = collections.Counter()

    def stat(path: str, *args: object, **kwargs: object) -> os.stat_result:
        counts[str(path)] += 1
        return os.stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ws_mod, "os", types.SimpleNamespace(**{**vars(os), "stat": stat}))
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--check", str(root), "--no-cache"]) == 1
    assert counts, "the workspace reads files through os.stat"
    assert counts.most_common(1)[0][1] == 1, counts.most_common(3)
