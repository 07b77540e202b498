"""PRD user stories: where an id defines a story, its title, and the endpoints it links."""

from __future__ import annotations

from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile, read_source
from stage_lsp.plan.assemble import assemble_plan
from stage_lsp.plan.model import ApiPlanDoc, PlanEndpoint, PrdDoc
from stage_lsp.plan.prd_reader import read_prd
from stage_lsp.plan.story_refs import read_story_refs
from tests.conftest import EXAMPLE
from tests.plan.dbplan import rng

PRD = """\
# PRD

## 5. Historyjki użytkowników

### US-001: Rejestracja
Jako gość chcę założyć konto (`POST /api/auth/register`).

- ID: US-002
  Tytuł: Lista talii
  Opis: widzę swoje talie, `GET /api/decks`, i mogę je filtrować.

US-003
Title: Export
- Kryteria: GET /api/decks/{id}/export zwraca plik.

| ID | Tytuł | Endpoint |
|---|---|---|
| US-004 | Statystyki | GET /api/stats |

## 6. Wymagania

- Funkcje nie są dostępne bez logowania (US-001, US-002).
"""


def read(text: str) -> PrdDoc:
    return read_prd(SourceFile.from_text(".ai/prd.md", text))


def test_story_definitions_titles_and_endpoints() -> None:
    doc = read(PRD)
    assert [(u.id, u.title, u.endpoints) for u in doc.user_stories] == [
        ("US-001", "Rejestracja", ("POST /api/auth/register",)),
        ("US-002", "Lista talii", ("GET /api/decks",)),
        ("US-003", "Export", ("GET /api/decks/{}/export",)),
        ("US-004", "Statystyki", ("GET /api/stats",)),
    ]
    assert [u.location.range for u in doc.user_stories] == [
        rng(4, 4, 23),
        rng(7, 6, 12),
        rng(11, 0, 6),
        rng(17, 2, 8),
    ]


def test_mentions_in_sentences_are_not_definitions() -> None:
    doc = read("## Wymagania\n- Funkcje nie są dostępne bez logowania (US-001, US-002).\n")
    assert doc.user_stories == ()


def test_assembly_links_stories_to_the_endpoints_they_name() -> None:
    endpoint = PlanEndpoint(
        "GET", "/api/decks", "/api/decks", "GET /api/decks", read(PRD).user_stories[0].location
    )
    model = assemble_plan([ApiPlanDoc(".ai/api-plan.md", (endpoint,))], prd_docs=[read(PRD)])
    assert model.endpoints[0].user_stories == ("US-002",)
    assert [u.id for u in model.user_stories] == ["US-001", "US-002", "US-003", "US-004"]


def test_the_example_prd() -> None:
    doc = read_prd(read_source(EXAMPLE, ".ai/prd.md"))
    assert [(u.id, u.endpoints) for u in doc.user_stories] == [
        ("US-001", ("POST /api/decks",)),
        ("US-002", ("POST /api/flashcards",)),
        ("US-003", ("POST /api/generations",)),
        ("US-004", ("GET /api/stats",)),
    ]


def test_a_plan_that_mentions_a_story_in_an_endpoint_section_links_it() -> None:
    text = "#### GET /api/reviews\nRetrieve cards due for review (US-8).\n\n#### POST /api/reviews\nSee US-009.\n"
    refs = read_story_refs(SourceFile.from_text(".ai/api-plan.md", text))
    assert refs == ((1, "US-008"), (4, "US-009"))
    section = Location(".ai/api-plan.md", Range(0, 0, 2, 0))
    get = PlanEndpoint("GET", "/api/reviews", "/api/reviews", "GET /api/reviews", section, section=section)
    here = Location(".ai/api-plan.md", Range(3, 0, 3, 22))
    post = PlanEndpoint("POST", "/api/reviews", "/api/reviews", "POST /api/reviews", here)
    model = assemble_plan([ApiPlanDoc(".ai/api-plan.md", (get, post))], story_refs={".ai/api-plan.md": refs})
    assert [e.user_stories for e in model.endpoints] == [("US-008",), ()]  # US-009 is not on POST's line
