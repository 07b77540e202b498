"""The TypeScript side of the index against the raw tree-sitter parse, on one core.

`python benchmarks/ts_index.py PROJECT [RUNS]` prints JSON with, as medians of RUNS runs:

Times are CPU seconds of this process (`time.process_time`), which is what "on one core" means and is
steadier than wall time when other processes share the machine.

- `ts_parse_s`: tree-sitter parse alone of every TS/JS file the index reads (texts already decoded);
- `ts_parse_all_s`: the same for every TS/JS source file of the project;
- `ts_index_one_core_s`: the whole TypeScript side of the index from the same decoded texts: per-file
  facts (one merged query per file) plus the project pass (routes, statuses, fields, requirements);
- `facts_s` / `project_pass_s`: the two parts of the index;
- `ratio`: `ts_index_one_core_s / ts_parse_s` (target <= 2.5).

`measure(root)` returns the same dictionary for the benchmark harness.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import time
from pathlib import Path

from stage_lsp.code.assemble import assemble_code
from stage_lsp.code.facts import ModuleFacts
from stage_lsp.code.framework import detect_framework
from stage_lsp.code.index import read_facts
from stage_lsp.code.treesitter import dialect_for, parser
from stage_lsp.config.discovery import discover
from stage_lsp.config.settings import Settings
from stage_lsp.core.gc_pause import gc_paused
from stage_lsp.core.source import SourceFile, read_source


def _clock() -> float:
    """CPU time of this process: the cost on one core, steadier than wall time on a busy machine."""
    return time.process_time()


def _parse(sources: list[SourceFile]) -> float:
    start = _clock()
    with gc_paused():
        for src in sources:
            dialect = dialect_for(src.rel)
            if dialect is not None and dialect != "python":
                parser(dialect).parse(src.text.encode("utf-8", errors="surrogatepass"))
    return _clock() - start


def measure(root: Path, runs: int = 5) -> dict[str, float | int]:
    settings = Settings()
    files = discover(root, settings)
    guess = detect_framework(root, settings, files)
    texts = {rel: read_source(root, rel) for rel in files.sources}
    for src in texts.values():
        _ = src.lines  # line index built once, like the workspace does
    ts_files = [rel for rel in files.sources if (d := dialect_for(rel)) is not None and d != "python"]
    results: dict[str, list[float]] = {k: [] for k in ("index", "facts", "pass", "parse", "parse_all")}
    read: list[str] = []
    for _ in range(runs):
        facts_time = 0.0
        read = []
        memo: dict[str, ModuleFacts] = {}  # each file read once per run, as the workspace's cache does

        def facts(rel: str) -> ModuleFacts | None:
            nonlocal facts_time
            if rel in memo:  # noqa: B023 - one memo per run
                return memo[rel]  # noqa: B023
            start = _clock()
            found = memo[rel] = read_facts(texts[rel])  # noqa: B023
            facts_time += _clock() - start
            read.append(rel)  # noqa: B023 - one list per run, read after the run
            return found

        start = _clock()
        with gc_paused():  # as `stage-lsp --check` builds its models (core/gc_pause.long_lived)
            assemble_code(guess, files.sources, facts, lambda rel: texts[rel].text, lambda rel: None)
        total = _clock() - start
        gc.collect()  # this run's garbage, outside the timing
        results["index"].append(total)
        results["facts"].append(facts_time)
        results["pass"].append(total - facts_time)
        read_ts = [texts[rel] for rel in read if rel in set(ts_files)]
        results["parse"].append(_parse(read_ts))
        results["parse_all"].append(_parse([texts[rel] for rel in ts_files]))
    med = {k: statistics.median(v) for k, v in results.items()}
    return {
        "ts_files": len(ts_files),
        "files_read": len(read),
        "bytes_read": sum(len(texts[r].text.encode("utf-8", errors="surrogatepass")) for r in read),
        "ts_parse_s": round(med["parse"], 4),
        "ts_parse_all_s": round(med["parse_all"], 4),
        "ts_index_one_core_s": round(med["index"], 4),
        "facts_s": round(med["facts"], 4),
        "project_pass_s": round(med["pass"], 4),
        "ratio": round(med["index"] / med["parse"], 2) if med["parse"] else 0.0,
    }


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    print(json.dumps(measure(target.resolve(), count), indent=2))
