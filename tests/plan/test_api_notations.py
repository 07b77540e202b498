"""Every endpoint notation of FORMATS.md section (a): the model and the exact range of each definition.

Ranges are 0-based (line, column) in code points, end exclusive, and run from the method to the end of
the path (for a Method/Path pair: from the method on the Method line to the path's end on the Path line).
"""

from __future__ import annotations

import pytest

from stage_lsp.core.location import Range
from tests.plan.api_helpers import keys, one, read, where


@pytest.mark.parametrize(
    ("heading", "key", "raw", "rng"),
    [
        ("#### GET /api/books", "GET /api/books", "/api/books", Range(2, 5, 2, 19)),
        (
            "#### POST `/api/auth/register`",
            "POST /api/auth/register",
            "/api/auth/register",
            Range(2, 5, 2, 29),
        ),
        ("#### **`GET /press_reviews`**", "GET /press_reviews", "/press_reviews", Range(2, 8, 2, 26)),
        ("#### `GET /accounts`", "GET /accounts", "/accounts", Range(2, 6, 2, 19)),
        (
            "### 2.1 Lista (GET /api/groups/{group_id}/x)",
            "GET /api/groups/{}/x",
            "/api/groups/{group_id}/x",
            Range(2, 15, 2, 43),
        ),
    ],
)
def test_heading(heading: str, key: str, raw: str, rng: Range) -> None:
    doc = read(f"# API\n\n{heading}\nGet them.\n")
    e = one(doc, key)
    assert (e.raw_path, where(e), e.location.file) == (raw, rng, ".ai/api-plan.md")


def test_heading_endpoint_has_display_path_and_path_params() -> None:
    e = one(read("#### PATCH /api/decks/:deckId/cards/{card_id}\n"), "PATCH /api/decks/{}/cards/{}")
    assert e.path == "/api/decks/{deckId}/cards/{card_id}"
    assert e.path_params == ("deckId", "card_id")
    assert e.method == "PATCH"


@pytest.mark.parametrize(
    ("lines", "key", "rng"),
    [
        (
            ["- **Method**: `POST`", "- **Path**: `/api/questions/generate`"],
            "POST /api/questions/generate",
            Range(3, 15, 4, 36),
        ),
        (["- Method: POST", "- Path: /api/draws"], "POST /api/draws", Range(3, 10, 4, 18)),
        (["- Method: `GET`", "- URL: `/decks`"], "GET /decks", Range(3, 11, 4, 14)),
        (
            ["- **Method**: `GET`  ", "  **Path**: `/api/users/me/profile`"],
            "GET /api/users/me/profile",
            Range(3, 15, 4, 34),
        ),
        (
            ["1. **List Users**", "   - **Method:** GET", "   - **URL:** `/users`"],
            "GET /users",
            Range(4, 17, 5, 21),
        ),
        (
            ["- **Metoda**: `DELETE`", "- **Ścieżka**: `/api/plany/{id}`"],
            "DELETE /api/plany/{}",
            Range(3, 15, 4, 31),
        ),
        (["- Path: /api/draws", "- Method: PUT"], "PUT /api/draws", Range(3, 8, 4, 13)),
    ],
    ids=["bold", "plain", "url", "indented-path", "nested-numbered", "polish", "path-first"],
)
def test_method_and_path_fields(lines: list[str], key: str, rng: Range) -> None:
    doc = read("# API\n\n#### Do something\n" + "\n".join(lines) + "\n- Description: does it\n")
    e = one(doc, key)
    assert where(e) == rng
    assert e.title == "#### Do something".lstrip("# ")


def test_method_field_without_a_path_field_defines_nothing() -> None:
    assert keys(read("#### Generate\n- **Method**: `POST`\n- **Description**: makes things\n")) == []


def test_bold_method_and_path_bullet() -> None:
    doc = read("### 2.2 Household\n\n- **GET `/api/household`**\n  - Description: Fetches it.\n")
    assert where(one(doc, "GET /api/household")) == Range(2, 4, 2, 23)


def test_table_method_first_with_and_without_backticks() -> None:
    doc = read(
        "### Groups\n"
        "| Method | Path | Description |\n"
        "|--------|------|-------------|\n"
        "| POST | /api/groups | Create group. |\n"
        "| GET | `/api/groups/{group_id}` | Get one. |\n"
    )
    assert keys(doc) == ["POST /api/groups", "GET /api/groups/{}"]
    assert where(doc.endpoints[0]) == Range(3, 2, 3, 20)
    assert where(doc.endpoints[1]) == Range(4, 2, 4, 31)


