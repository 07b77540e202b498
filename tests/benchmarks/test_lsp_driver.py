"""The benchmark's LSP driver against a stand-in pygls server (the real `stage-lsp server` may not exist).

Checks the protocol side only: the driver gets through initialize, progress and didOpen, sends every
edit and reads a diagnostics change for each. No duration is asserted.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from benchmarks.lsp_bench import measure_lsp, one_run

from benchmarks import generate as gen

STUB = Path(__file__).resolve().parent / "lsp_stub_server.py"


@pytest.mark.lsp
def test_driver_measures_every_edit_against_a_pygls_server(tmp_path: Path) -> None:
    manifest = gen.generate("tiny", tmp_path / "ws")
    edit = manifest["lsp_edit"]
    run = one_run(
        [sys.executable, str(STUB)],
        Path(manifest["root"]),
        edit["file"],
        edit["append"],
        edits=6,
        log=tmp_path / "stderr.log",
        settle=0.1,
    )
    assert len(run.edit_ms) == 6
    assert run.changed == 6  # each edit adds or removes the stand-in's diagnostic
    assert all(ms >= 0 for ms in run.edit_ms)
    assert run.initial_index_s > 0
    if Path("/proc/self/status").exists():
        assert run.rss_mb > 0


def test_no_server_command_means_no_lsp_figures(tmp_path: Path) -> None:
    # A "stage-lsp" whose `server --help` fails stands for a build without the language server.
    assert measure_lsp([sys.executable, "-c", "raise SystemExit(2)"], tmp_path, "x.ts", "", 1, 1) is None
