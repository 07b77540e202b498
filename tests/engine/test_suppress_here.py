"""The "suppress here" edit: the comment covers exactly the finding, in each file kind's syntax, and
leaves what the plan readers read unchanged (a table stays a table, a JSON body gains no key)."""

from __future__ import annotations

import pytest

from stage_lsp.core.source import SourceFile
from stage_lsp.core.text import LineIndex
from stage_lsp.core.violation import Violation
from stage_lsp.engine.suppress_here import suppress_edit
from stage_lsp.engine.suppressions import apply_suppressions, find_suppressions
from stage_lsp.plan.api_reader import read_api_plan
from tests.findings import at, finding


def suppressed(rel: str, text: str, line: int, col: int = 0, code: str = "SL102") -> tuple[str, Violation]:
    """The text with the finding's suppression, and the finding moved to where its line now is."""
    v = finding(code, "drift", at(rel, line, col, line, col + 1))
    edit = suppress_edit(SourceFile.from_text(rel, text), v)
    assert edit is not None
    r = edit.location.range
    index = LineIndex(text)
    start, end = index.offset(r.line, r.col), index.offset(r.end_line, r.end_col)
    new = text[:start] + edit.new_text + text[end:]
    moved = line + edit.new_text.count("\n")
    return new, finding(code, "drift", at(rel, moved, col, moved, col + 1))


def covered(rel: str, text: str, v: Violation) -> bool:
    kept, unused = apply_suppressions([v], find_suppressions(SourceFile.from_text(rel, text)))
    return not kept and not unused


@pytest.mark.parametrize(
    ("rel", "text", "line", "expected"),
    [
        (
            "src/a.ts",
            "import x;\n\n    export const GET = 1;\n",
            2,
            "    // stage-lsp: ignore[SL102]\n    export const GET",
        ),
        (
            "supabase/migrations/1_a.sql",
            "create table a ();\n",
            0,
            "-- stage-lsp: ignore[SL102]\ncreate table a",
        ),
        ("app/main.py", "@app.get('/x')\ndef x(): ...\n", 0, "# stage-lsp: ignore[SL102]\n@app.get"),
        ("stage-lsp.toml", "select = ['SL1']\n", 0, "# stage-lsp: ignore[SL102]\nselect"),
        (".ai/api-plan.md", "# API\n\n#### GET /x\n", 2, "<!-- stage-lsp: ignore[SL102] -->\n#### GET /x"),
        (
            ".ai/api-plan.md",
            "# API\n\n  - `GET /x`\n",
            2,
            "  <!-- stage-lsp: ignore[SL102] -->\n  - `GET /x`",
        ),
    ],
)
def test_a_comment_line_above_in_the_file_kinds_syntax(rel: str, text: str, line: int, expected: str) -> None:
    new, v = suppressed(rel, text, line)
    assert expected in new
    assert covered(rel, new, v)


PLAN = """\
# API

| Method | Path | Description |
|---|---|---|
| GET | /api/a | one |
| GET | /api/b | two |

#### POST /api/c

**Request:**
```json
{
  "name": "string",
  "deck_id": "uuid"
}
```
"""


def test_a_table_row_gets_a_trailing_comment_and_stays_a_row() -> None:
    new, v = suppressed(".ai/api-plan.md", PLAN, 5, code="SL101")
    assert "| GET | /api/b | two | <!-- stage-lsp: ignore[SL101] -->\n" in new
    assert covered(".ai/api-plan.md", new, v)
    keys = [e.key for e in read_api_plan(SourceFile.from_text(".ai/api-plan.md", new)).endpoints]
    assert keys == ["GET /api/a", "GET /api/b", "POST /api/c"]


def test_a_json_body_line_gets_a_line_comment_the_body_reader_skips() -> None:
    new, v = suppressed(".ai/api-plan.md", PLAN, 13, 3, code="SL301")
    assert '  "name": "string",\n  // stage-lsp: ignore[SL301]\n  "deck_id": "uuid"' in new
    assert covered(".ai/api-plan.md", new, v)
    (_, _, post) = read_api_plan(SourceFile.from_text(".ai/api-plan.md", new)).endpoints
    assert [f.name for f in post.request_fields] == ["name", "deck_id"]


def test_no_suppression_where_no_comment_fits() -> None:
    unknown_fence = "# x\n\n```mermaid\nerDiagram\n```\n"
    assert (
        suppress_edit(SourceFile.from_text("db-plan.md", unknown_fence), finding(where=at("db-plan.md", 3)))
        is None
    )
    front = "---\ntitle: x\n---\n# API\n"
    assert (
        suppress_edit(SourceFile.from_text("api-plan.md", front), finding(where=at("api-plan.md", 0))) is None
    )
    assert (
        suppress_edit(SourceFile.from_text("package.json", "{}\n"), finding(where=at("package.json", 0)))
        is None
    )
    meta = finding("SL901", "unused", at("src/a.ts", 0))
    assert suppress_edit(SourceFile.from_text("src/a.ts", "// stage-lsp: ignore[SL102]\n"), meta) is None


TSX = """\
export function Panel({ items }) {
  const sql = `
    select *
  `;
  return (
    <div>
      <span>{items.length}</span>
    </div>
  );
}
"""


@pytest.mark.parametrize(
    ("line", "fits"),
    [
        (0, True),  # a declaration
        (1, True),  # a statement that opens a template literal
        (2, False),  # inside the template literal: the comment would become part of the string
        (5, True),  # the root JSX element after `(`: trivia
        (6, False),  # among the JSX children: the comment would render as text
        (8, True),  # `);`
    ],
)
def test_no_comment_line_inside_a_template_literal_or_jsx_children(line: int, fits: bool) -> None:
    src = SourceFile.from_text("src/Panel.tsx", TSX)
    edit = suppress_edit(src, finding("SL611", "secret", at("src/Panel.tsx", line, 4)))
    assert (edit is not None) is fits
