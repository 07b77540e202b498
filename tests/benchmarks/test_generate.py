"""The benchmark generator and harness: deterministic, well-formed workspaces and a valid results file.

Nothing here asserts a duration: the harness runs at the tiny size, once, and only the shape of what
it writes is checked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pglast
import pytest
import tree_sitter as ts
import tree_sitter_javascript as ts_javascript
import tree_sitter_typescript as ts_typescript
from benchmarks.harness import SCHEMA, SIZE_KEYS, main, table
from benchmarks.lsp_bench import LspResult, LspRun, summarise

from benchmarks import generate as gen
from benchmarks import report
from stage_lsp.core.keys import endpoint_key

MIGRATION_NAME = re.compile(r"^\d{14}_[a-z0-9_]+\.sql$")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return gen.generate("tiny", tmp_path_factory.mktemp("ws"))


def test_generation_is_deterministic(tiny: dict[str, Any], tmp_path: Path) -> None:
    again = gen.generate("tiny", tmp_path)
    assert again["digest"] == tiny["digest"]
    first = sorted(p.relative_to(tiny["root"]).as_posix() for p in Path(tiny["root"]).rglob("*"))
    second = sorted(p.relative_to(again["root"]).as_posix() for p in Path(again["root"]).rglob("*"))
    assert first == second


def test_sizes_differ_in_content() -> None:
    small, _ = gen._project_files(gen.SIZES["small"])
    tiny, _ = gen._project_files(gen.SIZES["tiny"])
    assert small.keys() != tiny.keys()


def test_manifest_counts_match_the_size(tiny: dict[str, Any]) -> None:
    size = gen.SIZES["tiny"]
    root = Path(tiny["root"])
    ts_files = [p for p in root.rglob("*.ts")]
    assert len(ts_files) == size.ts_files
    migrations = sorted(p.name for p in (root / "supabase" / "migrations").iterdir())
    assert len(migrations) == size.migrations
    assert all(MIGRATION_NAME.match(m) for m in migrations), migrations
    assert len(set(m[:14] for m in migrations)) == len(migrations)
    assert sorted(p.name for p in (root / ".ai").iterdir()) == [
        "api-plan.md",
        "db-plan.md",
        "prd.md",
        "stages-plan.md",
    ]
    files = [p for p in root.rglob("*") if p.is_file()]
    assert tiny["files"] == len(files)
    assert tiny["bytes"] == sum(p.stat().st_size for p in files)
    assert tiny["planned_endpoints"] == size.endpoints
    assert tiny["tables"] == size.tables
    assert json.loads((root.parent / "tiny.json").read_text()) == tiny


def test_every_generated_file_parses(tiny: dict[str, Any]) -> None:
    root = Path(tiny["root"])
    typescript = ts.Parser(ts.Language(ts_typescript.language_typescript()))
    javascript = ts.Parser(ts.Language(ts_javascript.language()))
    for path in root.rglob("*"):
        if path.suffix == ".ts":
            assert not typescript.parse(path.read_bytes()).root_node.has_error, path
        elif path.suffix == ".mjs":
            assert not javascript.parse(path.read_bytes()).root_node.has_error, path
        elif path.suffix == ".sql":
            pglast.parse_sql(path.read_text(encoding="utf-8"))


def test_route_files_serve_the_planned_endpoints_with_the_built_in_drift() -> None:
    files, info = gen._project_files(gen.SIZES["small"])
    exported = re.compile(r"^export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b", re.M)
    served = set()
    for rel, text in files.items():
        if rel.startswith("src/pages/api/"):
            path = rel[len("src/pages") : -len(".ts")].removesuffix("/index")
            served |= {endpoint_key(m, path) for m in exported.findall(text)}
    assert len(served) == info["served_routes"]
    drift = info["drift"]
    assert drift["missing"] >= 1 and drift["unplanned"] >= 1 and drift["method_changed"] >= 1
    assert 0 < info["route_files"] < gen.SIZES["small"].ts_files


def test_plans_mix_notations_and_languages() -> None:
    files, _ = gen._project_files(gen.SIZES["small"])
    api = files[".ai/api-plan.md"]
    notations = {
        "heading": re.search(r"^#### `?\*{0,2}(GET|POST|PATCH|DELETE) /api/", api, re.M),
        "fields": re.search(r"^- \*\*(Method|Metoda)\*\*: `", api, re.M),
        "bold_bullet": re.search(r"^- \*\*(GET|POST|PATCH|DELETE) `/api/", api, re.M),
        "table": re.search(r"^\| (GET|POST|PATCH|DELETE) \| `/api/", api, re.M),
        "bold_code": re.search(r"^\*\*(GET|POST|PATCH|DELETE)\*\* `/api/", api, re.M),
    }
    assert sum(1 for m in notations.values() if m) >= 3, notations
    assert "Błędy" in api and "Errors" in api
    assert ":" in api and "{" in api  # both parameter styles
    db = files[".ai/db-plan.md"]
    assert "| Kolumna | Typ |" in db or "| Column | Type |" in db
    assert "```sql" in db
    sql = "\n".join(t for rel, t in files.items() if rel.endswith(".sql"))
    for statement in (
        "create policy",
        "disable row level security",
        "enable row level security",
        "security definer",
    ):
        assert statement in sql


def test_lsp_edit_targets_an_index_route(tiny: dict[str, Any]) -> None:
    edit = tiny["lsp_edit"]
    path = Path(tiny["root"]) / edit["file"]
    assert edit["file"].startswith("src/pages/api/") and path.is_file()
    assert "export const PUT" not in path.read_text()
    typescript = ts.Parser(ts.Language(ts_typescript.language_typescript()))
    edited = (path.read_text() + edit["append"]).encode()
    assert not typescript.parse(edited).root_node.has_error


def test_summarise_takes_the_median_of_per_run_percentiles() -> None:
    runs = [
        LspRun(1.0, 100.0, [float(x) for x in range(1, 101)], 100),
        LspRun(3.0, 300.0, [float(x) * 2 for x in range(1, 101)], 100),
        LspRun(2.0, 200.0, [float(x) * 3 for x in range(1, 101)], 100),
    ]
    s = summarise(LspResult(runs))
    assert s["lsp_initial_index_s"] == 2.0
    assert s["lsp_rss_mb"] == 200.0
    assert s["lsp_edit_p50_ms"] == pytest.approx(50.5 * 2)
    assert s["lsp_edit_max_ms"] == 200.0
    assert summarise(None) == dict.fromkeys(s)


def test_tiny_run_writes_a_results_file_with_every_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.json"
    args = ["--sizes", "tiny", "--runs", "1", "--edits", "2", "--output", str(out)]
    assert main([*args, "--workspaces", str(tmp_path / "ws")]) == 0
    results = json.loads(out.read_text())
    jsonschema.validate(results, json.loads(SCHEMA.read_text()))
    assert list(results["sizes"]) == ["tiny"]
    record = results["sizes"]["tiny"]
    assert set(SIZE_KEYS) <= set(record)
    for key in ("floor_s", "cold_check_s", "ts_parse_s", "ts_index_one_core_s", "startup_s"):
        value = record.get(key, results.get(key))
        assert isinstance(value, float), key
    assert results["ratios"]["size"] == "tiny"
    notes = " ".join(results["notes"])
    if record["warm_check_s"] is None:
        assert "warm_check_s is null" in notes
    else:  # a check after one edit, with the cache warm: measured, and the edited file put back
        assert isinstance(record["edit_check_s"], float) and isinstance(
            record["cpu_s"]["edit_check_s"], float
        )
        manifest = json.loads((tmp_path / "ws" / "tiny.json").read_text())
        edited = tmp_path / "ws" / "tiny" / manifest["lsp_edit"]["file"]
        assert "benchmark edit" not in edited.read_text()
    if record["lsp_initial_index_s"] is None:
        assert "lsp_" in notes or "LSP run" in notes
    printed = capsys.readouterr().out
    assert all(key in printed for key in SIZE_KEYS)
    assert table(results) in printed
    assert report.main([str(out)]) == 0
    markdown = capsys.readouterr().out
    assert "| `ts_index_one_core_s` | " in markdown and "### Growth" in markdown
