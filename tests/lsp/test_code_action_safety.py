"""Code actions, the safety rules and fix-all: a changed document gets no edit, a file is never created
over an existing one or outside the root, fix-all takes the safe fixes of a document without overlaps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from tests.lsp.actions import (
    FIX_ALL,
    PLAN,
    apply,
    cold,
    diagnostic,
    request,
    titled,
)
from tests.lsp.apply_edit import Refused, apply_workspace_edit
from tests.lsp.conftest import capabilities, lsp_session

pytestmark = pytest.mark.lsp


# -- fix-all ----------------------------------------------------------------------------------------------


async def test_fix_all_applies_the_safe_fixes_of_the_document(flashcards: Path) -> None:
    rel = "src/pages/api/generations/index.ts"
    before = (flashcards / rel).read_text(encoding="utf-8")
    async with lsp_session(flashcards, capabilities()) as s:
        provider = s.result.capabilities.code_action_provider
        assert isinstance(provider, types.CodeActionOptions)
        assert list(provider.code_action_kinds or []) == [types.CodeActionKind.QuickFix, FIX_ALL]
        d = await diagnostic(s, rel, "SL601")
        assert await request(s, rel, [], only=[types.CodeActionKind.QuickFix]) == []
        (quick, _) = await request(s, rel, [d], only=[types.CodeActionKind.QuickFix])
        assert quick.title == "stage-lsp (SL601): Add `export const prerender = false`"
        assert quick.kind == types.CodeActionKind.QuickFix
        assert await request(s, rel, [d], only=["refactor"]) == []
        (action,) = await request(s, rel, [], only=["source.fixAll"])
        assert action.kind == FIX_ALL and action.title == "stage-lsp: apply all safe fixes"
        assert action.edit is not None and action.edit.document_changes is not None
        assert [type(c) for c in action.edit.document_changes] == [types.TextDocumentEdit], "SL601 only"
        apply(s, action)
    after = (flashcards / rel).read_text(encoding="utf-8")
    assert "export const prerender = false;" in after and "prerender" not in before
    assert cold(flashcards, "SL601") == []
    assert cold(flashcards, "SL201"), "unsafe fixes are not part of fix-all"


def test_combine_leaves_out_overlapping_fixes() -> None:
    from stage_lsp.lsp.fix_edits import Change, Create, combine

    a = Change("file:///r/a.ts", 1, (1, 0), (1, 4), "x")
    b = Change("file:///r/a.ts", 1, (1, 2), (1, 6), "y")  # overlaps a
    c = Change("file:///r/a.ts", 1, (1, 4), (1, 4), "z")  # touches a's end: fine
    d = Change("file:///r/a.ts", 1, (1, 0), (1, 0), "w")  # an insertion where a starts: ambiguous
    e = Change("file:///r/a.ts", 1, (1, 4), (1, 4), "v")  # a second insertion where c inserts: after c
    new = Create("file:///r/n.ts", "1")
    other = Create("file:///r/n.ts", "2")
    assert combine([[a], [b], [c], [d], [e], [new], [other], [a]]) == [a, c, e, new]


# -- safety -----------------------------------------------------------------------------------------------


async def test_a_changed_document_gets_no_edit(flashcards: Path) -> None:
    rel = "src/lib/validation/flashcards.ts"
    text = (flashcards / rel).read_text(encoding="utf-8")
    async with lsp_session(flashcards, capabilities()) as s:
        s.open(rel, text)
        d = await diagnostic(s, rel, "SL303", "deckId")
        await s.until(lambda: s.diagnostics(rel, "SL303")[0].data["version"] == 1)
        d = s.diagnostics(rel, "SL303")[0]
        s.replace(rel, "// a comment\n" + text)  # version 2: the diagnostic is for version 1
        actions = await request(s, rel, [d])
        assert actions, "a client with disabled-action support sees why"
        for action in actions:
            assert action.edit is None and action.disabled is not None
            assert "changed since this finding" in action.disabled.reason
        # the refreshed diagnostic (version 2) has a working fix, versioned for that document
        await s.until(lambda: s.diagnostics(rel, "SL303")[0].data["version"] == 2)
        fresh = s.diagnostics(rel, "SL303")[0]
        fix = (await request(s, rel, [fresh]))[0]
        assert fix.edit is not None and fix.edit.document_changes is not None
        (change,) = fix.edit.document_changes
        assert isinstance(change, types.TextDocumentEdit) and change.text_document.version == 2
        with pytest.raises(Refused):  # an editor at another version refuses it too
            apply_workspace_edit(fix.edit, versions={s.uri(rel): 3})


async def test_a_file_changed_on_disk_gets_no_edit(flashcards: Path) -> None:
    rel = "src/lib/validation/flashcards.ts"
    caps = capabilities()
    assert caps.text_document is not None and caps.text_document.code_action is not None
    caps.text_document.code_action.disabled_support = False  # such clients get nothing
    async with lsp_session(flashcards, caps) as s:
        d = await diagnostic(s, rel, "SL303", "deckId")
        assert (await request(s, rel, [d]))[0].title.startswith("stage-lsp (SL303)")
        (flashcards / rel).write_text(
            "// edited elsewhere\n" + (flashcards / rel).read_text(), encoding="utf-8"
        )
        assert await request(s, rel, [d]) == []


async def test_never_create_over_an_existing_file(flashcards: Path) -> None:
    target = flashcards / "src/pages/api/generations/[id].ts"
    async with lsp_session(flashcards, capabilities()) as s:
        d = await diagnostic(s, PLAN, "SL101", "GET /api/generations/{id}")
        target.write_text("// written meanwhile\n", encoding="utf-8")  # the server is not told
        fix = titled(await request(s, PLAN, [d]), "stage-lsp (SL101): Create")
        assert fix.edit is None and fix.disabled is not None
        assert "already exists" in fix.disabled.reason
    assert target.read_text(encoding="utf-8") == "// written meanwhile\n"


def forged(d: types.Diagnostic, uri: str) -> types.Diagnostic:
    """The diagnostic with a fix that creates `uri` (a client may send back anything)."""
    data: dict[str, Any] = {
        **(d.data or {}),
        "fix": {
            "title": "Create it",
            "applicability": "unsafe",
            "edits": [{"kind": "create", "uri": uri, "content": "x"}],
        },
    }
    return types.Diagnostic(range=d.range, message=d.message, code=d.code, source=d.source, data=data)


async def test_never_create_outside_the_root(flashcards: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.ts"
    (tmp_path / "elsewhere").mkdir()
    (flashcards / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    async with lsp_session(flashcards, capabilities()) as s:
        d = await diagnostic(s, PLAN, "SL101", "GET /api/generations/{id}")
        for uri in (
            outside.as_uri(),
            s.uri("src") + "/../../outside.ts",
            s.uri("link/outside.ts"),  # a symlink out of the root
            "https://example.com/x.ts",
        ):
            fix = titled(await request(s, PLAN, [forged(d, uri)]), "stage-lsp (SL101): Create it")
            assert fix.edit is None and fix.disabled is not None, uri
        garbage = types.Diagnostic(
            range=d.range, message="x", code="SL101", source="stage-lsp", data={"fix": 3}
        )
        assert [a.title for a in await request(s, PLAN, [garbage])] == []
    assert not outside.exists() and not (tmp_path / "elsewhere/outside.ts").exists()


async def test_a_client_without_document_changes_gets_plain_edits_and_no_new_files(flashcards: Path) -> None:
    caps = capabilities()
    assert caps.workspace is not None
    caps.workspace.workspace_edit = None
    rel = "src/lib/validation/flashcards.ts"
    async with lsp_session(flashcards, caps) as s:
        d = await diagnostic(s, rel, "SL303", "deckId")
        rename = (await request(s, rel, [d]))[0]
        assert rename.edit is not None and rename.edit.document_changes is None
        assert rename.edit.changes is not None and list(rename.edit.changes) == [s.uri(rel)]
        d = await diagnostic(s, PLAN, "SL101", "GET /api/generations/{id}")
        create = titled(await request(s, PLAN, [d]), "stage-lsp (SL101): Create")
        assert create.edit is None and create.disabled is not None
        assert "cannot create files" in create.disabled.reason
        apply(s, rename)
    assert "  deck_id: z.string().uuid(),\n" in (flashcards / rel).read_text(encoding="utf-8")