def test_table_path_first() -> None:
    doc = read(
        "| Endpoint | Method | Status |\n"
        "| --- | --- | --- |\n"
        "| `/api/briefs/:id` | PATCH | ✅ Implemented |\n"
    )
    e = one(doc, "PATCH /api/briefs/{}")
    assert (e.raw_path, where(e)) == ("/api/briefs/:id", Range(2, 3, 2, 27))


def test_table_row_whose_header_and_delimiter_disagree_is_still_read() -> None:
    doc = read(
        "| Method | Path | Description |\n| --- | --- | --- | --- |\n| GET | `/api/servers/{id}/analytics` | List |\n"
    )
    assert keys(doc) == ["GET /api/servers/{}/analytics"]


def test_bold_method_then_code_path() -> None:
    doc = read("#### 2.1 Add product\n\n**POST** `/api/products`\n\nAdds one.\n")
    assert where(one(doc, "POST /api/products")) == Range(2, 2, 2, 23)


@pytest.mark.parametrize(
    ("line", "key", "rng"),
    [
        (
            "- PUT `/api/playlists/{playlistId}/tracks/reorder`",
            "PUT /api/playlists/{}/tracks/reorder",
            Range(1, 2, 1, 49),
        ),
        ("-- POST `/api/v1/workouts`", "POST /api/v1/workouts", Range(1, 3, 1, 25)),
        ("- **GET** `/api/v1/orders`", "GET /api/v1/orders", Range(1, 4, 1, 25)),
    ],
)
def test_list_items(line: str, key: str, rng: Range) -> None:
    assert where(one(read(f"### Orders\n{line}\n  - Opis: lista\n"), key)) == rng


def test_numbered_list_with_a_status_marker() -> None:
    doc = read("### Reports\n\n1. GET /api/reports\n\n6. GET /api/admin/imports ✅ **IMPLEMENTED**\n")
    assert keys(doc) == ["GET /api/reports", "GET /api/admin/imports"]
    assert where(doc.endpoints[0]) == Range(2, 3, 2, 19)
    assert where(doc.endpoints[1]) == Range(4, 3, 4, 25)


def test_bare_lines_and_analysis_lines_with_descriptions() -> None:
    doc = read(
        "Auth\n\nPOST /api/auth/register\n\n5. Mapping\n   Portfolio Management\n"
        "   GET /portfolios - List user portfolios\n   POST /portfolios - Create new portfolio\n"
    )
    assert keys(doc) == ["POST /api/auth/register", "GET /portfolios", "POST /portfolios"]
    assert where(doc.endpoints[0]) == Range(2, 0, 2, 23)
    assert where(doc.endpoints[1]) == Range(6, 3, 6, 18)


def test_combined_endpoint_field() -> None:
    doc = read(
        "# 3.3 Create\n\n**Endpoint:** `POST /rest/v1/rpc/create_project`  \n**Description:** creates\n"
    )
    e = one(doc, "POST /rest/v1/rpc/create_project")
    assert where(e) == Range(2, 15, 2, 47)
    assert e.external


def test_backslash_escaped_markdown_with_nbsp_fences() -> None:
    doc = read(
        "\\## 2. Endpoints\n\n"
        "\\#### `GET /api/meal-plans`\n\n"
        "\\- \\*\\*Description\\*\\*: Lists plans.\n\n"
        "\\- \\*\\*Response Payload\\*\\* (200 OK):\n\n"
        '&nbsp; ```json\n\n&nbsp; \\[\n\n&nbsp; {\n\n&nbsp; "meal\\_name": "x"\n\n&nbsp; }\n\n&nbsp; \\]\n\n&nbsp; ```\n\n'
        "\\- \\*\\*Error\\*\\*: `404 Not Found`\n"
    )
    e = one(doc, "GET /api/meal-plans")
    assert where(e) == Range(2, 7, 2, 26)  # columns of the escaped original line
    assert e.status_codes == (200, 404)
    assert [f.name for f in e.response_fields] == ["meal_name"]
    assert e.response_fields[0].location.range == Range(14, 8, 14, 18)


def test_colon_custom_methods_are_not_parameters() -> None:
    doc = read("#### POST /api/notebooks:import\n\n#### POST /api/jobs/:jobId:cancel\n")
    assert keys(doc) == ["POST /api/notebooks:import", "POST /api/jobs/{}:cancel"]
    cancel = doc.endpoints[1]
    assert (cancel.path, cancel.path_params) == ("/api/jobs/{jobId}:cancel", ("jobId",))


def test_query_string_in_the_path_is_kept_raw_and_dropped_from_the_key() -> None:
    e = read("### Plans\n- GET `/api/plans?limit&cursor&sort=updated_at`\n").endpoints[0]
    assert (e.key, e.path, e.raw_path) == (
        "GET /api/plans",
        "/api/plans",
        "/api/plans?limit&cursor&sort=updated_at",
    )
    assert where(e) == Range(1, 2, 1, 46)
