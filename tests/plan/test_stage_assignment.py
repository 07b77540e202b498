"""Which stage an endpoint or table belongs to: the first stage introducing it, else the first modifying it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stage_lsp.core.location import Location, Range
from stage_lsp.plan.model import PlanEndpoint, PlanTable, Stage, StageItem
from stage_lsp.plan.stages import assign_stages, endpoint_alternatives

HERE = Location(".ai/stages-plan.md", Range(0, 0, 0, 0))
KEYS = ["GET /api/decks", "GET /decks", "POST /api/decks", "decks", "cards"]
MARKS = [None, "new", "modified", "unchanged", "out-of-scope"]


def reference(kind: str, keys: tuple[str, ...], stages: tuple[Stage, ...]) -> int | None:
    """The rule spelled out: stages in number order, introducing marks before `modified`."""
    for marks in ((None, "new"), ("modified",)):
        for stage in sorted(stages, key=lambda s: s.number):
            if any(i.kind == kind and i.key in keys and i.mark in marks for i in stage.items):
                return stage.number
    return None


items = st.builds(
    lambda kind, key, mark: StageItem(kind, key, HERE, mark),
    st.sampled_from(["endpoint", "table"]),
    st.sampled_from(KEYS),
    st.sampled_from(MARKS),
)
stages = st.lists(
    st.builds(
        lambda n, its: Stage(n, f"Stage {n}", HERE, tuple(its)),
        st.integers(1, 5),
        st.lists(items, max_size=6),
    ),
    max_size=5,
).map(tuple)


@given(stages)
def test_assignment_follows_the_rule_for_any_stages(plan_stages: tuple[Stage, ...]) -> None:
    endpoints = tuple(
        PlanEndpoint(method=k.split()[0], path=k.split()[1], raw_path=k.split()[1], key=k, location=HERE)
        for k in KEYS[:3]
    )
    tables = tuple(PlanTable(name=name, location=HERE) for name in ("decks", "cards"))
    out_endpoints, out_tables = assign_stages(endpoints, tables, plan_stages)
    for e in out_endpoints:
        assert e.stage == reference("endpoint", endpoint_alternatives(e.key), plan_stages), e.key
    for t in out_tables:
        assert t.stage == reference("table", (t.name,), plan_stages), t.name


def test_a_later_introduction_wins_over_an_earlier_modification() -> None:
    plan_stages = (
        Stage(1, "One", HERE, (StageItem("table", "decks", HERE, "modified"),)),
        Stage(2, "Two", HERE, (StageItem("table", "decks", HERE, None),)),
    )
    _, (decks,) = assign_stages((), (PlanTable(name="decks", location=HERE),), plan_stages)
    assert decks.stage == 2
