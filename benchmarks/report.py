"""Markdown for docs/performance.md from a results file: machine, figures, growth per file.

python -m benchmarks.report [benchmarks/results.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from benchmarks.harness import RESULTS, SIZE_KEYS

GROWTH_KEYS = ("floor_s", "ts_parse_s", "ts_index_one_core_s", "cold_check_s")


def _num(value: Any, digits: int = 3) -> str:
    if value is None:
        return "null"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.{digits}f}"


def machine(results: dict[str, Any]) -> str:
    m = results["machine"]
    libs = ", ".join(f"{k} {v}" for k, v in m.get("libraries", {}).items() if v)
    return (
        f"{m['cpu']}, {m['cpus_usable']} of {m['cpus']} CPUs usable, {m.get('memory_gb')} GB, "
        f"{m['platform']}, Python {m['python']}; {libs}. Run {m.get('date')} at commit "
        f"`{m.get('git_commit')}`; load average {m['load_avg_start'][0]} at the start and "
        f"{m.get('load_avg_end', ['?'])[0]} at the end (the machine is shared)."
    )


def figures(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    names = list(sizes)
    out = ["| figure | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for key in SIZE_KEYS:
        out.append(f"| `{key}` | " + " | ".join(_num(sizes[n][key]) for n in names) + " |")
    for key, value in sizes[names[0]].get("cpu_s", {}).items():
        del value
        out.append(f"| cpu `{key}` | " + " | ".join(_num(sizes[n]["cpu_s"].get(key)) for n in names) + " |")
    out.append("")
    cpu = results.get("cpu_s", {})
    out.append(
        f"`startup_s` {_num(results['startup_s'])} (cpu {_num(cpu.get('startup_s'))}), "
        f"`real_plans_read_s` {_num(results['real_plans_read_s'])} "
        f"(cpu {_num(cpu.get('real_plans_read_s'))}), "
        f"`cold_over_floor` {_num(results['ratios']['cold_over_floor'], 2)}, "
        f"`warm_over_cold` {_num(results['ratios']['warm_over_cold'], 2)} "
        f"(ratios on {results['ratios'].get('size')})."
    )
    return "\n".join(out)


def growth(results: dict[str, Any]) -> str:
    """CPU milliseconds per file at each size, and the marginal cost per file from small to large.

    The TypeScript figures are divided by the TypeScript file count, the others by every file read.
    The marginal cost, (large - small) / (files_large - files_small), leaves out fixed costs such as
    start-up; equal per-file and marginal costs across sizes mean linear growth.
    """
    sizes = results["sizes"]
    names = [n for n in ("small", "medium", "large") if n in sizes] or list(sizes)
    head = "| CPU ms per file | " + " | ".join(names) + " | marginal, small → large |"
    out = [head, "|---|" + "---:|" * (len(names) + 1)]
    for key in GROWTH_KEYS:
        count_key = "ts_files" if key.startswith("ts_") else "files"
        per: dict[str, float] = {}
        totals: dict[str, tuple[float, int]] = {}
        for n in names:
            rec = sizes[n]
            cpu = rec.get("cpu_s", {}).get(key)
            files = rec.get(count_key) or rec["files"]
            if cpu is not None and files:
                per[n] = cpu / files * 1000
                totals[n] = (cpu, files)
        marginal = None
        if "small" in totals and "large" in totals and totals["large"][1] != totals["small"][1]:
            (c0, f0), (c1, f1) = totals["small"], totals["large"]
            marginal = (c1 - c0) / (f1 - f0) * 1000
        cells = " | ".join(_num(per.get(n)) for n in names)
        out.append(f"| `{key}` (per {count_key.replace('_', ' ')[:-1]}) | {cells} | {_num(marginal)} |")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else RESULTS
    results = json.loads(path.read_text(encoding="utf-8"))
    print("### Machine\n\n" + machine(results) + "\n")
    print(
        "### Figures (seconds unless the key says ms or mb; medians of "
        f"{results.get('runs')} runs)\n\n" + figures(results) + "\n"
    )
    print("### Growth\n\n" + growth(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
