"""Completion of planned field names inside the zod schemas and DTO types that carry an endpoint's fields.

Two ways to know which endpoint a schema or type is for:

1. The code readers record, for each handler, where its request and response fields come from
   (`FieldSet.source`: a `z.object({...})`, an interface or object type, possibly in another file, such
   as `src/lib/validation/`). Inside the braces of such a source, the planned request (or response)
   fields of the endpoint(s) that handler implements are offered.
2. In a route file, a zod object schema or an object type that no handler uses yet (being written): the
   planned fields of the endpoints the file serves (zod: request fields and query parameters; a type:
   request and response fields). See nav_objects for what counts as a schema or a type.

Only at the place where a member name goes (after `{`, `,`, `;` or at the start of a line), and never a
name the object already has. Nowhere else: not in values, not in object literals (a response being
built), not in nested objects, not in files that serve no planned endpoint and carry no linked fields.

Positions typed since the last check are mapped to it (nav_state.TextShift), so completing in a schema
being edited works before the recheck runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from lsprotocol import types

from stage_lsp.code.model import FieldSet, Route
from stage_lsp.core.location import Location
from stage_lsp.lsp.nav_objects import ZOD_SHAPE, Carrier, carrier_kind, enclosing_carrier
from stage_lsp.lsp.nav_request import NavRequest, guarded
from stage_lsp.lsp.nav_state import NavSnapshot
from stage_lsp.lsp.nav_text import label, where
from stage_lsp.plan.model import PlanEndpoint, PlanField

if TYPE_CHECKING:
    from stage_lsp.lsp.server import StageLanguageServer

# What may precede the cursor on its line, after the last `{`, `,` or `;`: nothing, or the start of a name.
_KEY_START = re.compile(r"""\s*(?:readonly\s+)?["']?[A-Za-z_$][\w$-]*$|\s*$""")
Side = Literal["request", "response", "query"]


@dataclass(frozen=True)
class Holder:
    """A field source containing the cursor, with the route and side it carries fields for."""

    source: Location
    fields: FieldSet
    route: Route
    side: Side


def _inside_carrier(snap: NavSnapshot, source: Location, line: int, col: int) -> bool:
    """Strictly between the first `{` and the last `}` of a zod object schema or an object type (an
    interface body, a type alias); not in an object literal (a response body being built)."""
    lines = snap.lines(source.file)
    if lines is None:
        return False
    r = source.range
    start, end = lines.offset(r.line, r.col), lines.offset(r.end_line, r.end_col)
    text = lines.text[start:end]
    opening, closing = text.find("{"), text.rfind("}")
    if opening == -1 or closing <= opening:
        return False
    head = text[:opening]
    if head.strip():
        if not ZOD_SHAPE.search(head):
            return False
    elif carrier_kind(lines.text[max(0, start - 300) : start]) != "type":
        return False
    at = lines.offset(line, col)
    return start + opening < at <= start + closing


def holders(snap: NavSnapshot, rel: str, line: int, col: int) -> list[Holder]:
    """The innermost field sources around the position (several routes may share one schema)."""
    found: list[Holder] = []
    for route in snap.links.routes:
        for side, fields in (("request", route.request_fields), ("response", route.response_fields)):
            source = fields.source if fields is not None else None
            if fields is None or source is None or source.file != rel:
                continue
            if _inside_carrier(snap, source, line, col):
                found.append(Holder(source, fields, route, "request" if side == "request" else "response"))
    if not found:
        return []
    innermost = min(found, key=lambda h: h.source.range).source
    smallest = [h for h in found if h.source == innermost]
    return sorted(smallest, key=lambda h: (h.route.location, h.side))


Candidate = tuple[PlanField, PlanEndpoint, Side]


def planned_fields(snap: NavSnapshot, found: list[Holder], written: frozenset[str]) -> list[Candidate]:
    """Planned fields of the linked endpoints that the source does not have yet, first mention wins."""
    present = {n for h in found for n in h.fields.names} | written
    out: dict[str, Candidate] = {}
    for h in found:
        for link in snap.links.endpoints_of(h.route):
            e = link.endpoint
            for f in e.request_fields if h.side == "request" else e.response_fields:
                if f.name not in present:
                    out.setdefault(f.name, (f, e, h.side))
    return list(out.values())


def file_fields(snap: NavSnapshot, rel: str, carrier: Carrier) -> list[Candidate]:
    """A schema or type in a route file that no handler uses yet: the planned fields of the endpoints the
    file serves (a zod schema: request fields and query parameters; a type: request and response)."""
    sides: tuple[Side, ...] = ("request", "query") if carrier.kind == "zod" else ("request", "response")
    endpoints = [
        link.endpoint
        for route in snap.links.routes
        if route.location.file == rel
        for link in snap.links.endpoints_of(route)
    ]
    out: dict[str, Candidate] = {}
    for side in sides:
        for e in endpoints:
            planned = {"request": e.request_fields, "response": e.response_fields, "query": e.query_params}
            for f in planned[side]:
                if f.name not in carrier.keys:
                    out.setdefault(f.name, (f, e, side))
    return list(out.values())


def _item(field: PlanField, endpoint: PlanEndpoint, side: Side, rank: int) -> types.CompletionItem:
    hint = f": {field.type_hint}" if field.type_hint else ""
    required = " (required)" if field.required else ""
    doc = f"Planned {side} field of **{label(endpoint)}**{required}, at `{where(field.location)}`"
    return types.CompletionItem(
        label=field.name,
        kind=types.CompletionItemKind.Field,
        detail=f"planned {side} field of {label(endpoint)}{hint}",
        documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=doc),
        sort_text=f"{rank:04d}",
        insert_text=field.name,
    )


async def completion(ls: StageLanguageServer, params: types.CompletionParams) -> types.CompletionList | None:
    req = await NavRequest.open(ls, params.text_document.uri)
    if req is None:
        return None
    before = req.line_before(params.position)
    tail = re.split(r"[{,;]", before)[-1]
    if not _KEY_START.fullmatch(tail):
        return None
    text, offset = req.text_at(params.position)
    carrier = enclosing_carrier(text, offset)
    line, col = req.position(params.position)
    found = holders(req.snap, req.rel, line, col)
    if found:
        candidates = planned_fields(req.snap, found, carrier.keys if carrier is not None else frozenset())
    elif carrier is not None:
        candidates = file_fields(req.snap, req.rel, carrier)
    else:
        return None
    items = [_item(f, e, side, n) for n, (f, e, side) in enumerate(candidates)]
    return types.CompletionList(is_incomplete=False, items=items) if items else None


def register(server: StageLanguageServer) -> None:
    options = types.CompletionOptions(resolve_provider=False)
    server.feature(types.TEXT_DOCUMENT_COMPLETION, options)(guarded(completion))
