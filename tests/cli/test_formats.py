"""Golden files: every output format on examples/flashcards.

The goldens in tests/cli/goldens/ change whenever a rule lands or a message changes. Regenerate them with
one command, `make goldens` (= `STAGE_LSP_UPDATE_GOLDENS=1 pytest tests/cli/test_formats.py`), and review
the diff. The absolute project path and the tool version are replaced by `<ROOT>` and `<VERSION>`.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from stage_lsp import __version__
from tests.conftest import EXAMPLE, run_cli

GOLDENS = Path(__file__).parent / "goldens"
UPDATE = os.environ.get("STAGE_LSP_UPDATE_GOLDENS") == "1"

CASES = {
    "flashcards.txt": ("--show-related",),
    "flashcards.json": ("--output-format", "json"),
    "flashcards.sarif": ("--output-format", "sarif"),
    "flashcards.github.txt": ("--output-format", "github"),
    "flashcards.gitlab.json": ("--output-format", "gitlab"),
    "flashcards.junit.xml": ("--output-format", "junit"),
    "flashcards.statistics.txt": ("--statistics",),
}


def normalise(text: str) -> str:
    root = str(EXAMPLE.resolve())
    text = text.replace(EXAMPLE.resolve().as_uri(), "file://<ROOT>").replace(root, "<ROOT>")
    return text.replace(f'"{__version__}"', '"<VERSION>"')


def check_golden(name: str, actual: str) -> None:
    path = GOLDENS / name
    if UPDATE:
        GOLDENS.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{name} is missing: run `make goldens`"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from the golden; if intended, run `make goldens` and review"


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)} if "github" in name else {}
    result = run_cli("check", str(EXAMPLE), "--no-cache", *CASES[name], env=env)
    assert result.code == 1, result.err
    check_golden(name, normalise(result.out))
    if "github" in name:
        check_golden("flashcards.github-summary.md", normalise(summary.read_text(encoding="utf-8")))


def test_goldens_are_well_formed() -> None:
    """The goldens parse as what they claim to be (so a bad golden cannot be accepted by `make goldens`)."""
    json.loads((GOLDENS / "flashcards.json").read_text())
    json.loads((GOLDENS / "flashcards.sarif").read_text())
    assert isinstance(json.loads((GOLDENS / "flashcards.gitlab.json").read_text()), list)
    ET.fromstring((GOLDENS / "flashcards.junit.xml").read_bytes())
    lines = (GOLDENS / "flashcards.github.txt").read_text().splitlines()
    assert lines[-1].startswith("stage-lsp: ")
    inside_group = False
    for line in lines[:-1]:  # workflow commands, or plain findings inside the overflow group
        if line.startswith(("::group::", "::endgroup::")):
            inside_group = line.startswith("::group::")
            continue
        assert line.startswith(("::error ", "::warning ", "::notice ")) or inside_group, line


def test_cached_and_uncached_runs_print_the_same() -> None:
    cold = run_cli("check", str(EXAMPLE), "--output-format", "json", "--no-cache").out
    first = run_cli("check", str(EXAMPLE), "--output-format", "json").out  # fills the cache (if needed)
    second = run_cli("check", str(EXAMPLE), "--output-format", "json").out  # reads it
    assert cold == first == second
