"""Symbols of the plans: the outline of a plan document and a workspace-wide search of endpoints and tables.

- `textDocument/documentSymbol` on a plan document: an API plan's endpoints (children: their request
  and response fields), a DB plan's tables (children: columns, policies, indexes), a stage plan's stages
  (children: the endpoints, tables and policies each lists), a PRD's user stories. A parent's range
  spans its heading and every child, so the editor's outline can follow the cursor.
- `workspace/symbol`: planned endpoints (`GET /api/decks`), planned tables and the migrations' tables,
  filtered by a case-insensitive substring of the query (an empty query lists everything).

Answered from the last completed check, like the rest of navigation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from lsprotocol import types

from stage_lsp.core.location import Location, Range
from stage_lsp.lsp.nav_request import NavRequest, guarded, snapshot
from stage_lsp.lsp.nav_state import NavSnapshot
from stage_lsp.plan.model import PlanEndpoint, PlanField, PlanTable, Stage, StageItem

if TYPE_CHECKING:
    from stage_lsp.lsp.server import StageLanguageServer

Kind = types.SymbolKind
ITEM_KINDS = {"endpoint": Kind.Method, "table": Kind.Struct, "policy": Kind.Key, "other": Kind.String}


def _span(ranges: Iterable[Range]) -> Range:
    rs = list(ranges)
    start = min((r.line, r.col) for r in rs)
    end = max((r.end_line, r.end_col) for r in rs)
    return Range(start[0], start[1], end[0], end[1])


class _Builder:
    def __init__(self, req: NavRequest) -> None:
        self.req = req

    def symbol(
        self,
        name: str,
        kind: types.SymbolKind,
        selection: Location,
        children: list[tuple[types.DocumentSymbol, Range]] | None = None,
        *,
        detail: str | None = None,
        extent: Range | None = None,
    ) -> tuple[types.DocumentSymbol, Range]:
        kids = children or []
        ranges = [selection.range, *(r for _, r in kids)]
        if extent is not None:
            ranges.append(extent)
        full = _span(ranges)
        rel = selection.file
        return (
            types.DocumentSymbol(
                name=name or "?",
                kind=kind,
                detail=detail,
                range=self.req.range(rel, full),
                selection_range=self.req.range(rel, selection.range),
                children=[s for s, _ in kids] or None,
            ),
            full,
        )

    def fields(
        self, fields: tuple[PlanField, ...], rel: str, what: str
    ) -> list[tuple[types.DocumentSymbol, Range]]:
        return [
            self.symbol(f.name, Kind.Field, f.location, detail=what) for f in fields if f.location.file == rel
        ]

    def endpoint(self, e: PlanEndpoint, rel: str, where: Location) -> tuple[types.DocumentSymbol, Range]:
        kids = self.fields(e.request_fields, rel, "request") + self.fields(e.response_fields, rel, "response")
        section = e.section.range if e.section is not None and e.section.file == rel else None
        detail = e.title or (f"stage {e.stage}" if e.stage is not None else None)
        return self.symbol(f"{e.method} {e.path}", Kind.Method, where, kids, detail=detail, extent=section)

    def table(self, t: PlanTable, rel: str) -> tuple[types.DocumentSymbol, Range]:
        kids = [
            self.symbol(c.name, Kind.Field, c.location, detail=c.type)
            for c in t.columns
            if c.location.file == rel
        ]
        kids += [
            self.symbol(
                p.name or f"{p.command} policy", Kind.Key, p.location, detail=f"policy for {p.command}"
            )
            for p in t.policies
            if p.location.file == rel
        ]
        kids += [
            self.symbol(i.name or f"index ({', '.join(i.columns)})", Kind.Key, i.location, detail="index")
            for i in t.indexes
            if i.location.file == rel
        ]
        return self.symbol(t.name, Kind.Struct, t.location, kids, detail="rejected" if t.rejected else None)

    def stage(self, stage: Stage, rel: str) -> tuple[types.DocumentSymbol, Range]:
        kids = [self.item(i) for i in stage.items if i.location.file == rel]
        return self.symbol(f"Stage {stage.number}: {stage.title}", Kind.Module, stage.location, kids)

    def item(self, i: StageItem) -> tuple[types.DocumentSymbol, Range]:
        return self.symbol(i.key, ITEM_KINDS.get(i.kind, Kind.String), i.location, detail=i.mark)


def document_symbols(snap: NavSnapshot, req: NavRequest) -> list[types.DocumentSymbol]:
    rel = req.rel
    build = _Builder(req)
    out: list[tuple[types.DocumentSymbol, Range]] = []
    plan = snap.plan
    seen: set[int] = set()
    for e in plan.endpoints:
        if id(e) in seen:
            continue
        seen.add(id(e))
        if e.location.file == rel:
            out.append(build.endpoint(e, rel, e.location))
        elif e.def_location is not None and e.def_location.file == rel:  # a linked file of a multi-file plan
            out.append(build.endpoint(e, rel, e.def_location))
    out += [build.table(t, rel) for t in plan.tables if t.location.file == rel]
    out += [build.stage(s, rel) for s in plan.stages if s.location.file == rel]
    out += [
        build.symbol(f"{s.id}: {s.title}", Kind.Event, s.location)
        for s in plan.user_stories
        if s.location.file == rel
    ]
    out.sort(key=lambda pair: (pair[1].line, pair[1].col))
    return [s for s, _ in out]


async def document_symbol(
    ls: StageLanguageServer, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol] | None:
    req = await NavRequest.open(ls, params.text_document.uri)
    if req is None:
        return None
    if req.rel not in {d.file for d in req.snap.plan.documents}:
        return None
    return document_symbols(req.snap, req)


async def workspace_symbol(
    ls: StageLanguageServer, params: types.WorkspaceSymbolParams
) -> list[types.SymbolInformation] | None:
    query = params.query.strip().lower()
    out: list[types.SymbolInformation] = []
    for state in ls.roots:
        snap = await snapshot(ls, state)
        if snap is None:
            continue
        req = NavRequest(ls, state, "", snap)
        entries: list[tuple[str, str, types.SymbolKind, Location, str]] = []
        entries += [
            (f"{e.method} {e.path}", e.key, Kind.Method, e.location, "planned endpoint")
            for e in snap.plan.endpoints
        ]
        entries += [(t.name, t.name, Kind.Struct, t.location, "planned table") for t in snap.plan.tables]
        entries += [
            (t.name, t.name, Kind.Struct, t.name_location or t.location, "migration")
            for t in snap.code.tables
        ]
        for name, key, kind, loc, container in entries:
            if query and query not in name.lower() and query not in key.lower():
                continue
            out.append(
                types.SymbolInformation(
                    name=name, kind=kind, location=req.location(loc), container_name=container
                )
            )
    return out


def register(server: StageLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)(guarded(document_symbol))
    server.feature(types.WORKSPACE_SYMBOL)(guarded(workspace_symbol))
