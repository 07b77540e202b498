"""Shared fixtures: the repo's paths, the real corpus, a CLI runner and temporary projects."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "flashcards"
SERVER = REPO / "server"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def copy_example(dest: Path) -> Path:
    """A copy of examples/flashcards under `dest` to change (without any cache a run left in it)."""
    root = dest / "flashcards"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".stage-lsp-cache"))
    return root


def corpus_dir() -> Path | None:
    path = Path(os.environ.get("STAGE_LSP_CORPUS", REPO.parent / "shared" / "corpus"))
    if not path.is_absolute():
        path = (REPO / path).resolve()
    return path if (path / "INDEX.tsv").is_file() else None


def require_program(name: str) -> str:
    """Path of a system program; skipped with a reason when absent, a failure under CI=true."""
    found = shutil.which(name)
    if found:
        return found
    if IN_CI:
        pytest.fail(f"{name} is required in CI (.ci/run installs it) but was not found")
    pytest.skip(f"{name} is not installed")


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if path is None:
        if IN_CI:
            pytest.fail(
                "the real plan corpus is required in CI: set STAGE_LSP_CORPUS (default ../shared/corpus)"
            )
        pytest.skip("real plan corpus not found: set STAGE_LSP_CORPUS")
    return path


class CliResult:
    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self) -> object:
        return json.loads(self.out)


FINDING_LINE = re.compile(r"^\S.*:\d+:\d+: SL\d{3} ")


def finding_lines(out: str) -> list[str]:
    """The finding lines of text output (no summary, no fix hints)."""
    return [line for line in out.splitlines() if FINDING_LINE.match(line)]


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> CliResult:
    """Run `python -m stage_lsp ARGS` from this checkout (not an installed copy); `env` adds variables."""
    env = {**os.environ, "PYTHONPATH": str(SERVER), **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "stage_lsp", *args],
        cwd=cwd or REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return CliResult(proc)


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    return run_cli


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write a small project from {relative path: text} and return its root."""

    def make(files: dict[str, str]) -> Path:
        root = tmp_path / "project"
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        root.mkdir(exist_ok=True)
        return root

    return make


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Language-server tests (marked `lsp`) run last: they start servers and are the slowest."""
    items.sort(key=lambda item: item.get_closest_marker("lsp") is not None)
