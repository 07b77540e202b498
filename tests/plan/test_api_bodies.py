"""Request and response fields from JSON by example, TypeScript-ish types, field lists and tables."""

from __future__ import annotations

from stage_lsp.core.location import Location, Range
from stage_lsp.plan.model import PlanField
from tests.plan.api_helpers import PLAN, one, read


def fields(body: str, method: str = "POST") -> tuple[list[str], list[str]]:
    e = one(read(f"#### {method} /api/things\n" + body), f"{method} /api/things")
    return [f.name for f in e.request_fields], [f.name for f in e.response_fields]


def test_json_by_example_with_comments_ellipses_and_type_hints() -> None:
    e = one(
        read(
            "#### POST /api/orders\n"
            "**Request Body:**\n"
            "```json\n"
            "{\n"
            '  "carrierId": "uuid | null", // optional\n'
            '  "name": "string (required)",\n'
            '  /* nested: */ "items": [{ "sku": "string" }, ...],\n'
            '  "...": "..."\n'
            "}\n"
            "```\n"
        ),
        "POST /api/orders",
    )
    assert e.request_fields == (
        PlanField("carrierId", Location(PLAN, Range(4, 3, 4, 12)), "uuid | null", None),
        PlanField("name", Location(PLAN, Range(5, 3, 5, 7)), "string (required)", True),
        PlanField("items", Location(PLAN, Range(6, 17, 6, 22)), None, None),
    )


def test_response_label_and_bare_array_gives_element_keys() -> None:
    assert fields(
        '- **Response Payload** (200 OK):\n```json\n[\n  { "id": "uuid", "name": "x" }\n]\n```\n', "GET"
    ) == (
        [],
        ["id", "name"],
    )


def test_variants_give_the_union_and_error_bodies_are_not_response_fields() -> None:
    body = (
        '- Request JSON (planned):\n```json\n{ "date": "2025-10-15" }\n```\n'
        '- Request JSON (completed):\n```json\n{ "date": "2025-10-15", "rating": "ok" }\n```\n'
        '- Response 201:\n```json\n{ "data": {} }\n```\n'
        '**400 Bad Request (invalid date):**\n```json\n{ "error": "invalid", "message": "bad date" }\n```\n'
    )
    assert fields(body) == (["date", "rating"], ["data"])


def test_unfenced_and_inline_json_and_typescript_types() -> None:
    assert fields('- Request:\n  {\n    "email": "string",\n    "password": "string"\n  }\n') == (
        ["email", "password"],
        [],
    )
    assert fields('- Ładunek żądania: `{ "name": "string" }`.\n') == (["name"], [])
    assert fields(
        "- Request: { email: string, password?: string }\n- Response (201): { userId: UUID }\n"
    ) == (
        ["email", "password"],
        ["userId"],
    )
    assert fields("- **Sukces**: `200 OK` — JSON `{ pdfBase64, fileName, recipients: [{email}] }`\n") == (
        [],
        ["pdfBase64", "fileName", "recipients"],
    )


def test_typescript_fence_and_code_fences() -> None:
    body = (
        "**Request:**\n```ts\ninterface CreateDeck { name: string; description?: string }\n```\n"
        "**Response:**\n```js\nconst res = await fetch('/api/things');\n```\n"
    )
    assert fields(body) == (["name", "description"], [])


def test_field_lists_and_names_right_after_a_label() -> None:
    body = (
        "- Request JSON\n"
        "  - `event_type`: one of `login`,`report_view`\n"
        "  - `dwell_seconds` (number, optional; required for `report_view`)\n"
        "- Response 200: `items`: array of {`report_id`,`slug`}\n"
    )
    assert fields(body) == (["event_type", "dwell_seconds"], ["items"])


def test_field_tables_under_a_body_label() -> None:
    e = one(
        read(
            "#### POST /api/products/{id}/images\n**Request Form Data:**\n\n| Field | Type | Required |\n|---|---|---|\n"
            "| `file` | File | yes |\n| `type` | string | no |\n"
        ),
        "POST /api/products/{}/images",
    )
    assert [(f.name, f.location.range) for f in e.request_fields] == [
        ("file", Range(5, 2, 5, 8)),
        ("type", Range(6, 2, 6, 8)),
    ]


def test_bodies_by_reference_give_no_fields() -> None:
    assert fields("- Response JSON mirrors GET.\n- Response 200: same shape as by slug\n") == ([], [])


def test_headers_and_query_parameters_are_not_bodies() -> None:
    body = (
        "- Request headers:\n  - `If-None-Match` (optional)\n- Query params:\n  - `include_inactive`\n"
        '- Response 200:\n  - Headers:\n    - `ETag` — hash\n```\n{ "data": [] }\n```\n'
    )
    assert fields(body, "GET") == ([], ["data"])


def test_a_success_cell_naming_a_documented_type_takes_its_example() -> None:
    doc = read(
        "| Method | Path | Success | Notes |\n|---|---|---|---|\n"
        "| GET | `/api/servers` | 200 → `ServerList` | |\n"
        "| POST | `/api/servers/{id}/documents` | 201 | JSON body `{title, content}` |\n\n"
        '`ServerList` response example\n\n```json\n{ "data": [], "total": 3 }\n```\n'
    )
    assert [f.name for f in one(doc, "GET /api/servers").response_fields] == ["data", "total"]
    assert [f.name for f in one(doc, "POST /api/servers/{}/documents").request_fields] == ["title", "content"]


def test_a_type_name_after_a_label_is_not_a_field() -> None:
    assert fields('- **Request Body**: `CreateExerciseCommand`\n```json\n{ "name": "x" }\n```\n') == (
        ["name"],
        [],
    )


def test_a_body_that_elides_keys_or_is_called_an_excerpt_is_partial() -> None:
    def partial(body: str) -> tuple[bool, bool]:
        e = one(read("#### POST /api/things\n" + body), "POST /api/things")
        return e.request_fields_partial, e.response_fields_partial

    fence = "```json\n{}\n```\n"
    assert partial("Request:\n" + fence.replace("{}", '{ "name": "x", ... }')) == (True, False)
    assert partial("Response 201:\n" + fence.replace("{}", '{\n  "id": 1,\n  // ... other columns\n}')) == (
        False,
        True,
    )
    assert partial("Response 201:\n" + fence.replace("{}", '{ "id": 1, /* ... */ }')) == (False, True)
    assert partial("Response 201:\n" + fence.replace("{}", '{ "id": 1, "...": "..." }')) == (False, True)
    assert partial("Odpowiedź 201 (fragment):\n" + fence.replace("{}", '{ "id": 1 }')) == (False, True)
    # an ellipsis inside a value, or after the items of a list, elides no key
    assert partial(
        "Response 201:\n" + fence.replace("{}", '{ "id": "...", "tags": [...], "meta": { ... } }')
    ) == (
        False,
        False,
    )
    assert partial("Response 200:\n" + fence.replace("{}", '[ { "id": 1 }, ... ]')) == (False, False)
    assert partial("Response 200:\n" + fence.replace("{}", '{ "data": [ /* ... */ ], "page": 1 }')) == (
        False,
        False,
    )
