"""The fuzz targets: what each one draws, what it runs, and its share of CI and of the long campaign.

Settings come from `fuzz_settings`: in CI (the default) every target is derandomised (a fixed seed, so a
run is reproducible and stable) with a small number of examples; `STAGE_LSP_FUZZ_SCALE=N` multiplies the
examples for a longer local pytest run. The long campaign (`python -m tests.reliability.campaign`) runs
the same targets with random seeds and far more inputs.
"""

from __future__ import annotations

import atexit
import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.reliability import targets
from tests.reliability.mutations import CODE_FLOOD_SIZES, FLOOD_SIZES, encoded, mutate_text, mutated
from tests.reliability.seeds import Seed, plan_seeds, sql_seeds, ts_seeds

SCALE = max(1, int(os.environ.get("STAGE_LSP_FUZZ_SCALE", "1") or "1"))
QUIET_CHECKS = list(HealthCheck)


# In CI one input may take at most this long (a typical one takes milliseconds, the largest about a
# second): an input that is suddenly far slower is a regression to a quadratic path, and fails the test.
CI_DEADLINE = timedelta(seconds=30)


def fuzz_settings(examples: int, *, derandomize: bool = True) -> settings:
    """CI (`derandomize`): a fixed seed, a per-input deadline; the campaign: random seeds, no deadline
    (it records slow inputs instead)."""
    return settings(
        max_examples=examples,
        derandomize=derandomize,
        database=None,
        deadline=CI_DEADLINE if derandomize else None,
        suppress_health_check=QUIET_CHECKS,
        print_blob=True,
    )


@dataclass(frozen=True)
class FuzzTarget:
    name: str
    strategy: st.SearchStrategy[Any]
    run: Callable[[Any], None]
    ci_examples: int  # examples per CI run (derandomised)
    weight: int  # share of the long campaign's inputs


def _text_or_bytes(
    seeds: Callable[[], tuple[Seed, ...]], floods: Sequence[int] = FLOOD_SIZES
) -> st.SearchStrategy[str | bytes]:
    """A mutated real document, as text (an editor buffer) or as the bytes of a file (one in four)."""
    texts = mutated(seeds, floods=floods).map(lambda pair: pair[1])
    return st.one_of(texts, texts, texts, texts.flatmap(encoded))


def _plan(kind: str) -> FuzzTarget:
    def run(value: str | bytes) -> None:
        targets.plan_target(kind, value, plan_seeds()[:50] if kind == "api" else ())

    weight = 3 if kind in ("api", "db") else 1
    return FuzzTarget(f"plan-{kind}", _text_or_bytes(plan_seeds), run, 12 if weight > 1 else 6, weight * 5)


def _code(reader: str) -> FuzzTarget:
    seeds = st.sampled_from(list(ts_seeds()))
    strategy = st.tuples(seeds.map(lambda s: s.rel), _text_or_bytes(ts_seeds, CODE_FLOOD_SIZES))

    def run(value: tuple[str, str | bytes]) -> None:
        rel, text = value
        targets.code_target(rel if rel.startswith("src/") or "/" in rel else f"src/{rel}", text, reader)

    weight = 20 if reader == "facts" else 4
    return FuzzTarget(f"code-{reader}", strategy, run, 15 if reader == "facts" else 5, weight)


def _sql_run(value: tuple[str | bytes, list[Seed]]) -> None:
    text, others = value
    targets.sql_target(text, others)


SQL = FuzzTarget(
    "sql-replay",
    st.tuples(_text_or_bytes(sql_seeds), st.lists(st.sampled_from(list(sql_seeds()[:12])), max_size=3)),
    _sql_run,
    15,
    15,
)


@functools.cache
def example_project() -> targets.ExampleProject:
    project = targets.ExampleProject()
    atexit.register(project.close)
    return project


def _example_seeds() -> dict[str, tuple[Seed, ...]]:
    """The example's own files, each with the pool it is mutated with (same kind of file)."""
    project = example_project()
    pools = {"md": plan_seeds()[:40], "sql": sql_seeds(), "ts": ts_seeds()}
    out: dict[str, tuple[Seed, ...]] = {}
    for rel in [*project.files.all_plans, *project.files.migrations, *project.files.sources]:
        text = (project.root / rel).read_text(encoding="utf-8")
        kind = "md" if rel.endswith(".md") else "sql" if rel.endswith(".sql") else "ts"
        out[rel] = (Seed(rel, text), *pools[kind])
    return out


@st.composite
def _overlays(draw: st.DrawFn) -> dict[str, str]:
    """One to three of the example's files, each replaced by a mutated copy (edited in an editor)."""
    seeds = _example_seeds()
    chosen = draw(st.lists(st.sampled_from(sorted(seeds)), min_size=1, max_size=3, unique=True))
    return {
        rel: draw(
            mutate_text(
                seeds[rel][0].text,
                seeds[rel][1:],
                max_ops=3,
                floods=FLOOD_SIZES if rel.endswith((".md", ".sql")) else CODE_FLOOD_SIZES,
            )
        )
        for rel in chosen
    }


PROJECT = FuzzTarget(
    "project-check",
    _overlays(),
    lambda overlays: targets.project_target(example_project(), overlays),
    10,
    5,  # each input is a whole check, twice: fewer inputs, each exercising every reader and rule
)

TARGETS: tuple[FuzzTarget, ...] = (
    *(_plan(kind) for kind in targets.PLAN_READERS),
    *(_code(reader) for reader in targets.CODE_READERS),
    SQL,
    PROJECT,
)
