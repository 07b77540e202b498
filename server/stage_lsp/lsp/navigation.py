"""Navigation between plans and code: hover, go to definition (both ways), references and code lens.

Answered from the last completed check (`NavSnapshot`, see nav_state): a request never runs the check,
and before the first check finished every answer is empty. What is linked is what the rules consider
implemented (`engine.links`).

- Hover on a handler export, a CREATE TABLE / policy / index statement or a column of a migration shows
  the planned contract; on a plan endpoint, table, policy, index or column, where it is implemented.
- Definition goes from a plan entity (or a stage-plan line naming one) to its code, and from code to the
  plan. References list the plan definition, the code sites, the stage-plan lines and user stories that
  name it, and (for a table) the queries that read or write it.
- Code lenses sit on plan endpoints, handlers, plan tables and CREATE TABLE statements. Their command
  is empty (`""`): a title only, which editors show as text and do nothing on click; no client-specific
  command is needed. After a check that changed any title, a client that supports it is asked to fetch
  lenses again (`workspace/codeLens/refresh`): a new handler updates the plan's lens while the plan is
  open. Whether a title changed is found after the check's diagnostics are out, and only while the
  client shows lenses (it fetched some since the last refresh): otherwise its next fetch is fresh anyway.
"""

from __future__ import annotations

import asyncio
import traceback
from typing import TYPE_CHECKING

from lsprotocol import types

from stage_lsp.code.model import Route, SchemaTable
from stage_lsp.engine.links import Entity
from stage_lsp.lsp import nav_text
from stage_lsp.lsp.nav_request import NavRequest, guarded, snapshot
from stage_lsp.lsp.nav_state import NavSnapshot
from stage_lsp.lsp.roots import RootState
from stage_lsp.plan.model import PlanEndpoint, PlanTable

if TYPE_CHECKING:
    from stage_lsp.lsp.server import StageLanguageServer


async def hover(ls: StageLanguageServer, params: types.HoverParams) -> types.Hover | None:
    req = await NavRequest.open(ls, params.text_document.uri)
    if req is None:
        return None
    line, col = req.position(params.position)
    anchors = req.snap.links.all_at(req.rel, line, col)
    if not anchors:
        return None
    text = nav_text.hover_markdown(anchors, req.snap)
    if text is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
        range=req.range(req.rel, anchors[0].location.range),
    )


async def definition(ls: StageLanguageServer, params: types.DefinitionParams) -> list[types.Location] | None:
    req = await NavRequest.open(ls, params.text_document.uri)
    if req is None:
        return None
    line, col = req.position(params.position)
    targets = {
        t for a in req.snap.links.all_at(req.rel, line, col) for t in req.snap.links.definitions(a.entity)
    }
    return [req.location(t) for t in sorted(targets)] or None


async def references(ls: StageLanguageServer, params: types.ReferenceParams) -> list[types.Location] | None:
    req = await NavRequest.open(ls, params.text_document.uri)
    if req is None:
        return None
    line, col = req.position(params.position)
    include = params.context.include_declaration
    links = req.snap.links
    found = {
        loc
        for a in links.all_at(req.rel, line, col)
        for loc in links.references(a.entity, include_declaration=include)
    }
    return [req.location(loc) for loc in sorted(found)] or None


def _title(entity: Entity, snap: NavSnapshot) -> str | None:
    if isinstance(entity, PlanEndpoint):
        return nav_text.endpoint_lens(entity, snap)
    if isinstance(entity, Route):
        return nav_text.route_lens(entity, snap.links)
    if isinstance(entity, PlanTable):
        return nav_text.table_lens(entity, snap.links)
    if isinstance(entity, SchemaTable):
        return nav_text.schema_table_lens(entity, snap.links)
    return None


async def code_lens(ls: StageLanguageServer, params: types.CodeLensParams) -> list[types.CodeLens] | None:
    req = await NavRequest.open(ls, params.text_document.uri)
    if req is None:
        return None
    if not any(shown is req.snap for shown in req.state.lens_shown):
        req.state.lens_shown.append(req.snap)
    links = req.snap.links
    lenses: list[types.CodeLens] = []
    seen: set[tuple[int, int, str]] = set()
    for anchor in links.in_file(req.rel):
        if isinstance(anchor.entity, SchemaTable) and anchor.location != anchor.entity.location:
            continue  # its RLS statement: the lens sits on the CREATE TABLE only
        title = _title(anchor.entity, req.snap)
        r = anchor.location.range
        if title is None or (r.line, r.col, title) in seen:
            continue
        seen.add((r.line, r.col, title))
        lenses.append(
            types.CodeLens(
                range=req.range(req.rel, anchor.location.range),
                command=types.Command(title=title, command=""),
            )
        )
    return lenses


def lens_titles(snap: NavSnapshot) -> tuple[tuple[str, str], ...]:
    """Every lens title by file: what changes when a lens must be asked for again (titles name the other
    side's file and line, so an edit in one file changes lenses in others)."""
    found = snap.memo.get("lens-titles")
    if found is None:
        out: list[tuple[str, str]] = []
        for rel, anchors in snap.links.anchors.items():
            for anchor in anchors:
                title = _title(anchor.entity, snap)
                if title is not None:
                    out.append((rel, title))
        found = snap.memo["lens-titles"] = tuple(sorted(out))
    titles: tuple[tuple[str, str], ...] = found
    return titles


def checked(ls: StageLanguageServer, state: RootState) -> None:
    """A check's diagnostics were published: ask the client to fetch code lenses again
    (`workspace/codeLens/refresh`, when it supports it) after the first check (lenses asked for before
    it got nothing), and later when a title of the lenses it fetched since the last refresh changed (an
    open plan's lenses follow code edits). The comparison needs the new snapshot: it is built in the
    background, after the diagnostics are out, and only while the client shows lenses."""
    workspace = ls.client_capabilities.workspace
    code_lens = workspace.code_lens if workspace is not None else None
    if code_lens is None or not code_lens.refresh_support:
        return
    if not state.lens_told:
        _refresh(ls, state)
    elif state.lens_shown:
        task = asyncio.get_running_loop().create_task(_compare(ls, state, state.generation))
        ls.background.add(task)
        task.add_done_callback(ls.background.discard)


async def _compare(ls: StageLanguageServer, state: RootState, generation: int) -> None:
    if generation != state.generation:
        return  # a newer change is on its way: its check compares
    try:
        snap = await snapshot(ls, state)
        if snap is None or not state.lens_shown:
            return
        titles = lens_titles(snap)
        if any(lens_titles(shown) != titles for shown in state.lens_shown):
            _refresh(ls, state)
    except Exception:
        ls.log(f"comparing code lenses failed:\n{traceback.format_exc()}", types.MessageType.Error, once=True)


def _refresh(ls: StageLanguageServer, state: RootState) -> None:
    state.lens_told = True
    state.lens_shown.clear()
    ls.workspace_code_lens_refresh(None)


def register(server: StageLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_HOVER)(guarded(hover))
    server.feature(types.TEXT_DOCUMENT_DEFINITION)(guarded(definition))
    server.feature(types.TEXT_DOCUMENT_REFERENCES)(guarded(references))
    server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))(
        guarded(code_lens)
    )
