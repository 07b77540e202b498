"""In-process measurements, each run in a fresh interpreter by run.py and printed as one JSON line.

    python -m benchmarks.probes floor ROOT          read + parse every TS/JS, SQL and plan file
    python -m benchmarks.probes ts-index ROOT       the Workspace's code model, TypeScript side only
    python -m benchmarks.probes real-plans CORPUS   the api/db/stage/prd plans of the corpus projects

Each probe pins itself to one CPU first (so "one core" is literal, even if the code under test ever
forks workers), imports what it needs, and only then starts its clock: interpreter start-up and imports
are not part of these figures (`startup_s` measures them for the CLI). Each probe also reports the CPU
time (user + system) of the same span, a steadier figure than wall time on a loaded machine. A fresh process per run keeps the
figures independent of caches warmed by an earlier run (the OS file cache stays warm for every metric).
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

SKIP_DIRS = frozenset({".git", "node_modules", ".stage-lsp-cache", "dist", ".astro"})
TS_SUFFIXES = {".ts": "typescript", ".mts": "typescript", ".cts": "typescript", ".tsx": "tsx"}
JS_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx")


def pin_one_core() -> int | None:
    """Restrict this process (and any child) to the first CPU it may use; return that CPU."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def _walk(root: Path) -> list[Path]:
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        out.extend(Path(dirpath) / f for f in sorted(filenames))
    return out


def _dialect(path: Path) -> str | None:
    if path.suffix in TS_SUFFIXES:
        return TS_SUFFIXES[path.suffix]
    if path.suffix in JS_SUFFIXES:
        return "javascript"
    return None


def floor(root: Path) -> dict[str, Any]:
    """The least any checker must do: read the files and run the three parsers over them, nothing else."""
    import pglast
    import tree_sitter as ts
    import tree_sitter_javascript as ts_javascript
    import tree_sitter_typescript as ts_typescript
    from markdown_it import MarkdownIt

    c0 = time.process_time()
    t0 = time.perf_counter()
    code: list[tuple[str, bytes]] = []
    sql: list[str] = []
    md: list[str] = []
    total_bytes = 0
    for path in _walk(root):
        dialect = _dialect(path)
        if dialect is None and path.suffix not in (".sql", ".md"):
            continue
        data = path.read_bytes()
        total_bytes += len(data)
        if dialect is not None:
            code.append((dialect, data))
        elif path.suffix == ".sql":
            sql.append(data.decode("utf-8", errors="replace"))
        else:
            md.append(data.decode("utf-8", errors="replace"))
    t_read = time.perf_counter()
    c_read = time.process_time()

    parsers = {
        "typescript": ts.Parser(ts.Language(ts_typescript.language_typescript())),
        "tsx": ts.Parser(ts.Language(ts_typescript.language_tsx())),
        "javascript": ts.Parser(ts.Language(ts_javascript.language())),
    }
    ts_errors = 0
    for dialect, data in code:
        tree = parsers[dialect].parse(data)
        ts_errors += tree.root_node.has_error
    t_ts = time.perf_counter()
    c_ts = time.process_time()

    sql_errors = 0
    for text in sql:
        try:
            pglast.parse_sql(text)
        except pglast.parser.ParseError:
            sql_errors += 1
    t_sql = time.perf_counter()

    markdown = MarkdownIt("commonmark", {"html": True}).enable("table")
    for text in md:
        markdown.parse(text)
    t_md = time.perf_counter()
    c_md = time.process_time()
    return {
        "floor_s": t_md - t0,
        "read_s": t_read - t0,
        "ts_parse_s": t_ts - t_read,
        "sql_parse_s": t_sql - t_ts,
        "md_parse_s": t_md - t_sql,
        "files": len(code) + len(sql) + len(md),
        "bytes": total_bytes,
        "ts_files": len(code),
        "parse_errors": {"ts": ts_errors, "sql": sql_errors},
        "cpu": {"floor_s": c_md - c0, "ts_parse_s": c_ts - c_read},
    }


def ts_index(root: Path) -> dict[str, Any]:
    """The TypeScript side of the index: the Workspace's code model with the migrations left out."""
    from stage_lsp.config.project import load_config
    from stage_lsp.core.gc_pause import long_lived
    from stage_lsp.workspace import Workspace

    c0 = time.process_time()
    t0 = time.perf_counter()
    project = load_config(root)
    ws = Workspace(project.root, project.settings)
    ws.files.migrations = []  # the SQL side is not part of this figure
    with long_lived():  # as `stage-lsp --check` builds its models (cli/checking.py `_evaluate`)
        code = ws.code()
    elapsed = time.perf_counter() - t0
    return {
        "ts_index_one_core_s": elapsed,
        "cpu": {"ts_index_one_core_s": time.process_time() - c0},
        "sources": len(ws.files.sources),
        "route_files": len(code.route_files),
        "routes": len(code.routes),
    }


def corpus_plan_sets(corpus: Path) -> list[tuple[Path, dict[str, list[str]]]]:
    """(project folder, {setting: [plan paths]}) for every INDEX.tsv project whose docs are present.

    The api, db and prd plans are the ones INDEX.tsv names (`;`-separated, `-` for none); stage plans
    are left to discovery. Implementation plans are never named, so never read.
    """
    out: list[tuple[Path, dict[str, list[str]]]] = []
    with (corpus / "INDEX.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            folder = corpus / "docs" / row["repo"].replace("/", "__")
            if not folder.is_dir():
                continue
            chosen: dict[str, list[str]] = {}
            for column, setting in (("api_plan", "api_plans"), ("db_plan", "db_plans"), ("prd", "prd")):
                paths = [p.strip() for p in row.get(column, "").split(";") if p.strip() not in ("", "-")]
                paths = [p for p in paths if (folder / p).is_file()]
                if paths:
                    chosen[setting] = paths
            out.append((folder, chosen))
    return out


def real_plans(corpus: Path) -> dict[str, Any]:
    """Read the corpus projects' plans through the Workspace, as the checker would."""
    from stage_lsp.config.settings import Settings
    from stage_lsp.workspace import Workspace

    sets = corpus_plan_sets(corpus)
    c0 = time.process_time()
    t0 = time.perf_counter()
    plans = endpoints = tables = 0
    for folder, chosen in sets:
        ws = Workspace(folder, Settings(**chosen))
        plan = ws.plan()
        plans += len(ws.files.all_plans)
        endpoints += len(plan.endpoints)
        tables += len(plan.tables)
    elapsed = time.perf_counter() - t0
    return {
        "real_plans_read_s": elapsed,
        "cpu": {"real_plans_read_s": time.process_time() - c0},
        "projects": len(sets),
        "plans": plans,
        "endpoints": endpoints,
        "tables": tables,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("floor", "ts-index", "real-plans"):
        print(__doc__, file=sys.stderr)
        return 2
    cpu = pin_one_core()
    target = Path(argv[1]).resolve()
    if argv[0] == "floor":
        result = floor(target)
    elif argv[0] == "ts-index":
        result = ts_index(target)
    else:
        result = real_plans(target)
    result["pinned_cpu"] = cpu
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
