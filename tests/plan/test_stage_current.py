"""Stage assignment (plan.assemble / plan.stages) and the current stage; the example project's dump."""

from __future__ import annotations

import json
from collections.abc import Callable

from stage_lsp.core.location import Location, Range
from stage_lsp.plan.assemble import assemble_plan
from stage_lsp.plan.model import (
    ApiPlanDoc,
    DbPlanDoc,
    PlanEndpoint,
    PlanModel,
    PlanTable,
    Stage,
    StageItem,
    StageMark,
    StagePlanDoc,
)
from stage_lsp.plan.stages import IMPLICIT_TITLE, current_stage
from tests.conftest import EXAMPLE, CliResult

HERE = Location(".ai/api-plan.md", Range(0, 0, 0, 1))


def endpoint(key: str, **kw: object) -> PlanEndpoint:
    method, path = key.split(" ", 1)
    return PlanEndpoint(method, path, path, key, HERE, **kw)  # type: ignore[arg-type]


def item(kind: str, key: str, mark: StageMark | None = None) -> StageItem:
    return StageItem(kind, key, HERE, mark)  # type: ignore[arg-type]


def plan(
    stages: list[Stage], *endpoints: PlanEndpoint, tables: tuple[str, ...] = (), stage: int | None = None
) -> PlanModel:
    return assemble_plan(
        [ApiPlanDoc(".ai/api-plan.md", endpoints)],
        [DbPlanDoc(".ai/db-plan.md", tuple(PlanTable(t, HERE) for t in tables))],
        [StagePlanDoc(".ai/stages-plan.md", tuple(stages))] if stages else [],
        stage=stage,
    )


STAGES = [
    Stage(1, "Base", HERE, (item("endpoint", "GET /api/a", "new"), item("table", "a", "new"))),
    Stage(
        2,
        "More",
        HERE,
        (
            item("endpoint", "GET /api/a", "modified"),
            item("endpoint", "POST /api/b"),
            item("endpoint", "DELETE /api/c", "out-of-scope"),
            item("endpoint", "POST /auth/v1/signup", "new"),
        ),
    ),
    Stage(
        3, "Later", HERE, (item("endpoint", "PUT /api/b", "new"), item("endpoint", "DELETE /api/c", "new"))
    ),
]


def test_items_get_the_stage_that_introduces_them() -> None:
    model = plan(
        STAGES,
        endpoint("GET /api/a"),
        endpoint("POST /b"),  # the plan writes no /api prefix: still the stage's item
        endpoint("DELETE /api/c"),
        endpoint("PATCH /api/d"),
        tables=("a", "z"),
    )
    assert [(e.key, e.stage) for e in model.endpoints] == [
        ("GET /api/a", 1),
        ("POST /b", 2),
        ("DELETE /api/c", 3),  # out of scope in stage 2, new in stage 3
        ("PATCH /api/d", None),  # no stage lists it
    ]
    assert [(t.name, t.stage) for t in model.tables] == [("a", 1), ("z", None)]
    assert model.current_stage is None  # needs the code: see current_stage()


def test_the_current_stage_is_the_first_with_unfinished_items() -> None:
    model = plan(
        STAGES,
        endpoint("GET /api/a"),
        endpoint("POST /api/b"),
        endpoint("POST /auth/v1/signup", external=True),
        tables=("a",),
    )
    assert current_stage(model, {"GET /api/a"}, {"a"}) == 2
    assert current_stage(model, {"GET /api/a", "POST /api/b"}, {"a"}) == 3  # external signup is not code
    assert current_stage(model, {"GET /api/a"}, set()) == 1  # table `a` missing
    assert current_stage(model, {"GET /api/a"}, None) == 2  # tables unknown: not counted
    done = {"GET /api/a", "POST /api/b", "PUT /api/b", "DELETE /api/c"}
    assert current_stage(model, done, {"a"}) == 3


def test_the_configured_stage_wins() -> None:
    model = plan(STAGES, endpoint("GET /api/a"), stage=3)
    assert model.current_stage == 3
    assert current_stage(model, set(), None) == 3


def test_without_a_stage_plan_one_implicit_stage_holds_everything() -> None:
    model = plan([], endpoint("GET /api/a"), endpoint("POST /api/b"), tables=("a",))
    assert [(s.number, s.title) for s in model.stages] == [(1, IMPLICIT_TITLE)]
    assert [(i.kind, i.key) for i in model.stages[0].items] == [
        ("endpoint", "GET /api/a"),
        ("endpoint", "POST /api/b"),
        ("table", "a"),
    ]
    assert [e.stage for e in model.endpoints] == [1, 1]
    assert [t.stage for t in model.tables] == [1]
    assert model.current_stage == 1
    assert current_stage(model, set(), set()) == 1


def test_the_example_dump_shows_stages_the_current_stage_and_the_stage_of_each_item(
    cli: Callable[..., CliResult],
) -> None:
    result = cli("dump", str(EXAMPLE))
    assert result.code == 0, result.err
    dumped = result.json()
    assert isinstance(dumped, dict)
    plan_part = dumped["plan"]
    assert plan_part["current_stage"] == 2
    assert [(s["number"], s["title"], len(s["items"])) for s in plan_part["stages"]] == [
        (1, "Decks and manual flashcards", 7),
        (2, "Editing and AI generation", 7),
        (3, "Statistics", 1),
    ]
    stages = {e["key"]: e["stage"] for e in plan_part["endpoints"]}
    assert stages["GET /api/generations/{}"] == 2
    assert stages["GET /api/stats"] == 3
    assert stages["POST /auth/v1/signup"] is None
    assert {t["name"]: t["stage"] for t in plan_part["tables"]} == {
        "decks": 1,
        "flashcards": 1,
        "generations": 2,
        "tags": None,
    }
    assert plan_part["files"] == {
        "api": [".ai/api-plan.md"],
        "db": [".ai/db-plan.md"],
        "stage": [".ai/stages-plan.md"],
        "prd": [".ai/prd.md"],
    }
    json.dumps(dumped)  # serialisable as it came
