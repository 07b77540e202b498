"""engine.reuse: a rule's findings are reused between checks only while what it read is unchanged.

The property: after any sequence of editor edits (plans, route files, services, migrations, generated
types, project rules), a check that reuses earlier findings (as the language server does) reports
exactly what a check from scratch of the same buffers reports.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stage_lsp.config.project import load_config_lenient
from stage_lsp.core.violation import Violation
from stage_lsp.engine import Selection, run_check, select_rules
from stage_lsp.engine.reuse import RuleReuse
from stage_lsp.workspace import Workspace
from tests.conftest import EXAMPLE

FILES = (
    ".ai/api-plan.md",
    "src/components/AdminPanel.tsx",
    ".ai/db-plan.md",
    ".ai/stages-plan.md",
    "src/pages/api/decks/index.ts",
    "src/pages/api/decks/[deckId].ts",
    "src/lib/services/decks.service.ts",
    "src/lib/http.ts",
    "src/db/database.types.ts",
    "supabase/migrations/20250312_add_tags.sql",
    ".cursor/rules/backend.mdc",
)
SNIPPETS = (
    "\n#### GET /api/reuse/{id}\nReturns 200 or 404 (`NOT_FOUND`).\n",
    "\n#### DELETE /api/decks/{deckId}\n",
    "\n### tags\n- id uuid primary key\n- name text not null\n",
    "\nexport const PUT: APIRoute = async () => new Response(null, { status: 204 });\n",
    '\nreturn new Response(JSON.stringify({ error: { code: "GONE" } }), { status: 410 });\n',
    "\nexport function jsonResponse(data: unknown, status = 201) { return new Response(null, { status }); }\n",
    "\ncreate table tags (id uuid primary key, name text not null);\nalter table tags enable row level security;\n",
    "\nalter table decks disable row level security;\n",
    "\n      tags: { Row: { id: string; name: string } };\n",
    "\n// stage-lsp: ignore[SL201] reason\n",
    "\n-- stage-lsp: ignore[SL5] reason\n",
    "\n## Stage 2\n- [x] GET /api/decks\n",
    "\ncrate table broken (;\n",
    '\nconst stripe = "sk_live_' + "a1B2c3D4e5F6g7H8i9J0" + '";\n',
    "",
)


def _project(tmp: Path) -> Path:
    root = tmp / "flashcards"
    if not root.exists():
        shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".stage-lsp-cache"))
        (root / ".git").mkdir()
    return root


def _full(root: Path, overlays: dict[str, str]) -> tuple[Violation, ...]:
    project, _ = load_config_lenient(root)
    ws = Workspace(root, project.settings)
    for rel, text in overlays.items():
        ws.set_overlay(rel, text)
    return run_check(ws, _selection()).violations


def _selection() -> Selection:
    return select_rules()


# (file, snippet, where, how): "edit" inserts the snippet in the editor buffer, "undo" puts the buffer
# back to the text on disk, "close" drops the buffer, "disk" writes the edited text to disk (no buffer)
edits = st.lists(
    st.tuples(
        st.sampled_from(FILES),
        st.sampled_from(SNIPPETS),
        st.floats(0, 1),
        st.sampled_from(("edit", "edit", "undo", "close", "disk")),
    ),
    min_size=1,
    max_size=6,
)
_MTIME = [2_000_000_000 * 10**9]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits)
def test_reused_findings_equal_a_check_from_scratch(
    tmp_path: Path, sequence: list[tuple[str, str, float, str]]
) -> None:
    root = _project(tmp_path)
    project, _ = load_config_lenient(root)
    ws = Workspace(root, project.settings)
    ws.keep_routes_between_checks()
    reuse = RuleReuse()
    selection = _selection()
    overlays: dict[str, str] = {}
    ws.begin_check()
    run_check(ws, selection, reuse=reuse)
    for version, (rel, snippet, where, how) in enumerate(sequence, start=1):
        on_disk = (root / rel).read_text(encoding="utf-8")
        ws.begin_check()
        if how == "close":
            overlays.pop(rel, None)
            ws.drop_overlay(rel)
        elif how == "undo":
            overlays[rel] = on_disk  # a digest seen before
            ws.set_overlay(rel, on_disk, version)
        else:
            text = overlays.get(rel, on_disk)
            cut = int(len(text) * where)
            cut = text.rfind("\n", 0, cut) + 1
            text = text[:cut] + snippet + text[cut:]
            if how == "disk":  # changed on disk, seen by the stat of the next check
                overlays.pop(rel, None)
                ws.drop_overlay(rel)
                (root / rel).write_text(text, encoding="utf-8")
                _MTIME[0] += 10**9  # a new mtime even on a coarse clock
                os.utime(root / rel, ns=(_MTIME[0], _MTIME[0]))
                ws.begin_check()
            else:
                overlays[rel] = text
                ws.set_overlay(rel, text, version)
        incremental = run_check(ws, selection, reuse=reuse).violations
        assert incremental == _full(root, overlays), (rel, snippet, how)


def test_an_edit_of_a_route_file_reuses_the_database_rules(tmp_path: Path) -> None:
    root = _project(tmp_path)
    project, _ = load_config_lenient(root)
    ws = Workspace(root, project.settings)
    ws.keep_routes_between_checks()
    reuse = RuleReuse()
    selection = _selection()
    ws.begin_check()
    run_check(ws, selection, reuse=reuse)
    assert reuse.reused == 0
    rel = "src/pages/api/decks/index.ts"
    text = (root / rel).read_text(encoding="utf-8")
    ws.begin_check()
    ws.set_overlay(rel, text + SNIPPETS[3], 2)
    result = run_check(ws, selection, reuse=reuse)
    ran = reuse.ran
    assert reuse.reused > 0
    assert ran < len(selection.rules)
    assert any(v.code == "SL102" and v.location.file == rel for v in result.violations)
    # the same buffer again: nothing the rules read changed, so no rule runs
    ws.begin_check()
    ws.set_overlay(rel, text + SNIPPETS[3], 3)
    run_check(ws, selection, reuse=reuse)
    assert reuse.ran == 0
    assert reuse.reused == len(selection.rules)


def test_a_plan_edit_runs_the_rules_that_read_the_plan(tmp_path: Path) -> None:
    root = _project(tmp_path)
    project, _ = load_config_lenient(root)
    ws = Workspace(root, project.settings)
    reuse = RuleReuse()
    selection = _selection()
    run_check(ws, selection, reuse=reuse)
    rel = ".ai/api-plan.md"
    text = (root / rel).read_text(encoding="utf-8")
    ws.set_overlay(rel, text + SNIPPETS[0], 2)
    result = run_check(ws, selection, reuse=reuse)
    assert reuse.ran > 0
    assert any(v.code == "SL101" and "/api/reuse/" in v.message for v in result.violations)
    assert result.violations == _full(root, {rel: text + SNIPPETS[0]})


def test_a_replaced_context_never_sees_the_analyses_of_the_old_models() -> None:
    """`dataclasses.replace` with other models is another check: it starts an empty memo."""
    import dataclasses as dc

    from tests.rules import builders

    first = builders.context([builders.endpoint("GET /api/x")], [builders.route("GET /api/x")])
    assert first.memo("count", lambda c: len(c.plan.endpoints)) == 1
    other = dc.replace(first, plan=dc.replace(first.plan, endpoints=()))
    assert other.memo("count", lambda c: len(c.plan.endpoints)) == 0
    shared = dc.replace(first).share_memo(first)  # on purpose: a view of the same check
    assert shared.memo("count", lambda c: -1) == 1
