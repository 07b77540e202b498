"""Every real corpus project is checked without a traceback or an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import corpus_dir, run_cli

pytestmark = pytest.mark.corpus


def _projects() -> list[str]:
    root = corpus_dir()
    return sorted(p.name for p in (root / "docs").iterdir() if p.is_dir()) if root else ["(no corpus)"]


@pytest.mark.parametrize("name", _projects())
def test_check_runs_cleanly(name: str, corpus: Path) -> None:
    result = run_cli(
        "--check", str(corpus / "docs" / name), "--output-format", "json", "--no-cache"
    )  # read-only data
    assert result.code in (0, 1), result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert isinstance(result.json(), dict)
