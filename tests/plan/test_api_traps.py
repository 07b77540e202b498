"""What looks like an endpoint definition but is not one (FORMATS.md section a, the traps)."""

from __future__ import annotations

from stage_lsp.core.location import Range
from tests.plan.api_helpers import keys, one, read, where


def test_fences_are_never_definitions() -> None:
    doc = read(
        '#### GET /api/books\n\n```http\nPOST /api/books\n```\n\n```json\n{ "next": "GET /api/books?page=2" }\n```\n'
    )
    assert keys(doc) == ["GET /api/books"]


def test_a_mention_in_prose_is_not_a_definition() -> None:
    doc = read("#### POST /api/steps\n\nThe client then calls `POST /api/logs` and GET /api/status.\n")
    assert keys(doc) == ["POST /api/steps"]


def test_table_of_contents_links_are_not_definitions() -> None:
    doc = read(
        "## Contents\n- [GET /api/books](#get-apibooks)\n- [POST /api/books](#post-apibooks)\n\n#### GET /api/books\n"
    )
    assert keys(doc) == ["GET /api/books"]
    assert where(doc.endpoints[0]) == Range(4, 5, 4, 19)


def test_option_analysis_lines_are_not_definitions() -> None:
    doc = read(
        "3. Mapping\n   Option 1: GET /portfolios/{id} - single portfolio\n"
        "     - Option 2: `POST /api/users` (Create user)\n   Decision: use option 1.\n"
    )
    assert keys(doc) == []


def test_curl_examples_are_not_definitions() -> None:
    doc = read(
        "#### GET /api/books\n\nExample: `curl -X POST http://localhost:3000/api/books`\n\n"
        "```bash\ncurl -X DELETE /api/books/1\n```\n"
    )
    assert keys(doc) == ["GET /api/books"]


def test_commented_out_headings_are_not_definitions() -> None:
    doc = read(
        "[//]: # (#### GET /api/chapters//:id)\n\n<!--\n#### GET /api/old\n-->\n\n#### GET /api/chapters/:id\n"
    )
    assert keys(doc) == ["GET /api/chapters/{}"]


def test_a_summary_row_repeating_a_detailed_section_is_not_a_second_definition() -> None:
    doc = read(
        "## Summary\n| Method | Path |\n|---|---|\n| GET | /api/books |\n| DELETE | /api/books/{id} |\n\n"
        "## Details\n#### GET /api/books\n- Success: `200 OK`\n"
    )
    assert keys(doc) == ["DELETE /api/books/{}", "GET /api/books"]  # document order
    books = one(doc, "GET /api/books")
    assert (where(books).line, books.status_codes) == (7, (200,))
    # a summary row that is the only definition is one, at the row
    assert where(one(doc, "DELETE /api/books/{}")) == Range(4, 2, 4, 26)


def test_a_parameterised_summary_row_covering_detailed_definitions_is_a_summary() -> None:
    doc = read(
        "**POST** `/api/scans/barcode`\n\n**POST** `/api/scans/ocr`\n\n"
        "| Table | Endpoints |\n|---|---|\n| scans_log | POST /api/scans/{operation} |\n"
    )
    assert keys(doc) == ["POST /api/scans/barcode", "POST /api/scans/ocr"]


def test_compound_summary_forms_are_not_definitions() -> None:
    doc = read(
        "| Table | Endpoints |\n|---|---|\n| products | POST/GET/PATCH/DELETE /api/products[/{productId}] |\n\n"
        "- PUT/PATCH `/locations/:location_id/pricing`\n"
    )
    assert keys(doc) == []


def test_duplicate_detailed_definitions_keep_the_dominant_notation() -> None:
    doc = read(
        "## Rate limits\n- POST `/api/generations`: expensive, 10/hour\n\n## Endpoints\n"
        "#### POST /api/generations\n- `201 Created`\n\n#### GET /api/generations\n\n#### GET /api/stats\n"
    )
    assert keys(doc) == ["POST /api/generations", "GET /api/generations", "GET /api/stats"]
    assert where(one(doc, "POST /api/generations")).line == 4


def test_query_variants_of_one_path_stay_separate_definitions() -> None:
    doc = read(
        "# 7.1 Active job\n**Endpoint:** `GET /rest/v1/jobs?status=in.(pending,running)`\n\n"
        "# 7.2 Jobs\n**Endpoint:** `GET /rest/v1/jobs?order=created_at.desc`\n"
    )
    assert keys(doc) == ["GET /rest/v1/jobs", "GET /rest/v1/jobs"]


def test_ideas_sections_are_not_definitions_but_post_mvp_sections_are_marked() -> None:
    doc = read(
        "## 2. Endpoints\n### 2.9 Billing (Post-MVP optional)\n| Method | Path |\n|---|---|\n| GET | /billing/plans |\n\n"
        "## 5. Future API Enhancements (Post-MVP)\nNot included in current plan:\n"
        "- **PATCH `/flashcards/{id}`**: partial updates\n"
    )
    assert keys(doc) == ["GET /billing/plans"]
    plans = doc.endpoints[0]
    assert (plans.post_mvp, plans.optional) == (True, False)


def test_paths_need_a_segment() -> None:
    assert keys(read("- GET / - the root\n- POST /\n")) == []


def test_nested_items_about_an_endpoint_are_mentions_when_endpoints_are_listed_at_the_top() -> None:
    doc = read(
        "### Flashcards\n- **POST `/api/flashcards`**: creates one\n\n"
        "### Rate limits\n- Expensive calls:\n  - POST `/api/generations`: 10/hour per user\n\n"
        "### Testing\n1. Happy path\n   1. Sign in\n   2. GET `/api/learning/session` → verify the new cards\n"
    )
    assert keys(doc) == ["POST /api/flashcards"]


def test_endpoints_grouped_under_nested_bullets_are_definitions() -> None:
    doc = read("- Flashcards\n  - GET `/api/flashcards` – list\n  - POST `/api/flashcards` – create\n")
    assert keys(doc) == ["GET /api/flashcards", "POST /api/flashcards"]
