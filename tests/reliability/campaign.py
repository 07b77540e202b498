"""The long fuzz campaign: the CI targets with random seeds and far more inputs, with its figures.

    STAGE_LSP_CORPUS=/work/shared/corpus .venv/bin/python -m tests.reliability.campaign --inputs 100000

Inputs are split over the targets by weight (tests/reliability/registry.py) and run in chunks, each with
its own seed (printed, so a chunk can be replayed with `--seed`). A failing chunk is shrunk by Hypothesis
and recorded (target, seed, exception, the smallest input) and the campaign goes on. The summary (inputs,
failures, time, slowest input per target) is printed as a markdown table and written as JSON (`--out`).
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import os
import pickle
import random
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import seed as hypothesis_seed

from tests.reliability.registry import TARGETS, FuzzTarget, fuzz_settings

CHUNK = 1_000
SLOW_S = 5.0  # an input slower than this is counted; one still running after HANG_S dumps its traceback
HANG_S = 120


@dataclass
class Figures:
    target: str
    inputs: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    slowest_s: float = 0.0
    largest_chars: int = 0
    slow_inputs: int = 0  # inputs that took longer than SLOW_S (a hang shows up here, with a traceback)


KEEP = Path(os.environ.get("STAGE_LSP_CAMPAIGN_KEEP", tempfile.gettempdir())) / "stage-lsp-campaign"


def _keep(target: str, n: int, value: Any) -> Path:
    """Save a slow input (pickled: text, bytes, tuples and dicts of them) so it can be replayed."""
    KEEP.mkdir(parents=True, exist_ok=True)
    path = KEEP / f"{target}-slow-{n}.pickle"
    path.write_bytes(pickle.dumps(value))
    return path


def _describe(value: Any) -> str:
    """A short account of an input: its size and its most repeated characters."""
    text = value if isinstance(value, str | bytes) else repr(value)
    sample = text if isinstance(text, str) else text.decode("latin-1")
    common = sorted({c: sample.count(c) for c in set(sample[:200_000])}.items(), key=lambda kv: -kv[1])[:4]
    return f"{_size(value):,} chars, most common {common}"


def _size(value: Any) -> int:
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, dict):
        return sum(_size(v) for v in value.values())
    if isinstance(value, tuple | list):
        return sum(_size(v) for v in value)
    return 0


def run_chunk(target: FuzzTarget, figures: Figures, examples: int, chunk_seed: int) -> None:
    @hypothesis_seed(chunk_seed)
    @fuzz_settings(examples, derandomize=False)
    @given(target.strategy)
    def run(value: Any) -> None:
        started = time.perf_counter()
        figures.inputs += 1
        figures.largest_chars = max(figures.largest_chars, _size(value))
        faulthandler.dump_traceback_later(HANG_S)
        try:
            target.run(value)
        finally:
            faulthandler.cancel_dump_traceback_later()
            took = time.perf_counter() - started
            figures.slowest_s = max(figures.slowest_s, took)
            if took > SLOW_S:
                figures.slow_inputs += 1
                kept = _keep(target.name, figures.slow_inputs, value)
                print(
                    f"{target.name}: slow input ({took:.1f}s, kept in {kept}): {_describe(value)}",
                    file=sys.stderr,
                    flush=True,
                )

    started = time.perf_counter()
    try:
        run()
    except Exception as exc:  # a found bug: record it (Hypothesis has shrunk it) and go on
        figures.failures.append(
            {
                "seed": str(chunk_seed),
                "error": f"{type(exc).__name__}: {exc}"[:4_000],
                "traceback": traceback.format_exc()[-4_000:],
            }
        )
    figures.seconds += time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.campaign")
    parser.add_argument("--inputs", type=int, default=100_000, help="total inputs over all targets")
    parser.add_argument("--targets", default="", help="comma-separated target names (default: all)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the chunk seeds (default: random)")
    parser.add_argument("--out", type=Path, default=Path("campaign-results.json"))
    args = parser.parse_args(argv)

    chosen = [t for t in TARGETS if not args.targets or t.name in args.targets.split(",")]
    total_weight = sum(t.weight for t in chosen)
    rng = random.Random(args.seed)
    results: list[Figures] = []
    started = time.perf_counter()
    for target in chosen:
        want = max(1, round(args.inputs * target.weight / total_weight))
        figures = Figures(target.name)
        results.append(figures)
        while figures.inputs < want:
            chunk_seed = rng.randrange(2**32)
            before = figures.inputs
            run_chunk(target, figures, min(CHUNK, want - figures.inputs), chunk_seed)
            print(
                f"{target.name}: {figures.inputs}/{want} inputs, {len(figures.failures)} failures, "
                f"{figures.seconds:.0f}s",
                file=sys.stderr,
                flush=True,
            )
            if figures.inputs == before:
                break
        _write(args.out, results, time.perf_counter() - started)
    print(_table(results, time.perf_counter() - started))
    return 1 if any(f.failures for f in results) else 0


def _write(out: Path, results: list[Figures], elapsed: float) -> None:
    doc = {
        "inputs": sum(f.inputs for f in results),
        "failures": sum(len(f.failures) for f in results),
        "seconds": round(elapsed, 1),
        "targets": [asdict(f) for f in results],
    }
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _table(results: list[Figures], elapsed: float) -> str:
    rows = [
        "| target | inputs | failures | time (s) | slowest input (s) | inputs > 5 s | largest input (chars) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for f in results:
        rows.append(
            f"| {f.target} | {f.inputs:,} | {len(f.failures)} | {f.seconds:.0f} | {f.slowest_s:.2f} "
            f"| {f.slow_inputs} | {f.largest_chars:,} |"
        )
    inputs = sum(f.inputs for f in results)
    failures = sum(len(f.failures) for f in results)
    slow = sum(f.slow_inputs for f in results)
    rows.append(f"| **all** | **{inputs:,}** | **{failures}** | {elapsed:.0f} | | {slow} | |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
