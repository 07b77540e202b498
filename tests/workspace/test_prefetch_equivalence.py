"""The CLI's parallel reads (workspace.prefetch, with the route pass run during them) build the same
models as the serial path, on messy projects: broken, truncated and binary files, cycles and re-exports
between helpers, path aliases, invalid migrations."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from stage_lsp.config.settings import Settings
from stage_lsp.workspace import Workspace
from stage_lsp.workspace.prefetch import can_fork, prefetch

Make = Callable[[dict[str, str]], Path]


def _messy(seed: int) -> dict[str, str]:
    rnd = random.Random(seed)
    files = {
        "package.json": '{"dependencies": {"astro": "5.0.0"}}',
        "tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["./src/*"]}}}',
    }
    helpers = rnd.randint(5, 20)
    for i in range(helpers):
        other, again = rnd.randrange(helpers), rnd.randrange(helpers)
        text = (
            (f"import {{ helper{other} }} from './s{other}';\n" if rnd.random() < 0.5 else "")
            + f"export function helper{i}(x: any) {{ if (!x) throw new Error('bad'); "
            + f"return new Response(JSON.stringify(x), {{ status: {rnd.choice([200, 201, 400, 404])} }}); }}\n"
            + (f"export * from './s{again}';\n" if rnd.random() < 0.2 else "")
        )
        kind = rnd.random()
        if kind < 0.1:
            text = text[: rnd.randrange(len(text))]  # cut short
        elif kind < 0.15:
            text = "\x00\x01 not text"
        files[f"src/lib/services/s{i}.ts"] = text
    plan = ["# API plan", ""]
    for r in range(rnd.randint(100, 130)):
        s = rnd.randrange(helpers)
        source = f"@/lib/services/s{s}" if rnd.random() < 0.7 else f"../../lib/services/s{s}"
        lines = [f"import {{ helper{s} }} from '{source}';"]
        for method in rnd.sample(["GET", "POST", "PUT", "PATCH", "DELETE"], rnd.randint(1, 3)):
            lines.append(f"export const {method} = async ({{ request }}) => helper{s}(await request.json());")
            plan += [f"#### {rnd.choice([method, 'GET'])} /api/r{r}", f"- Response: {rnd.choice([200, 201])}"]
        text = "\n".join(lines) + "\n"
        if rnd.random() < 0.05:
            text = text.replace(")", "", 1)  # a syntax error
        files[f"src/pages/api/r{r}.ts"] = text
    files[".ai/api-plan.md"] = "\n".join(plan) + "\n"
    for k in range(rnd.randint(0, 8)):
        files[f"supabase/migrations/202401{k:02d}_m.sql"] = rnd.choice(
            [
                f"create table t{k} (id int primary key);",
                "create tabel broken (",
                "alter table t0 enable row level security;",
            ]
        )
    return files


@pytest.mark.skipif(not can_fork(), reason="fork-based prefetch needs Linux")
@pytest.mark.parametrize("seed", [1, 2])
def test_parallel_reads_build_the_models_the_serial_path_builds(make_project: Make, seed: int) -> None:
    root = make_project(_messy(seed))
    serial = Workspace(root, Settings())
    expected = (serial.plan(), serial.code())
    parallel = Workspace(root, Settings())
    assert prefetch(parallel, workers=2) > 100  # the default threshold: the parallel path ran
    assert (parallel.plan(), parallel.code()) == expected
    assert expected[1].routes  # the projects have routes to find
