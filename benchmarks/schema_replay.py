"""Replay the migrations of real projects: the final RLS state per table (markdown), and the time it takes.

    python benchmarks/schema_replay.py /work/projects            # markdown tables for docs/evaluation
    python benchmarks/schema_replay.py /work/projects --time     # parse + replay time of all migrations

Each project is a checkout (`<owner>__<name>/`, outside the repository) with `supabase/migrations/`.
Timing reads every file first, then measures `read_migration` (split + parse + records) and `replay`
separately, best of five runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from stage_lsp.code.migrations import MigrationFile, read_migration
from stage_lsp.code.model import SchemaTable
from stage_lsp.code.replay import Schema, replay
from stage_lsp.config.discovery import discover
from stage_lsp.config.settings import Settings
from stage_lsp.core.source import SourceFile, read_source
from stage_lsp.sql import expand


def _sources(root: Path) -> list[SourceFile]:
    files = discover(root, Settings())
    return [read_source(root, rel) for rel in files.migrations]


def _rls(t: SchemaTable) -> str:
    state = {True: "on", False: "**off**", None: "unknown"}[t.rls]
    return state + (" (forced)" if t.forced_rls else "")


def _where(t: SchemaTable) -> str:
    if t.rls_location is None:
        return ""
    return f"`{Path(t.rls_location.file).name}:{t.rls_location.range.line + 1}`"


def _policies(t: SchemaTable) -> str:
    counts = Counter(p.command for p in t.policies)
    order = ("select", "insert", "update", "delete", "all")
    text = ", ".join(f"{c} {counts[c]}" for c in order if counts[c]) or "none"
    return text + ("" if t.policies_complete else " (may be incomplete: dynamic SQL)")


def report(projects: Path) -> str:
    out: list[str] = []
    for root in sorted(p for p in projects.iterdir() if p.is_dir()):
        sources = _sources(root)
        if not sources:
            continue
        files = [read_migration(s) for s in sources]
        schema = replay(files)
        statements = sum(f.statements for f in files)
        out.append(f"### {root.name}\n")
        out.append(f"{len(files)} migrations, {statements} statements, {len(schema.tables)} tables.\n")
        for issue in schema.issues:
            r = issue.location.range
            out.append(f"- {issue.code} `{Path(issue.location.file).name}:{r.line + 1}`: {issue.message}")
        if schema.issues:
            out.append("")
        out.append("| table | RLS | decided at | policies | note |")
        out.append("|---|---|---|---|---|")
        for t in schema.tables:
            note = f"partition of `{t.partition_of}`" if t.partition_of else ""
            out.append(f"| `{t.name}` | {_rls(t)} | {_where(t)} | {_policies(t)} | {note} |")
        out.append("")
    return "\n".join(out)


def timing(projects: Path) -> str:
    sources = [s for root in sorted(projects.iterdir()) if root.is_dir() for s in _sources(root)]
    by_project: dict[str, list[SourceFile]] = {}
    for root in sorted(projects.iterdir()):
        if root.is_dir():
            by_project[root.name] = _sources(root)
    best_read = best_replay = float("inf")
    for _ in range(5):
        expand.expand_steps.cache_clear()
        t0 = time.perf_counter()
        read: dict[str, list[MigrationFile]] = {
            k: [read_migration(s) for s in v] for k, v in by_project.items()
        }
        t1 = time.perf_counter()
        schemas: list[Schema] = [replay(v) for v in read.values()]
        t2 = time.perf_counter()
        best_read, best_replay = min(best_read, t1 - t0), min(best_replay, t2 - t1)
    lines = sum(s.text.count("\n") + 1 for s in sources)
    statements = sum(f.statements for v in read.values() for f in v)
    return (
        f"{len(by_project)} projects, {len(sources)} migrations, {lines} lines, {statements} statements, "
        f"{sum(len(s.tables) for s in schemas)} tables: read (parse + records) {best_read:.3f} s, "
        f"replay {best_replay:.3f} s (best of 5)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("projects", type=Path)
    parser.add_argument("--time", action="store_true", help="measure instead of reporting")
    args = parser.parse_args()
    print(timing(args.projects) if args.time else report(args.projects))
    return 0


if __name__ == "__main__":
    sys.exit(main())
