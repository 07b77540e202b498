"""Query and path parameters, the Idempotency-Key requirement and pagination with its stated limit."""

from __future__ import annotations

from stage_lsp.core.location import Location, Range
from tests.plan.api_helpers import PLAN, one, read


def test_query_parameter_bullets_with_pagination_and_its_max() -> None:
    e = one(
        read(
            "#### GET /api/books\n"
            "**Query Parameters:**\n"
            "- `status` (optional): reading status (`want_to_read`, `reading`)\n"
            "- `page` (optional): page number (default: 1)\n"
            "- `limit` (optional, default 20, max 100)\n"
        ),
        "GET /api/books",
    )
    assert [q.name for q in e.query_params] == ["status", "page", "limit"]
    assert e.query_params[1].location == Location(PLAN, Range(3, 3, 3, 7))
    assert e.pagination == Location(PLAN, Range(3, 3, 3, 7))
    assert e.limit_max == 100


def test_inline_query_label_skips_values_in_parentheses_and_braces() -> None:
    e = one(
        read(
            "- **GET `/api/members`**\n"
            "  - Query Params: `includeInactive` (boolean), `page` (default 1), `pageSize` (default 20, max 100), "
            "`sort` (`fullName`|`createdAt`).\n"
        ),
        "GET /api/members",
    )
    assert [q.name for q in e.query_params] == ["includeInactive", "page", "pageSize", "sort"]
    assert e.limit_max == 100


def test_nested_query_bullets_lists_and_filters() -> None:
    e = one(
        read(
            "1. GET /api/picks\n\n- Query\n  - `page`, `page_size`\n  - `sort` in {`published_at`,`ticker`}\n"
            "  - Filters: `ticker`, `side` in {`long`,`short`}\n- Response 200\n"
        ),
        "GET /api/picks",
    )
    assert [q.name for q in e.query_params] == ["page", "page_size", "sort", "ticker", "side"]


def test_polish_query_label_and_maks() -> None:
    e = one(
        read(
            "- **GET** `/api/v1/orders`\n  - **Parametry zapytania**:\n    - `page` (opcjonalny)\n"
            "    - `pageSize` (opcjonalny): rozmiar strony (domyślnie `50`, maks. `200`)\n"
        ),
        "GET /api/v1/orders",
    )
    assert [q.name for q in e.query_params] == ["page", "pageSize"]
    assert e.limit_max == 200


def test_query_string_in_the_path_and_a_query_column() -> None:
    e = one(read("- GET `/api/plans?limit&cursor&sort=updated_at`\n"), "GET /api/plans")
    assert [(q.name, q.location.range) for q in e.query_params] == [
        ("limit", Range(0, 18, 0, 23)),
        ("cursor", Range(0, 24, 0, 30)),
        ("sort", Range(0, 31, 0, 35)),
    ]
    assert e.pagination is not None and e.limit_max is None
    doc = read(
        "| Method | Path | Query Params |\n|---|---|---|\n| GET | `/api/servers` | `page`, `q` (name search) |\n"
    )
    assert [q.name for q in one(doc, "GET /api/servers").query_params] == ["page", "q"]


def test_path_parameters_come_from_the_path() -> None:
    assert one(
        read("#### GET /api/decks/{deckId}/cards/:cardId\n"), "GET /api/decks/{}/cards/{}"
    ).path_params == (
        "deckId",
        "cardId",
    )


def test_idempotency_key_requirement() -> None:
    doc = read(
        "#### POST /api/generations\nThe client must send an `Idempotency-Key` header.\n\n#### POST /api/decks\nCreates a deck.\n"
    )
    assert one(doc, "POST /api/generations").idempotency_key == Location(PLAN, Range(1, 25, 1, 40))
    assert one(doc, "POST /api/decks").idempotency_key is None


def test_pagination_stated_in_words_and_no_pagination() -> None:
    doc = read("#### GET /api/logs\nReturns a paginated list.\n\n#### GET /api/me\nThe profile.\n")
    assert one(doc, "GET /api/logs").pagination == Location(PLAN, Range(1, 10, 1, 19))
    assert one(doc, "GET /api/me").pagination is None
