"""Timing helpers: fresh-process runs of the probes and of the real `stage-lsp` command, machine facts."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CACHE_DIRS = (".stage-lsp-cache",)


class BenchError(Exception):
    """A measured command failed: the figure is left null and the reason noted."""


def stage_lsp_command() -> list[str]:
    """The `stage-lsp` of the interpreter running the benchmark (the project's .venv under make)."""
    script = Path(sys.executable).parent / "stage-lsp"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "stage_lsp"]


def compile_bytecode() -> str:
    """Compile the checker's modules to bytecode, as installing a wheel does (pip byte-compiles on install),
    so that every run reads `__pycache__` instead of compiling ~200 modules from source (~0.2 s). An
    editable install only gets bytecode when Python may write it, and this machine sets
    PYTHONDONTWRITEBYTECODE=1: without this step each fresh process would pay for the compilation. Then
    the dataclass methods (`core.dataclass_code`), as `make` does after installing."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("stage_lsp")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    ok = all(compileall.compile_dir(folder, quiet=1) for folder in folders)
    # and the methods dataclasses writes, which no .pyc holds (`make` runs the same after installing)
    done = subprocess.run(
        [sys.executable, "-m", "stage_lsp.cli.precompile"], capture_output=True, text=True, check=False
    )
    ok = ok and done.returncode == 0
    where = ", ".join(folders) or "stage_lsp not found"
    return (
        f"bytecode of {where} and the dataclass methods (python -m stage_lsp.cli.precompile) compiled "
        f"before the runs ({'ok' if ok else 'with errors'})"
    )


def probe(name: str, target: Path) -> dict[str, Any]:
    """One run of `python -m benchmarks.probes NAME TARGET` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.probes", name, str(target)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"probe {name} failed (exit {done.returncode}): {done.stderr.strip()[-800:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def check_help(stage_lsp: list[str]) -> str:
    done = subprocess.run([*stage_lsp, "check", "--help"], capture_output=True, text=True, check=False)
    return done.stdout


@dataclass(frozen=True)
class CheckRun:
    seconds: float
    cpu_seconds: float  # user + system time of the child process
    exit_code: int
    diagnostics: int | None


def clear_cache(root: Path) -> None:
    for name in CACHE_DIRS:
        shutil.rmtree(root / name, ignore_errors=True)


def run_check(stage_lsp: list[str], root: Path, extra: list[str]) -> CheckRun:
    """`stage-lsp --check ROOT --output-format json` as a fresh process, timed from spawn to exit."""
    argv = [*stage_lsp, "--check", str(root), "--output-format", "json", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        raise BenchError(f"`{' '.join(argv[-6:])}` exited {done.returncode}: {done.stderr.strip()[-800:]}")
    count = None
    with contextlib.suppress(ValueError, KeyError, TypeError):
        count = int(json.loads(done.stdout)["summary"]["diagnostics"])
    return CheckRun(elapsed, cpu, done.returncode, count)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "cpus_usable": usable,
        "memory_gb": _memory_gb(),
        "load_avg_start": [round(x, 2) for x in os.getloadavg()],
        "git_commit": _git("rev-parse", "--short=12", "HEAD"),
        "git_dirty": bool(dirty) if dirty is not None else None,
        "libraries": {
            name: _version(name)
            for name in (
                "stage-lsp",
                "tree-sitter",
                "tree-sitter-typescript",
                "pglast",
                "markdown-it-py",
                "pygls",
            )
        },
    }
