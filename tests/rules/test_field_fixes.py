"""The fixes of SL201 and SL301-SL306 on small projects: each applies where the readers found room for it,
in the notation already there, and the check then reports the drift fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from stage_lsp.code.model import CodeField
from stage_lsp.core.location import Location, Range
from stage_lsp.plan.model import PlanField
from stage_lsp.rules._field_fixes import rename_code_field, rename_plan_field, ts_type_for
from tests.rules.fixing import apply, check, only, read, write

PLAN = ".ai/api-plan.md"
ROUTE = "src/pages/api/cards.ts"
TYPES = "src/types.ts"

PLAN_TEXT = """\
# API

#### POST /api/cards

**Request:**
```json
{
  "front": "string",
  "back": "string",
  "deck_id": "uuid"
}
```

**Response (201 Created):**
```json
{ "id": "uuid", "front": "string" }
```

**Errors:**
- `400 Bad Request` — `VALIDATION_ERROR`
- `404 Not Found` — `DECK_NOT_FOUND`
"""

ROUTE_TEXT = """\
import type { APIRoute } from "astro";
import { z } from "zod";
import { createCard } from "../../lib/cards";

const schema = z.object({
  front: z.string(),
  back: z.string(),
});

export const POST: APIRoute = async ({ request }) => {
  const parsed = schema.safeParse(await request.json());
  if (!parsed.success) {
    return new Response(JSON.stringify({ error: { code: "VALIDATION_ERROR" } }), { status: 400 });
  }
  if (parsed.data.front === "") {
    return new Response(JSON.stringify({ error: { code: "DECK_NOT_FOUND" } }), { status: 404 });
  }
  if (parsed.data.back === "") {
    return new Response(JSON.stringify({ error: { code: "CARD_LOCKED" } }), { status: 423 });
  }
  const card = await createCard(parsed.data);
  return new Response(JSON.stringify(card), { status: 201 });
};
"""

SERVICE = "src/lib/cards.ts"
SERVICE_TEXT = """\
import type { CardDto } from "../types";

export async function createCard(input: unknown): Promise<CardDto> {
  return store(input);
}
"""

TYPES_TEXT = """\
export interface CardDto {
\tid: string;
\tfront: string;
}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write(tmp_path, {PLAN: PLAN_TEXT, ROUTE: ROUTE_TEXT, TYPES: TYPES_TEXT, SERVICE: SERVICE_TEXT})


def test_sl301_adds_the_planned_field_to_the_zod_schema(project: Path) -> None:
    v = only(project, "SL301")
    assert (
        v.fix is not None
        and v.fix.title == "Accept `deck_id`: add it to the schema (src/pages/api/cards.ts:7)"
    )
    assert apply(project, v) == [ROUTE]
    assert "  back: z.string(),\n  deck_id: z.string().uuid(),\n});" in read(project, ROUTE)
    assert [f.code for f in check(project, "SL301", "SL302", "SL303")] == []


def test_sl201_adds_the_status_line_and_its_code_to_the_plan(project: Path) -> None:
    v = only(project, "SL201")
    assert v.fix is not None and v.fix.applicability.value == "unsafe"
    apply(project, v)
    assert read(project, PLAN).endswith(
        "- `404 Not Found` — `DECK_NOT_FOUND`\n- `423 Locked` — `CARD_LOCKED`\n"
    )
    assert check(project, "SL201", "SL211") == []


def test_sl302_adds_the_unplanned_field_to_the_planned_body(tmp_path: Path) -> None:
    route = ROUTE_TEXT.replace(
        "  back: z.string(),\n",
        "  back: z.string(),\n  deck_id: z.string(),\n  tags: z.array(z.string()).optional(),\n",
    )
    root = write(tmp_path, {PLAN: PLAN_TEXT, ROUTE: route, TYPES: TYPES_TEXT, SERVICE: SERVICE_TEXT})
    v = only(root, "SL302")
    assert v.fix is not None and v.fix.title == "Add `tags` to the planned request body (.ai/api-plan.md:10)"
    apply(root, v)
    assert '  "deck_id": "uuid",\n  "tags": "TODO(stage-lsp): type, optional"\n}' in read(root, PLAN)
    assert check(root, "SL301", "SL302", "SL303") == []


