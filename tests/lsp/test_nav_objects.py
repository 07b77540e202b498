"""Which object a cursor is in (lsp.nav_objects): zod schemas and object types, not literals or values."""

from __future__ import annotations

from stage_lsp.lsp.nav_objects import enclosing_carrier, open_braces


def carrier_at(text: str) -> tuple[str, list[str]] | None:
    """The carrier at the `|` in `text` (removed): its kind and the member names it has."""
    offset = text.index("|")
    found = enclosing_carrier(text.replace("|", "", 1), offset)
    return None if found is None else (found.kind, sorted(found.keys))


def test_zod_schemas_and_object_types_are_carriers() -> None:
    assert carrier_at("const s = z.object({\n  front: z.string().min(1),\n  |\n});") == ("zod", ["front"])
    assert carrier_at("const s = base.extend({ a: z.number(), | });") == ("zod", ["a"])
    assert carrier_at("export interface Dto extends Base {\n  id: string;\n  |\n}") == ("type", ["id"])
    assert carrier_at("type Dto<T> = {\n  |\n  data: T[];\n};") == ("type", ["data"])
    assert carrier_at("let body: { |a: string } = x;") == ("type", ["a"])


def test_literals_values_and_nested_objects_are_not() -> None:
    assert carrier_at("return jsonResponse({ data, | });") is None  # a response being built
    assert carrier_at("const x = { a: 1, | };") is None
    assert carrier_at("const s = z.object({ meta: z.object({ | }) });") is None  # nested: a field's value
    assert carrier_at("function f() {\n  const x = { a: { | } };\n}") is None  # `a: {` inside braces
    assert carrier_at("const s = z.object({}); |") is None


def test_strings_and_comments_do_not_count_braces() -> None:
    text = 'const s = z.object({\n  a: z.string().regex(/x/), // } not a brace\n  b: "}{",\n  /* { */ |\n});'
    assert carrier_at(text) == ("zod", ["a", "b"])
    assert open_braces("`${ {a} }` {", 12) == [11]
