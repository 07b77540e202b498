"""`stage-lsp check` answered from the whole-check result cache: the same bytes, exit code and notices as
a full check in every format, no engine imported, bypassed where it must be, and always equal to a
`--no-cache` run after any change to the project."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stage_lsp.cli import checking, result_cache
from stage_lsp.cli.main import build_parser, main
from stage_lsp.config.discovery import discover
from stage_lsp.config.project import load_config
from tests.conftest import SERVER, copy_example

HOUR_NS = 3600 * 10**9
ROUTE = "src/pages/api/decks/index.ts"
PLAN = ".ai/api-plan.md"


def age(root: Path) -> None:
    """Every file an hour old: nothing is racy, the key is the files' stat alone."""
    past = time.time_ns() - HOUR_NS
    for path in root.rglob("*"):
        if path.is_file() and ".stage-lsp-cache" not in path.parts:
            os.utime(path, ns=(past, past))


class Runs:
    """Runs `stage-lsp` in this process and counts the full checks (the result cache's misses)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.full = 0
        real = checking.check_loaded

        def counted(*args: object, **kwargs: object) -> int:
            self.full += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(checking, "check_loaded", counted)
        monkeypatch.delenv("STAGE_LSP_CACHE_DIR", raising=False)
        monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", *argv])
        return code, out.getvalue(), err.getvalue()


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> Runs:
    return Runs(monkeypatch)


OPTIONS = [
    [],
    ["--show-related"],
    ["--quiet"],
    ["--statistics"],
    ["--show-fixes", "--unsafe-fixes"],
    ["--output-format", "json"],
    ["--output-format", "json", "--statistics"],
    ["--output-format", "sarif"],
    ["--output-format", "github"],
    ["--output-format", "gitlab"],
    ["--output-format", "junit", "--fail-on", "error"],
    ["--exit-zero", "--fail-on", "info"],
    ["--select", "SL1", "--ignore", "SL102"],
    ["--stage", "1"],
]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: " ".join(o) or "text")
def test_every_format_prints_the_same_from_the_result_cache(
    options: list[str], runs: Runs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_example(tmp_path)
    age(root)
    summary = tmp_path / "summary.md"
    if "github" in options:
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    reference = runs(str(root), *options, "--no-cache")
    expected_summary = summary.read_text() if summary.exists() else None
    summary.unlink(missing_ok=True)
    assert runs(str(root), *options) == reference  # a miss: the full check, result stored
    assert runs.full == 2
    summary.unlink(missing_ok=True)
    assert runs(str(root), *options) == reference  # answered from the result cache
    assert runs.full == 2
    assert (summary.read_text() if summary.exists() else None) == expected_summary
    assert reference[1]  # the formats print something on this project


def test_output_file_and_a_baseline_with_a_stale_entry_are_answered_the_same(
    runs: Runs, tmp_path: Path
) -> None:
    root = copy_example(tmp_path)
    base = tmp_path / "baseline.json"
    assert runs(str(root), "--baseline", str(base), "--baseline-update")[0] == 0
    doc = json.loads(base.read_text())
    dropped = doc["entries"].pop()  # one finding is new again
    doc["entries"].append({**dropped, "fingerprint": "1:gone", "message": "fixed since"})  # and one stale
    base.write_text(json.dumps(doc))
    age(root)
    out = tmp_path / "out.json"
    argv = (str(root), "--baseline", str(base), "--output-format", "json", "--output-file", str(out))
    reference = runs(*argv, "--no-cache")
    reference_out = out.read_text()
    assert "stale" in reference[2] and json.loads(reference_out)["summary"]["diagnostics"] == 1
    before = runs.full
    assert runs(*argv) == reference  # stores
    assert runs(*argv) == reference  # answers
    assert runs.full == before + 1
    assert out.read_text() == reference_out
    base.write_text("not json")  # a broken baseline: the full path reports it, as without the cache
    assert runs(*argv) == runs(*argv, "--no-cache")
    assert runs(*argv)[0] == 2


def test_a_report_written_into_the_project_does_not_spoil_the_next_hit(runs: Runs, tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    age(root)
    argv = (str(root), "--output-format", "sarif", "--output-file", str(root / "stage-lsp.sarif"))
    first = runs(*argv)
    report = (root / "stage-lsp.sarif").read_text()
    assert runs(*argv) == first  # the report now exists in the project: still a hit
    assert runs.full == 1
    assert (root / "stage-lsp.sarif").read_text() == report
    assert runs(*argv, "--no-cache") == first


@pytest.mark.parametrize(
    "mode",
    [
        ["--fix"],
        ["--diff"],
        ["--since", "HEAD"],
        ["--baseline", "b.json", "--baseline-update"],
        ["--show-files"],
    ],
)
def test_modes_that_write_or_read_history_bypass_the_result_cache(mode: list[str], tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    args = build_parser().parse_args(["check", str(root), *mode])
    project = load_config(root)
    assert result_cache.try_answer(args, project, discover(root, project.settings)) == (None, None)


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_hit_imports_no_engine_rule_reader_or_parser(fmt: str, tmp_path: Path) -> None:
    """SARIF too: the rule descriptors it needs are stored with the findings."""
    root = copy_example(tmp_path)
    age(root)
    heavy = (
        "stage_lsp.engine.run",
        "stage_lsp.rules",
        "stage_lsp.plan",
        "stage_lsp.sql",
        "stage_lsp.workspace.workspace",
        "stage_lsp.cli.checking",
        "tree_sitter",
        "pglast",
        "markdown_it",
        "pydantic",
    )
    script = (
        "import sys\n"
        "from stage_lsp.cli.main import main\n"
        f"main(['check', {str(root)!r}, '--output-format', {fmt!r}])\n"
        f"print('LOADED', sorted(m for m in sys.modules if m.startswith({heavy!r})), file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SERVER)}
    env.pop("STAGE_LSP_CACHE_DIR", None)

    def loaded() -> str:
        proc = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
        )
        return proc.stderr.strip().splitlines()[-1]

    assert loaded() != "LOADED []"  # the first run checks (and stores)
    assert loaded() == "LOADED []"  # the second is answered from the stored result


def test_a_file_read_outside_the_walk_is_followed(runs: Runs, tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    plan = root / ".ai/db-plan.md"
    plan.write_text(plan.read_text() + "\n## More\n\n[details](./tables/extra.md)\n", encoding="utf-8")
    (root / ".ai/tables").mkdir()
    (root / ".ai/tables/extra.md").write_text("# extra\n\nNothing yet.\n", encoding="utf-8")
    (root / ".gitignore").write_text(".ai/tables/\n", encoding="utf-8")
    age(root)
    assert runs(str(root)) == runs(str(root), "--no-cache")
    before = runs.full
    assert runs(str(root)) == runs(str(root), "--no-cache")
    assert runs.full == before + 1  # the cached run was a hit
    table = "```sql\ncreate table extra (id uuid primary key);\n```\n"
    (root / ".ai/tables/extra.md").write_text("# extra\n\n" + table, encoding="utf-8")
    changed = runs(str(root), "--no-cache")
    assert runs(str(root)) == changed


# -- after any change, a cached run equals a --no-cache run ---------------------------------------------


def _edit(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


def _same_size_rewrite(root: Path, rel: str) -> None:
    """Change a word for another of the same length and put the mtime back."""
    path = root / rel
    if not path.is_file():
        return
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    swapped = text.replace("GET", "PUT", 1) if "GET" in text else text.replace("PUT", "GET", 1)
    path.write_text(swapped, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


OPS: dict[str, Callable[[Path], None]] = {
    "nothing": lambda root: None,
    "append an unplanned handler": lambda root: _edit(
        root, ROUTE, "\nexport const DELETE = async () => new Response(null, { status: 204 });\n"
    ),
    "plan one more endpoint": lambda root: _edit(root, PLAN, "\n#### GET /api/extra\n\nReturns 200.\n"),
    "add a route file": lambda root: _edit(
        root, "src/pages/api/extra.ts", "export const GET = async () => new Response('[]');\n"
    ),
    "delete a route file": lambda root: (root / "src/pages/api/flashcards/export.ts").unlink(missing_ok=True),
    "same-size rewrite of the plan": lambda root: _same_size_rewrite(root, PLAN),
    "same-size rewrite of a route": lambda root: _same_size_rewrite(root, ROUTE),
    "touch a file": lambda root: os.utime(root / PLAN),
    "age every file": age,
    "ignore a route in the config": lambda root: (root / "stage-lsp.toml").write_text('ignore = ["SL102"]\n'),
    "remove the config": lambda root: (root / "stage-lsp.toml").unlink(missing_ok=True),
    "gitignore a route file": lambda root: _edit(root, ".gitignore", "src/pages/api/decks/index.ts\n"),
}


@contextlib.contextmanager
def example_copy() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield copy_example(Path(tmp))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(st.sampled_from(sorted(OPS)), min_size=1, max_size=4))
def test_after_any_changes_a_cached_run_equals_a_no_cache_run(ops: list[str], runs: Runs) -> None:
    with example_copy() as root:
        age(root)
        runs(str(root), "--output-format", "json")  # the result is stored
        for op in ops:
            OPS[op](root)
            cached = runs(str(root), "--output-format", "json")
            assert cached == runs(str(root), "--output-format", "json", "--no-cache"), op
