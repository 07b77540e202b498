"""Reader results are a function of the file alone: query captures are visited in document order."""

from __future__ import annotations

from stage_lsp.code.treesitter import captures_in_order, parser, query
from tests.code.helpers import routes

SHADOWED = """\
export const POST = async ({ request }) => {
  if (request.headers.get("x-a")) {
    const outcome = { draft: true };
    console.log(outcome);
  }
  const outcome = { id: 1, saved: true };
  return new Response(JSON.stringify(outcome), { status: 201 });
};
"""


def test_captures_come_in_document_order() -> None:
    source = b"const a = 1;\nfunction f() { const b = 2; { const c = 3; } }\nconst d = 4;\n"
    tree = parser("typescript").parse(source)
    caps = captures_in_order(query("typescript", "(variable_declarator) @var"), tree.root_node)
    assert [n.text for n in caps["var"]] == [b"a = 1", b"b = 2", b"c = 3", b"d = 4"]


def test_a_name_declared_in_two_blocks_reads_as_its_last_declaration() -> None:
    found = routes({"src/pages/api/drafts.ts": SHADOWED})
    response = found["POST /api/drafts"].response_fields
    assert response is not None and [f.name for f in response.fields] == ["id", "saved"]


GUARDS = """\
const problem = (code: string, message: string) => ({ error: { code, message } });

export const POST = async ({ request, locals }) => {
  if (!locals.supabase) {
    const err = problem("INTERNAL", "no client");
    return new Response(JSON.stringify(err), { status: 500 });
  }
  const body = await request.json().catch(() => null);
  if (!body) {
    const err = problem("INVALID_BODY", "bad json");
    return new Response(JSON.stringify(err), { status: 400 });
  }
  return new Response(JSON.stringify({ ok: true }), { status: 201 });
};
"""


def test_a_return_sees_the_declaration_of_its_own_block() -> None:
    found = routes({"src/pages/api/guarded.ts": GUARDS})
    post = found["POST /api/guarded"]
    assert sorted((c.code, c.status) for c in post.error_codes) == [("INTERNAL", 500), ("INVALID_BODY", 400)]