def test_sl304_adds_the_planned_field_to_the_dto_with_its_indentation(tmp_path: Path) -> None:
    plan = PLAN_TEXT.replace(
        '{ "id": "uuid", "front": "string" }', '{ "id": "uuid", "front": "string", "position": "integer" }'
    )
    root = write(tmp_path, {PLAN: plan, ROUTE: ROUTE_TEXT, TYPES: TYPES_TEXT, SERVICE: SERVICE_TEXT})
    v = only(root, "SL304")
    apply(root, v)
    assert (
        read(root, TYPES)
        == "export interface CardDto {\n\tid: string;\n\tfront: string;\n\tposition: number;\n}\n"
    )
    assert check(root, "SL304") == []


def test_sl305_adds_the_returned_field_to_a_single_line_body(tmp_path: Path) -> None:
    types = TYPES_TEXT.replace("\tfront: string;\n", "\tfront: string;\n\tcreated_at?: string;\n")
    root = write(tmp_path, {PLAN: PLAN_TEXT, ROUTE: ROUTE_TEXT, TYPES: types, SERVICE: SERVICE_TEXT})
    v = only(root, "SL305")
    apply(root, v)
    assert '{ "id": "uuid", "front": "string", "created_at": "TODO(stage-lsp): type, optional" }' in read(
        root, PLAN
    )
    assert check(root, "SL305") == []


def test_sl303_renames_to_the_planned_name_or_renames_the_plan(tmp_path: Path) -> None:
    route = ROUTE_TEXT.replace("  back: z.string(),\n", '  back: z.string(),\n  "deckId": z.string(),\n')
    root = write(tmp_path, {PLAN: PLAN_TEXT, ROUTE: route, TYPES: TYPES_TEXT, SERVICE: SERVICE_TEXT})
    v = only(root, "SL303")
    assert v.fix is not None and v.fix.title == "Rename `deckId` to `deck_id` as planned"
    (other,) = v.alternatives
    assert other.title == "Rename `deck_id` to `deckId` in the plan (.ai/api-plan.md)"
    apply(root, v)
    assert '  "deck_id": z.string(),' in read(root, ROUTE)  # the key's quotes are kept
    assert check(root, "SL301", "SL302", "SL303") == []


def test_sl303_alternative_amends_the_plan(tmp_path: Path) -> None:
    route = ROUTE_TEXT.replace("  back: z.string(),\n", "  back: z.string(),\n  deckId: z.string(),\n")
    root = write(tmp_path, {PLAN: PLAN_TEXT, ROUTE: route, TYPES: TYPES_TEXT, SERVICE: SERVICE_TEXT})
    v = only(root, "SL303")
    apply(root, v, v.alternatives[0])
    assert '  "deckId": "uuid"\n' in read(root, PLAN)
    assert check(root, "SL301", "SL302", "SL303") == []


def test_sl306_renames_a_shorthand_key_keeping_its_variable(tmp_path: Path) -> None:
    route = ROUTE_TEXT.replace(
        "  const card = await createCard(parsed.data);\n  return new Response(JSON.stringify(card), { status: 201 });",
        '  const Front = parsed.data.front;\n  return new Response(JSON.stringify({ id: "1", Front }), { status: 201 });',
    )
    root = write(tmp_path, {PLAN: PLAN_TEXT, ROUTE: route, TYPES: TYPES_TEXT, SERVICE: SERVICE_TEXT})
    v = only(root, "SL306")
    apply(root, v)
    assert 'JSON.stringify({ id: "1", front: Front })' in read(root, ROUTE)
    assert check(root, "SL304", "SL305", "SL306") == []


