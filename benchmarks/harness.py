"""The benchmark run behind `make bench`: measure every size, write results.json, print a table.

Per size: generate the workspace afresh (seeded), then N fresh-process runs of each measurement (the parse
floor, the TypeScript index on one core, the cold check, the warm check when a cache exists, the language
server when `stage-lsp server` exists); then start-up on an empty project and the real corpus plans.
Every figure is the median of its N runs (wall time; `cpu_s` holds the CPU time of the same spans, which
a loaded machine disturbs less); the ratios are computed from the medians of the largest size measured.
A figure whose feature does not exist yet is null, and `notes` says why.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.generate import BENCH_SIZES, SIZES, WORKSPACES, generate
from benchmarks.lsp_bench import measure_lsp, summarise
from benchmarks.measure import (
    BenchError,
    CheckRun,
    check_help,
    clear_cache,
    compile_bytecode,
    machine,
    probe,
    run_check,
    stage_lsp_command,
)

RESULTS = Path(__file__).resolve().parent / "results.json"
SCHEMA = Path(__file__).resolve().parent / "results.schema.json"
SIZE_KEYS = (
    "files",
    "bytes",
    "floor_s",
    "cold_check_s",
    "warm_check_s",
    "edit_check_s",
    "lsp_initial_index_s",
    "lsp_edit_p50_ms",
    "lsp_edit_p95_ms",
    "lsp_edit_p99_ms",
    "lsp_edit_max_ms",
    "lsp_rss_mb",
    "ts_parse_s",
    "ts_index_one_core_s",
)
CPU_KEYS = ("floor_s", "ts_parse_s", "ts_index_one_core_s", "cold_check_s", "warm_check_s", "edit_check_s")
T = TypeVar("T")


def _one_edit(stage_lsp: list[str], root: Path, rel: str) -> Callable[[], CheckRun]:
    """A check with the cache warm and one source file changed since the last run: each call appends a
    different comment to `rel` for the run, then puts the file back as it was."""
    target = root / rel
    original = target.read_bytes()
    count = [0]

    def run() -> CheckRun:
        count[0] += 1
        target.write_bytes(original + f"\n// benchmark edit {count[0]}\n".encode())
        try:
            return run_check(stage_lsp, root, [])
        finally:
            target.write_bytes(original)  # the next run sees it changed again (a new comment)

    return run


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _repeat(what: str, runs: int, fn: Callable[[], T], notes: list[str]) -> list[T]:
    """`runs` results of `fn`, or none (with a note) when one fails."""
    out: list[T] = []
    for _ in range(runs):
        try:
            out.append(fn())
        except BenchError as exc:
            notes.append(f"{what}: {exc}")
            return []
    return out


def bench_size(
    name: str, args: argparse.Namespace, stage_lsp: list[str], has_cache: bool, notes: list[str]
) -> dict[str, Any]:
    _log(f"[{name}] generating")
    manifest = generate(name, args.workspaces)
    root = Path(manifest["root"])
    runs = args.runs

    _log(f"[{name}] parse floor x{runs}")
    floors = _repeat(f"{name} floor", runs, lambda: probe("floor", root), notes)
    errors = {k: v for f in floors[:1] for k, v in f["parse_errors"].items() if v}
    if errors:
        notes.append(f"{name}: the generated files do not all parse: {errors}")

    _log(f"[{name}] TypeScript index on one core x{runs}")
    indexes = _repeat(f"{name} ts-index", runs, lambda: probe("ts-index", root), notes)

    _log(f"[{name}] cold check x{runs}")

    def cold() -> CheckRun:
        clear_cache(root)
        return run_check(stage_lsp, root, ["--no-cache"] if has_cache else [])

    colds = _repeat(f"{name} cold check", runs, cold, notes)
    warms: list[CheckRun] = []
    edits: list[CheckRun] = []
    if has_cache:
        _log(f"[{name}] warm check x{runs}")
        clear_cache(root)
        warms = _repeat(f"{name} warm check", runs + 1, lambda: run_check(stage_lsp, root, []), notes)[1:]
        _log(f"[{name}] check after one edit x{runs}")
        edits = _repeat(
            f"{name} edit check", runs, _one_edit(stage_lsp, root, manifest["lsp_edit"]["file"]), notes
        )

    lsp = None
    if args.edits > 0:
        _log(f"[{name}] language server x{runs} ({args.edits} edits each)")
        edit = manifest["lsp_edit"]
        lsp = measure_lsp(stage_lsp, root, edit["file"], edit["append"], runs, args.edits)
        if lsp is not None:
            notes.extend(lsp.notes)

    def med(rows: list[dict[str, Any]], key: str) -> float | None:
        return _median([float(r[key]) for r in rows])

    record: dict[str, Any] = {
        "files": manifest["files"],
        "bytes": manifest["bytes"],
        "floor_s": med(floors, "floor_s"),
        "cold_check_s": _median([c.seconds for c in colds]),
        "warm_check_s": _median([c.seconds for c in warms]),
        "edit_check_s": _median([c.seconds for c in edits]),
        **summarise(lsp),
        "ts_parse_s": med(floors, "ts_parse_s"),
        "ts_index_one_core_s": med(indexes, "ts_index_one_core_s"),
        "floor_parts": {k: med(floors, k) for k in ("read_s", "ts_parse_s", "sql_parse_s", "md_parse_s")},
        "cpu_s": {
            "floor_s": _median([float(f["cpu"]["floor_s"]) for f in floors]),
            "ts_parse_s": _median([float(f["cpu"]["ts_parse_s"]) for f in floors]),
            "ts_index_one_core_s": _median([float(i["cpu"]["ts_index_one_core_s"]) for i in indexes]),
            "cold_check_s": _median([c.cpu_seconds for c in colds]),
            "warm_check_s": _median([c.cpu_seconds for c in warms]),
            "edit_check_s": _median([c.cpu_seconds for c in edits]),
        },
        "ts_files": int(floors[-1]["ts_files"]) if floors else None,
        "diagnostics": colds[-1].diagnostics if colds else None,
        "routes_indexed": int(indexes[-1]["routes"]) if indexes else None,
        "generator": {"version": manifest["generator_version"], "digest": manifest["digest"]},
    }
    return {k: record[k] for k in (*SIZE_KEYS, *(k for k in record if k not in SIZE_KEYS))}


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def run(args: argparse.Namespace) -> dict[str, Any]:
    notes: list[str] = [compile_bytecode()]
    stage_lsp = stage_lsp_command()
    info = machine()
    has_cache = "--no-cache" in check_help(stage_lsp)
    if not has_cache:
        notes.append("warm_check_s is null: `stage-lsp check` has no cache yet (no --no-cache option)")
    sizes: dict[str, Any] = {}
    for name in args.sizes:
        sizes[name] = bench_size(name, args, stage_lsp, has_cache, notes)
    lsp_missing = args.edits > 0 and all(sizes[s]["lsp_initial_index_s"] is None for s in sizes)
    if lsp_missing and not any("LSP run" in n for n in notes):
        notes.append("lsp_* are null: `stage-lsp server` is not available yet")

    _log(f"[startup] empty project x{args.runs}")
    empty = args.workspaces / "empty"
    empty.mkdir(parents=True, exist_ok=True)
    startups = _repeat("startup", args.runs, lambda: run_check(stage_lsp, empty, []), notes)

    real: list[dict[str, Any]] = []
    corpus = args.corpus
    if corpus is not None and (corpus / "INDEX.tsv").is_file():
        _log(f"[real plans] {corpus} x{args.runs}")
        real = _repeat("real plans", args.runs, lambda: probe("real-plans", corpus), notes)
    else:
        notes.append("real_plans_read_s is null: the corpus was not found (set STAGE_LSP_CORPUS)")

    largest = max(sizes, key=lambda s: list(SIZES).index(s)) if sizes else None
    top = sizes.get(largest, {}) if largest else {}
    info["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    for name, rec in sizes.items():
        if rec["diagnostics"] is not None:
            notes.append(f"{name}: the cold check reported {rec['diagnostics']} diagnostics")
    return {
        "version": 1,
        "machine": info,
        "runs": args.runs,
        "edits": args.edits,
        "sizes": sizes,
        "startup_s": _median([s.seconds for s in startups]),
        "real_plans_read_s": _median([float(r["real_plans_read_s"]) for r in real]),
        "cpu_s": {
            "startup_s": _median([s.cpu_seconds for s in startups]),
            "real_plans_read_s": _median([float(r["cpu"]["real_plans_read_s"]) for r in real]),
        },
        "ratios": {
            "cold_over_floor": _ratio(top.get("cold_check_s"), top.get("floor_s")),
            "warm_over_cold": _ratio(top.get("warm_check_s"), top.get("cold_check_s")),
            "size": largest,
        },
        "notes": notes,
    }


def validate(results: dict[str, Any]) -> None:
    """Check results against results.schema.json (when jsonschema is installed)."""
    try:
        import jsonschema
    except ImportError:
        return
    jsonschema.validate(results, json.loads(SCHEMA.read_text(encoding="utf-8")))


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 100 else f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    names = list(sizes)
    width = max(len(k) for k in (*SIZE_KEYS, *(f"cpu {c}" for c in CPU_KEYS), "cold_over_floor (medium)")) + 2
    lines = ["metric".ljust(width) + "".join(n.rjust(12) for n in names)]
    lines.append("-" * len(lines[0]))
    for key in SIZE_KEYS:
        lines.append(key.ljust(width) + "".join(_fmt(sizes[n][key]).rjust(12) for n in names))
    lines.append("-" * len(lines[0]))
    for key in CPU_KEYS:
        label = f"cpu {key}".ljust(width)
        lines.append(label + "".join(_fmt(sizes[n].get("cpu_s", {}).get(key)).rjust(12) for n in names))
    lines.append("-" * len(lines[0]))
    for key in ("startup_s", "real_plans_read_s"):
        cpu = results.get("cpu_s", {}).get(key)
        lines.append(key.ljust(width) + _fmt(results[key]).rjust(12) + f"   (cpu {_fmt(cpu)})")
    for key, value in results["ratios"].items():
        if key != "size":
            lines.append(f"{key} ({results['ratios']['size']})".ljust(width) + _fmt(value).rjust(12))
    if results.get("notes"):
        lines += ["", "notes:", *(f"- {n}" for n in results["notes"])]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default=",".join(BENCH_SIZES), help="comma-separated: tiny, small, medium, large"
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per figure (the median is reported; default 5)"
    )
    parser.add_argument(
        "--edits", type=int, default=200, help="LSP edits per run (0 skips the LSP; default 200)"
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--workspaces", type=Path, default=WORKSPACES)
    env_corpus = os.environ.get("STAGE_LSP_CORPUS")
    parser.add_argument("--corpus", type=Path, default=Path(env_corpus) if env_corpus else None)
    args = parser.parse_args(argv)
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in args.sizes if s not in SIZES]
    if unknown or args.runs < 1:
        parser.error(f"unknown size(s) {unknown}" if unknown else "--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results = run(args)
    validate(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\nwritten: {args.output}")
    return 0
