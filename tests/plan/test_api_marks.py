"""Later and optional endpoints, external endpoints and the declared base path."""

from __future__ import annotations

import pytest

from stage_lsp.core.location import Location, Range
from tests.plan.api_helpers import PLAN, one, read


@pytest.mark.parametrize(
    ("plan", "key", "optional", "post_mvp"),
    [
        ("### 2.9 Billing (Post-MVP)\n#### GET /api/invoices\n", "GET /api/invoices", False, True),
        ("### Exports (future)\n- GET `/api/export`\n", "GET /api/export", False, True),
        (
            "### 2.12 Search (Optional MVP+1)\n| Method | Path |\n|---|---|\n| GET | /api/search |\n",
            "GET /api/search",
            True,
            False,
        ),
        (
            "### 2.10 Punkty trasy (opcjonalne)\n- **PATCH** `/api/stops/{id}`\n",
            "PATCH /api/stops/{}",
            True,
            False,
        ),
        (
            "- GET `/api/events?plan_id=`\n  - Opis: (opcjonalne w MVP) Lista zdarzeń.\n",
            "GET /api/events",
            True,
            False,
        ),
        (
            "#### DELETE /api/ratings/{id}\n\n**Description:** Delete a rating. Optional endpoint (may not be needed).\n",
            "DELETE /api/ratings/{}",
            True,
            False,
        ),
        ("#### GET /api/books\n- `page` (optional): page number\n", "GET /api/books", False, False),
    ],
    ids=[
        "post-mvp-heading",
        "future-heading",
        "optional-heading",
        "polish-heading",
        "polish-description",
        "description",
        "optional-param",
    ],
)
def test_later_and_optional_endpoints(plan: str, key: str, optional: bool, post_mvp: bool) -> None:
    e = one(read(plan), key)
    assert (e.optional, e.post_mvp) == (optional, post_mvp)


@pytest.mark.parametrize(
    ("plan", "key", "external"),
    [
        ("#### POST /auth/v1/signup\n", "POST /auth/v1/signup", True),
        ("**Endpoint:** `GET /rest/v1/projects?select=*`\n", "GET /rest/v1/projects", True),
        ("- POST `/functions/v1/translate`\n", "POST /functions/v1/translate", True),
        (
            "### Auth (Supabase Auth)\n- Method: POST\n  Path: /auth/login\n\nEndpoints are managed by Supabase Auth.\n",
            "POST /auth/login",
            True,
        ),
        (
            "### Auth\nThese flows leverage Supabase Auth.\n#### POST /auth/discord\n",
            "POST /auth/discord",
            False,
        ),
        ("#### GET /api/decks\n", "GET /api/decks", False),
    ],
    ids=["auth-v1", "rest-v1", "functions-v1", "managed-by-supabase", "leverages-supabase", "app"],
)
def test_external_endpoints(plan: str, key: str, external: bool) -> None:
    assert one(read(plan), key).external is external


def test_an_absolute_url_of_another_host_is_external() -> None:
    (e,) = read("#### GET https://api.openai.com/v1/models\n").endpoints
    assert (e.raw_path, e.external, e.location.range) == (
        "https://api.openai.com/v1/models",
        True,
        Range(0, 5, 0, 41),
    )


@pytest.mark.parametrize(
    ("line", "base", "rng"),
    [
        ("Base URL: `/api`. All endpoints need a session.", "/api", Range(2, 11, 2, 15)),
        ("**Base URL:** `http://localhost:8000/api/v1` (configurable)", "/api/v1", Range(2, 15, 2, 43)),
        ("- Base path: `/api` (Astro server endpoints)", "/api", Range(2, 14, 2, 18)),
        ("> Wszystkie ścieżki są zagnieżdżone pod prefiksem `/api/v1`.", "/api/v1", Range(2, 51, 2, 58)),
        ("All endpoints are prefixed with /api", "/api", Range(2, 32, 2, 36)),
    ],
)
def test_base_path(line: str, base: str, rng: Range) -> None:
    doc = read(f"# API\n\n{line}\n\n#### GET /decks\n")
    assert (doc.base_path, doc.base_path_location) == (base, Location(PLAN, rng))


def test_a_base_url_without_a_path_declares_no_base_path() -> None:
    doc = read("**Base URL:** `https://<project-ref>.supabase.co`\n\n#### GET /rest/v1/projects\n")
    assert (doc.base_path, doc.base_path_location) == (None, None)
