"""What belongs to each endpoint: its own section, the text its section shares, and what belongs to none."""

from __future__ import annotations

from stage_lsp.core.location import Location, Range
from tests.plan.api_helpers import PLAN, one, read


def test_a_heading_endpoint_owns_its_section_including_sub_headings() -> None:
    doc = read(
        "### Books\n"
        "#### GET /api/books\n"
        "Lists books.\n"
        "##### Errors\n"
        "- `401 Unauthorized`\n"
        "#### POST /api/books\n"
        "- `201 Created`\n"
    )
    books = one(doc, "GET /api/books")
    assert books.status_codes == (401,)
    assert books.section == Location(PLAN, Range(1, 0, 4, 20))
    assert one(doc, "POST /api/books").status_codes == (201,)


def test_a_trailing_general_error_section_is_not_the_last_endpoints() -> None:
    doc = read(
        "## 2. Endpoints\n### Books\n"
        "- **GET `/api/books`**\n  - Success: 200 OK\n\n"
        "- **DELETE `/api/books/{id}`**\n  - Success: 204 No Content\n\n"
        "### Error handling\n- `500 Internal Server Error` for anything unexpected\n- `429 Too Many Requests`\n\n"
        "## 3. Errors\n| Code | Meaning |\n|---|---|\n| 400 | Validation failed |\n"
    )
    assert one(doc, "GET /api/books").status_codes == (200,)
    assert one(doc, "DELETE /api/books/{}").status_codes == (204,)


def test_section_level_errors_apply_to_every_endpoint_of_the_section() -> None:
    doc = read(
        "### 2.2 Groups\n| Method | Path |\n|---|---|\n| POST | /api/groups |\n| GET | /api/groups/{id} |\n\n"
        "Errors: `401 Unauthorized`, GROUP_LIMIT_REACHED, NOT_MEMBER.\n\n"
        "### 2.3 Members\n| Method | Path |\n|---|---|\n| GET | /api/groups/{id}/members |\n"
    )
    for key in ("POST /api/groups", "GET /api/groups/{}"):
        e = one(doc, key)
        assert e.status_codes == (401,)
        assert [c.code for c in e.error_codes] == ["GROUP_LIMIT_REACHED", "NOT_MEMBER"]
        assert e.error_codes[0].location == Location(PLAN, Range(6, 28, 6, 47))
    members = one(doc, "GET /api/groups/{}/members")
    assert (members.status_codes, members.error_codes) == ((), ())


def test_a_resource_intro_applies_to_its_endpoints_but_api_wide_catalogues_to_none() -> None:
    doc = read(
        "## 2. Endpoints\nEvery endpoint may answer `500 Internal Server Error`.\n\n"
        "### Decks\nAll deck endpoints answer `401 Unauthorized` without a session.\n\n"
        "#### GET /api/decks\n- `200 OK`\n\n#### DELETE /api/decks/{id}\n- `204 No Content`\n\n"
        "### Common Error Codes\n| Code | Meaning |\n|---|---|\n| 404 | Not found |\n| 409 | Conflict |\n"
    )
    assert one(doc, "GET /api/decks").status_codes == (200, 401)
    assert one(doc, "DELETE /api/decks/{}").status_codes == (204, 401)


def test_a_titled_field_definition_owns_the_whole_titled_section() -> None:
    doc = read(
        "#### Delete a deck\n"
        "Answers `404 Not Found` when the deck is not yours.\n"
        "- **Method**: `DELETE`\n"
        "- **Path**: `/api/decks/{id}`\n"
        "- **Success Codes**: `204 No Content`\n"
        "#### Next\n- `200 OK`\n"
    )
    e = one(doc, "DELETE /api/decks/{}")
    assert e.status_codes == (204, 404)
    assert e.title == "Delete a deck"


def test_endpoints_sharing_a_heading_each_own_the_lines_up_to_the_next() -> None:
    doc = read(
        "### Reports\n\n1. GET /api/reports\n\n- Response 200\n- Errors: 400 invalid params\n\n"
        "2. GET /api/reports/{slug}\n\n- Errors: 404 not found\n"
    )
    assert one(doc, "GET /api/reports").status_codes == (200, 400)
    assert one(doc, "GET /api/reports/{}").status_codes == (404,)


def test_text_after_a_list_of_one_line_definitions_is_shared_by_all() -> None:
    doc = read(
        "### Dictionaries\n\n"
        "- **GET** `/api/companies` – autocomplete\n"
        "- **GET** `/api/products` – autocomplete\n\n"
        "All these endpoints answer `200 OK` or `401 Unauthorized`.\n"
    )
    assert one(doc, "GET /api/companies").status_codes == (200, 401)
    assert one(doc, "GET /api/products").status_codes == (200, 401)


def test_shared_lines_naming_a_method_speak_of_that_methods_endpoints() -> None:
    doc = read(
        "### 2.6 Evaluations\n| Method | Path |\n|---|---|\n"
        "| POST | /api/activities/{id}/evaluations |\n| GET | /api/activities/{id}/evaluations |\n\n"
        'Responses:\n- POST 202 `{ "data": { "queued": true } }`\n- GET list returns evaluation objects.\n\n'
        'Payload POST: `{ "force": true }`\n'
    )
    post = one(doc, "POST /api/activities/{}/evaluations")
    get = one(doc, "GET /api/activities/{}/evaluations")
    assert (post.status_codes, get.status_codes) == ((202,), ())
    assert [f.name for f in post.request_fields] == ["force"]
    assert [f.name for f in post.response_fields] == ["data"]
    assert (get.request_fields, get.response_fields) == ((), ())


def test_a_shared_body_applies_only_when_the_text_says_whose_it_is() -> None:
    doc = read(
        "### Dictionaries\n\n- **GET** `/api/companies` – autocomplete\n- **GET** `/api/products` – autocomplete\n\n"
        'All these endpoints return:\n\n```json\n{ "items": [] }\n```\n\n'
        "### Groups\n| Method | Path |\n|---|---|\n| POST | /api/groups |\n| POST | /api/groups/join |\n\n"
        'Payload POST: `{ "name": "x" }`\n'
    )
    assert [f.name for f in one(doc, "GET /api/companies").response_fields] == ["items"]
    assert [f.name for f in one(doc, "GET /api/products").response_fields] == ["items"]
    # two POST endpoints share the section: the payload cannot be attributed
    assert one(doc, "POST /api/groups").request_fields == ()