def test_no_fix_without_an_insertion_point(tmp_path: Path) -> None:
    # statuses in a table and a body given as variants: where to write is a decision, so no fix
    plan = PLAN_TEXT.replace(
        "**Errors:**\n- `400 Bad Request` — `VALIDATION_ERROR`\n- `404 Not Found` — `DECK_NOT_FOUND`\n",
        "| Status | Code |\n|---|---|\n| 400 | `VALIDATION_ERROR` |\n| 404 | `DECK_NOT_FOUND` |\n",
    )
    route = ROUTE_TEXT.replace("const schema = z.object({", "const schema = z.object({\n  tags: z.string(),")
    root = write(tmp_path, {PLAN: plan, ROUTE: route, TYPES: TYPES_TEXT, SERVICE: SERVICE_TEXT})
    assert only(root, "SL201").fix is None
    picked = ROUTE_TEXT.replace("const schema = z.object({", "const base = z.object({").replace(
        "});\n\nexport", "});\nconst schema = base.pick({ front: true, back: true });\n\nexport"
    )
    root2 = write(tmp_path / "b", {PLAN: PLAN_TEXT, ROUTE: picked, TYPES: TYPES_TEXT, SERVICE: SERVICE_TEXT})
    assert only(root2, "SL301").fix is None  # a key added to a picked base would be dropped again


def field(name: str, width: int, kind: str) -> CodeField:
    return CodeField(name, Location("a.ts", Range(3, 2, 3, 2 + width)), kind=kind)


def test_rename_edits_respect_how_the_key_is_written() -> None:
    quoted = rename_code_field(field("deckId", 8, "zod"), "deck_id")
    assert quoted is not None and quoted.edits[0].location.range == Range(3, 3, 3, 9)  # inside the quotes
    bare = rename_code_field(field("deckId", 6, "type"), "deck-id")
    assert bare is not None and bare.edits[0].new_text == '"deck-id"'  # not an identifier: quoted
    assert rename_code_field(field("deckId", 6, ""), "deck_id") is None  # a destructuring: no rename
    assert rename_code_field(field("deckId", 10, "zod"), "deck_id") is None  # computed key
    assert rename_code_field(field("deckId", 8, "zod"), 'de"ck') is None
    planned = PlanField("deck_id", Location(PLAN, Range(9, 3, 9, 10)))
    assert rename_plan_field(planned, "deck id") is None


def test_typescript_types_from_plan_hints() -> None:
    f = lambda hint: PlanField("x", Location(PLAN, Range(0, 0, 0, 1)), hint)  # noqa: E731
    assert ts_type_for(f("uuid")) == "string"
    assert ts_type_for(f("integer (max 100)")) == "number"
    assert ts_type_for(f("boolean | null")) == "boolean | null"
    assert ts_type_for(f("string[]")) == "unknown[]"


def test_no_code_rename_that_breaks_another_endpoint_served_by_the_same_type(tmp_path: Path) -> None:
    """Two endpoints return one DTO and their plans disagree on a name: renaming in the code for one
    would make the other report the opposite rename (and `--fix` flip it back and forth). Only the plan
    side is offered."""
    plan = PLAN_TEXT.replace(
        '{ "id": "uuid", "front": "string" }', '{ "id": "uuid", "front": "string", "deck_id": "uuid" }'
    ) + (
        "\n#### GET /api/cards/{id}\n\n**Response (200 OK):**\n```json\n"
        '{ "id": "uuid", "front": "string", "deckId": "uuid" }\n```\n'
    )
    types = TYPES_TEXT.replace("\tfront: string;\n", "\tfront: string;\n\tdeckId: string;\n")
    get = """\
import type { APIRoute } from "astro";
import { getCard } from "../../../lib/cards";

export const GET: APIRoute = async ({ params }) => {
  const card = await getCard(params.id);
  return new Response(JSON.stringify(card), { status: 200 });
};
"""
    service = SERVICE_TEXT + (
        "\nexport async function getCard(id: string | undefined): Promise<CardDto> {\n  return load(id);\n}\n"
    )
    files = {
        PLAN: plan,
        ROUTE: ROUTE_TEXT,
        TYPES: types,
        SERVICE: service,
        "src/pages/api/cards/[id].ts": get,
    }
    root = write(tmp_path, files)
    v = only(root, "SL306")
    assert "`deckId` is planned as `deck_id`" in v.message
    assert v.fix is None
    assert [a.title for a in v.alternatives] == ["Rename `deck_id` to `deckId` in the plan (.ai/api-plan.md)"]
    apply(root, v, v.alternatives[0])
    assert check(root, "SL304", "SL305", "SL306") == []
