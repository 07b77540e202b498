from __future__ import annotations

import pytest

from stage_lsp.core.keys import canonical_path, display_path, endpoint_key, is_external_path


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("/api/flashcards/{id}", "/api/flashcards/{}"),
        ("/api/flashcards/:id", "/api/flashcards/{}"),
        ("/api/flashcards/[id]", "/api/flashcards/{}"),
        ("/api/flashcards/<id>", "/api/flashcards/{}"),
        ("/api/flashcards/<int:id>", "/api/flashcards/{}"),
        ("`/api/decks/{deckId}/cards`", "/api/decks/{}/cards"),
        ("/api/plans?limit&cursor&sort=updated_at", "/api/plans"),
        ("/api/plans/", "/api/plans"),
        ("/api/plans/index", "/api/plans"),
        ("/api/files/[...path]", "/api/files/{...}"),
        ("/api/reservations/{id}/export.ics", "/api/reservations/{}/export.ics"),
        ("/api/jobs/[jobId]-cancel", "/api/jobs/{}-cancel"),
        ("/api/notebooks:import", "/api/notebooks:import"),
        ("/api/jobs/:jobId:cancel", "/api/jobs/{}:cancel"),
        ("/api/notebooks/:notebookId/phrases:reorder", "/api/notebooks/{}/phrases:reorder"),
        ("/Api/Users", "/Api/Users"),
        ("/", "/"),
    ],
)
def test_canonical_path(raw: str, canonical: str) -> None:
    assert canonical_path(raw) == canonical


def test_display_path_keeps_parameter_names() -> None:
    assert display_path("/api/decks/:deckId/cards/[cardId]") == "/api/decks/{deckId}/cards/{cardId}"
    assert display_path("/api/files/[...rest]") == "/api/files/{...rest}"


def test_parameter_names_never_matter() -> None:
    assert endpoint_key("get", "/api/x/{playlistId}") == endpoint_key("GET", "/api/x/[id]") == "GET /api/x/{}"


@pytest.mark.parametrize(
    ("path", "external"),
    [
        ("/auth/v1/signup", True),
        ("/auth/v1/token?grant_type=password", True),
        ("/rest/v1/rpc/create_project", True),
        ("/functions/v1/generate", True),
        ("https://api.openai.com/v1/chat", True),
        ("/api/auth/login", False),
        ("/auth/login", False),
    ],
)
def test_external_paths(path: str, external: bool) -> None:
    assert is_external_path(path) is external
