"""examples/flashcards: what EXPECTED.md lists is what the checker says."""

from __future__ import annotations

import re
from typing import Any

import pytest

from stage_lsp.rules import BY_CODE
from tests.conftest import EXAMPLE, run_cli

ROW = re.compile(r"^\| (SL\d{3}) \| (\S+):(\d+) \| (.+) \|$")


def expected_rows(section: str) -> list[tuple[str, str, int]]:
    text = (EXAMPLE / "EXPECTED.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return [(m[1], m[2], int(m[3])) for line in body.splitlines() if (m := ROW.match(line))]


@pytest.fixture(scope="module")
def reported() -> set[tuple[str, str, int]]:
    result = run_cli("--check", str(EXAMPLE), "--output-format", "json")
    assert result.code == 1, result.err
    doc: Any = result.json()
    return {(d["code"], d["file"], d["line"]) for d in doc["diagnostics"]}


def test_expected_md_is_well_formed() -> None:
    assert len(expected_rows("Reported")) >= 20
    assert expected_rows("Not reported")
    for _, file, line in expected_rows("Reported") + expected_rows("Not reported"):
        lines = (EXAMPLE / file).read_text(encoding="utf-8").splitlines()
        assert 1 <= line <= max(1, len(lines)), f"{file}:{line} is outside the file"


@pytest.mark.parametrize("row", expected_rows("Reported"), ids=lambda r: f"{r[0]}@{r[1]}:{r[2]}")
def test_each_expected_drift_is_reported(
    row: tuple[str, str, int], reported: set[tuple[str, str, int]]
) -> None:
    if row[0] not in BY_CODE:
        pytest.skip(f"{row[0]} is not implemented yet")
    assert row in reported


def test_nothing_else_is_reported(reported: set[tuple[str, str, int]]) -> None:
    expected = set(expected_rows("Reported"))
    assert sorted(reported - expected) == []


@pytest.mark.parametrize("row", expected_rows("Not reported"), ids=lambda r: f"{r[0]}@{r[1]}:{r[2]}")
def test_traps_stay_silent(row: tuple[str, str, int], reported: set[tuple[str, str, int]]) -> None:
    assert row not in reported


def test_the_readme_quotes_what_make_demo_prints() -> None:
    """The README's quick start shows lines of `make demo`'s output: they must be what it prints."""
    readme = (EXAMPLE.parents[1] / "README.md").read_text(encoding="utf-8")
    quoted = readme.split("`make demo` prints", 1)[1].split("```", 2)[1].strip("\n").splitlines()
    assert len(quoted) >= 2
    shown = run_cli("--check", str(EXAMPLE), "--show-related").out
    for line in quoted:
        assert line in shown.splitlines(), line
