"""Where a missing field is appended to a zod shape or an object type (`FieldSet.insert`): after the last
member, in the notation already there (separators, trailing comma, indentation), or nowhere."""

from __future__ import annotations

import pytest

from stage_lsp.code.model import FieldSet
from stage_lsp.core.text import LineIndex
from tests.code.helpers import routes

ROUTE = "src/pages/api/x.ts"
HANDLER = """
export const POST = async ({ request }) => {
  const parsed = schema.safeParse(await request.json());
  if (!parsed.success) return new Response(null, { status: 400 });
  return new Response(null, { status: 201 });
};
"""


def request_fields(schema: str) -> FieldSet:
    files = {ROUTE: 'import { z } from "zod";\n' + schema + HANDLER}
    fs = routes(files)["POST /api/x"].request_fields
    assert fs is not None
    return fs


def appended(schema: str, member: str) -> str:
    """The schema's text with `member` appended where the reader says."""
    fs = request_fields(schema)
    assert fs.insert is not None
    text = 'import { z } from "zod";\n' + schema + HANDLER
    r = fs.insert.location.range
    at = LineIndex(text).offset(r.line, r.col)
    out = text[:at] + fs.insert.lead + member + fs.insert.trail + text[at:]
    return out[len('import { z } from "zod";\n') : -len(HANDLER)]


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        (  # one per line, trailing comma
            "const schema = z.object({\n  a: z.string(),\n  b: z.number(),\n});\n",
            "const schema = z.object({\n  a: z.string(),\n  b: z.number(),\n  c: z.x(),\n});\n",
        ),
        (  # one per line, no trailing comma, a comment after the last member
            "const schema = z.object({\n    a: z.string(),\n    b: z.number() // the b\n});\n",
            "const schema = z.object({\n    a: z.string(),\n    b: z.number(),\n    c: z.x() // the b\n});\n",
        ),
        (  # tabs are kept
            "const schema = z.object({\n\ta: z.string(),\n});\n",
            "const schema = z.object({\n\ta: z.string(),\n\tc: z.x(),\n});\n",
        ),
        (  # one line
            "const schema = z.object({ a: z.string(), b: z.number() });\n",
            "const schema = z.object({ a: z.string(), b: z.number(), c: z.x() });\n",
        ),
        (  # empty
            "const schema = z.object({});\n",
            "const schema = z.object({ c: z.x() });\n",
        ),
        (  # an extension: the key goes into the extension
            "const base = z.object({ a: z.string() });\nconst schema = base.extend({ b: z.number() }).strict();\n",
            "const base = z.object({ a: z.string() });\nconst schema = base.extend({ b: z.number(), c: z.x() }).strict();\n",
        ),
    ],
)
def test_zod_shapes(schema: str, expected: str) -> None:
    assert request_fields(schema).insert is not None
    assert request_fields(schema).insert.kind == "zod"  # type: ignore[union-attr]
    assert appended(schema, "c: z.x()") == expected


def test_no_insertion_where_a_new_key_would_not_reach_the_schema() -> None:
    picked = (
        "const base = z.object({ a: z.string(), b: z.string() });\nconst schema = base.pick({ a: true });\n"
    )
    assert request_fields(picked).insert is None
    union = "const schema = z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]);\n"
    assert request_fields(union).insert is None


def test_object_types_keep_their_separator() -> None:
    files = {
        "src/types.ts": "export interface A {\n  id: string;\n  name: string\n}\nexport type B = { id: string; name: string };\n",
        ROUTE: (
            'import type { A, B } from "../../types";\n'
            "export const POST = async ({ request }) => {\n"
            "  const body = (await request.json()) as A;\n"
            "  return new Response(null, { status: 201 });\n};\n"
            "export const PUT = async ({ request }) => {\n"
            "  const body = (await request.json()) as B;\n"
            "  return new Response(null, { status: 200 });\n};\n"
        ),
    }
    found = routes(files)
    a = found["POST /api/x"].request_fields
    b = found["PUT /api/x"].request_fields
    assert a is not None and a.insert is not None and b is not None and b.insert is not None
    assert (a.insert.lead, a.insert.trail, a.insert.kind) == ("\n  ", ";", "type")
    assert a.insert.location.range.line == 2 and a.insert.location.range.col == 14  # after `name: string`
    assert (b.insert.lead, b.insert.trail) == ("; ", "")
    assert [f.kind for f in a.fields] == ["type", "type"]


def test_field_kinds_say_how_names_are_written() -> None:
    schema = "const front = z.string();\nconst schema = z.object({ front, 'back-side': z.string() });\n"
    fs = request_fields(schema)
    assert [(f.name, f.kind) for f in fs.fields] == [("front", "zod-shorthand"), ("back-side", "zod")]
    assert fs.fields[1].location.range.end_col - fs.fields[1].location.range.col == len("'back-side'")
