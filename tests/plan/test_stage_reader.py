"""Stage plans: stage headings in English and Polish, the items each stage lists, and their marks."""

from __future__ import annotations

from stage_lsp.core.source import SourceFile, read_source
from stage_lsp.plan.model import Stage, StagePlanDoc
from stage_lsp.plan.stage_reader import read_stage_plan
from tests.conftest import EXAMPLE
from tests.plan.dbplan import rng


def read(text: str, rel: str = ".ai/stages-plan.md") -> StagePlanDoc:
    return read_stage_plan(SourceFile.from_text(rel, text))


def items(stage: Stage) -> list[tuple[str, str, str | None]]:
    return [(i.kind, i.key, i.mark) for i in stage.items]


def test_the_example_project_has_three_stages() -> None:
    doc = read_stage_plan(read_source(EXAMPLE, ".ai/stages-plan.md"))
    assert [(s.number, s.title, s.location.range) for s in doc.stages] == [
        (1, "Decks and manual flashcards", rng(2, 3, 40)),
        (2, "Editing and AI generation", rng(11, 3, 38)),
        (3, "Statistics", rng(21, 3, 23)),
    ]
    one, two, three = doc.stages
    assert items(one) == [
        ("table", "decks", "new"),
        ("table", "flashcards", "new"),
        ("endpoint", "GET /api/decks", "new"),
        ("endpoint", "POST /api/decks", "new"),
        ("endpoint", "GET /api/flashcards", "new"),
        ("endpoint", "POST /api/flashcards", "new"),
        ("endpoint", "GET /api/flashcards/{}", "new"),
    ]
    assert one.items[0].location.range == rng(4, 11, 16)
    assert one.items[2].location.range == rng(5, 3, 17)
    assert items(two)[-1] == ("endpoint", "GET /api/flashcards", "modified")
    assert items(three) == [("endpoint", "GET /api/stats", "new")]
    assert doc.issues == ()


POLISH = """\
# Plan faz

# Etap 0 — Fundament

## 2) Zakres API w tym etapie

| Endpoint | Operacja | Status |
|---|---|---|
| `/api/plans` | GET | nowy |
| `/api/plans/:id` | PATCH | bez zmian |

- Tabela `plans` (nowa), polityki RLS na `plans`: select, insert
- `DELETE /api/plans/:id` — poza zakresem

# Faza 1: Sesje
- POST /api/sessions (zmieniony), realizuje US-004
"""


def test_polish_stages_with_the_endpoint_operation_status_table() -> None:
    doc = read(POLISH)
    assert [(s.number, s.title, s.location.range) for s in doc.stages] == [
        (0, "Fundament", rng(2, 2, 20)),
        (1, "Sesje", rng(14, 2, 15)),
    ]
    zero, one = doc.stages
    assert items(zero) == [
        ("endpoint", "GET /api/plans", "new"),
        ("endpoint", "PATCH /api/plans/{}", "unchanged"),
        ("table", "plans", "new"),
        ("policy", "plans:select", "new"),
        ("policy", "plans:insert", "new"),
        ("endpoint", "DELETE /api/plans/{}", "out-of-scope"),
    ]
    assert zero.items[0].location.range == rng(8, 2, 27)
    assert zero.items[2].location.range == rng(11, 10, 15)
    assert items(one) == [("endpoint", "POST /api/sessions", "modified"), ("other", "US-004", "modified")]


def test_an_english_phase_list_with_marks_in_words() -> None:
    doc = read(
        "## Phase 2 - Reports\n\n- Table `reports` — new\n- `GET /api/reports` unchanged\n- Stage 3 will add exports.\n"
    )
    assert [(s.number, s.title) for s in doc.stages] == [(2, "Reports")]
    assert items(doc.stages[0]) == [
        ("table", "reports", "new"),
        ("endpoint", "GET /api/reports", "unchanged"),
    ]


def test_a_phase_file_without_a_stage_heading_is_the_stage_its_name_numbers() -> None:
    doc = read(
        "# Implementation plan\n\n- POST /api/imports (nowy)\n",
        rel="docs/phases/phase2-implementation-plan.md",
    )
    assert [(s.number, s.title, s.location.range) for s in doc.stages] == [
        (2, "Implementation plan", rng(0, 2, 21))
    ]
    assert items(doc.stages[0]) == [("endpoint", "POST /api/imports", "new")]


def test_a_wrapped_stage_plan_is_reported_and_read() -> None:
    doc = read("```markdown\n## Stage 1\n- GET /api/a (new)\n```\n")
    assert [(i.code, i.location.range) for i in doc.issues] == [("SL004", rng(0, 0, 11))]
    assert items(doc.stages[0]) == [("endpoint", "GET /api/a", "new")]


def test_text_without_stages_gives_no_stage() -> None:
    assert read("# Notes\n\n- GET /api/a\n").stages == ()
