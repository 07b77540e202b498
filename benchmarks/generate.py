"""Deterministic synthetic Astro + Supabase projects for the benchmarks.

    python -m benchmarks.generate SIZE [--dest DIR]     (sizes: tiny, small, medium, large)

A size fixes the TypeScript file count (route, service, schema and support modules of ~150 lines), the
migration count and the plan's endpoints and tables. Output is a pure function of the size: seeded
`random.Random` streams, one per part (model, routes, library, SQL, plans), so a change in one part's
generator does not reshuffle the others, and `digest` in the manifest changes only when the output does.
Bump GENERATOR_VERSION whenever the output changes on purpose: figures are comparable only between runs
with the same version.

The workspace is written fresh each time (`DIR/<size>/`), with a manifest beside it (`DIR/<size>.json`):
counts, digest, the drift built in, and the edit the LSP benchmark makes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks import gen_lib, gen_plans, gen_routes, gen_sql
from benchmarks.gen_model import build_project

GENERATOR_VERSION = 1
BASE_SEED = 20260301
WORKSPACES = Path(__file__).resolve().parent / "workspaces"


@dataclass(frozen=True)
class Size:
    name: str
    ts_files: int
    migrations: int
    endpoints: int
    tables: int
    min_lines: int = 110
    max_lines: int = 190  # per file; mean ~150


SIZES: dict[str, Size] = {
    "tiny": Size("tiny", 30, 8, 10, 3),
    "small": Size("small", 200, 30, 40, 12),
    "medium": Size("medium", 1000, 150, 200, 60),
    "large": Size("large", 2000, 300, 400, 120),
}
BENCH_SIZES = ("small", "medium", "large")


def seed_for(size: Size) -> int:
    return BASE_SEED ^ zlib.crc32(size.name.encode())


def _project_files(size: Size) -> tuple[dict[str, str], dict[str, Any]]:
    seed = seed_for(size)
    project = build_project(f"Bench {size.name}", seed, size.tables, size.endpoints)
    r_routes, r_lib, r_sql, r_plans = (random.Random(seed + k) for k in (1, 2, 3, 4))

    def target(rng: random.Random) -> int:
        return rng.choice(range(size.min_lines, size.max_lines + 1))

    files: dict[str, str] = {}
    routes = gen_routes.route_files(project, r_routes)
    for rf in routes:
        files[rf.rel] = gen_routes.render_route(rf, project, r_routes, target(r_routes))
    files.update(gen_lib.shared_files())
    migrations = gen_sql.render_migrations(project, size.migrations, r_sql)
    created = {t.name for t in project.tables if t.name not in project.drift.tables_missing}
    files["src/db/database.types.ts"] = gen_lib.database_types(project, created)
    files["src/types.ts"] = gen_lib.types_file(project)
    for t in project.tables:
        files[f"src/lib/services/{t.name}.service.ts"] = gen_lib.service_file(t, project, target(r_lib))
        files[f"src/lib/validation/{t.name}.schema.ts"] = gen_lib.schema_file(t, project)
    ts_count = sum(1 for rel in files if rel.endswith(".ts"))
    if ts_count > size.ts_files:
        raise ValueError(f"size {size.name}: {ts_count} TypeScript files before support modules")
    k = 0
    while ts_count < size.ts_files:
        t = project.tables[k % len(project.tables)]
        kind = gen_lib.SUPPORT_KINDS[(k // len(project.tables)) % len(gen_lib.SUPPORT_KINDS)]
        n = k // (len(project.tables) * len(gen_lib.SUPPORT_KINDS)) + 1
        files[f"src/lib/services/{t.name}/{kind}{'' if n == 1 else n}.ts"] = gen_lib.support_file(
            t, kind, n, target(r_lib)
        )
        ts_count += 1
        k += 1
    files.update(migrations)
    files[".ai/api-plan.md"] = gen_plans.api_plan(project, r_plans)
    files[".ai/db-plan.md"] = gen_plans.db_plan(project, r_plans)
    files[".ai/stages-plan.md"] = gen_plans.stages_plan(project, r_plans)
    files[".ai/prd.md"] = gen_plans.prd(project, r_plans)
    files["package.json"] = (
        json.dumps(
            {
                "name": f"bench-{size.name}",
                "type": "module",
                "private": True,
                "dependencies": {"astro": "^5.5.0", "@supabase/supabase-js": "^2.49.0", "zod": "^3.24.0"},
            },
            indent=2,
        )
        + "\n"
    )
    files["astro.config.mjs"] = (
        'import { defineConfig } from "astro/config";\nimport node from "@astrojs/node";\n\n'
        'export default defineConfig({\n  output: "server",\n  adapter: node({ mode: "standalone" }),\n});\n'
    )
    files[".gitignore"] = "node_modules/\ndist/\n.astro/\n"
    edit_file, edit_text = gen_routes.lsp_edit_for(routes)
    info = {
        "planned_endpoints": len(project.planned),
        "served_routes": len(project.served),
        "route_files": len(routes),
        "tables": len(project.tables),
        "drift": {k: len(v) for k, v in asdict(project.drift).items()},
        "lsp_edit": {"file": edit_file, "append": edit_text},
    }
    return files, info


def kind_of(rel: str) -> str:
    """The floor's file kinds: what a benchmark reads and with which parser."""
    if rel.endswith((".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs", ".jsx")):
        return "ts"
    if rel.endswith(".sql"):
        return "sql"
    if rel.endswith(".md"):
        return "md"
    return "other"


def generate(size_name: str, dest: Path = WORKSPACES) -> dict[str, Any]:
    """Write the workspace `dest/<size>` afresh and its manifest `dest/<size>.json`; return the manifest."""
    size = SIZES[size_name]
    files, info = _project_files(size)
    root = dest / size.name
    if root.exists():
        shutil.rmtree(root)
    digest = hashlib.sha256()
    by_kind: dict[str, dict[str, int]] = {}
    for rel in sorted(files):
        data = files[rel].encode("utf-8")
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        digest.update(rel.encode() + b"\0" + data + b"\0")
        k = by_kind.setdefault(kind_of(rel), {"files": 0, "bytes": 0, "lines": 0})
        k["files"] += 1
        k["bytes"] += len(data)
        k["lines"] += files[rel].count("\n")
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "size": asdict(size),
        "seed": seed_for(size),
        "root": str(root),
        "files": sum(v["files"] for v in by_kind.values()),
        "bytes": sum(v["bytes"] for v in by_kind.values()),
        "by_kind": by_kind,
        "digest": digest.hexdigest(),
        **info,
    }
    (dest / f"{size.name}.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="+", choices=sorted(SIZES))
    parser.add_argument("--dest", type=Path, default=WORKSPACES)
    args = parser.parse_args(argv)
    for name in args.sizes:
        m = generate(name, args.dest)
        print(f"{name}: {m['files']} files, {m['bytes']:,} bytes -> {m['root']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
