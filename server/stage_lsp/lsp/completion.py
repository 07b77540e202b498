"""Completion of planned field names inside the zod schemas and DTO types that carry an endpoint's fields.

The code readers record, for each handler, where its request and response fields come from
(`FieldSet.source`: a `z.object({...})`, an interface or object type, possibly in another file). Inside
the braces of such a source, at the place where a property name goes (the start of a member: after `{`,
`,`, `;` or at the start of a line), the planned request (or response) fields of the endpoint(s) that
handler implements are offered, except those the source already has. Nowhere else: no completion in
values, in unrelated objects, or in files that carry no linked fields.

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
from stage_lsp.lsp.nav_request import NavRequest
from stage_lsp.lsp.nav_state import NavSnapshot
from stage_lsp.lsp.nav_text import label, where
from stage_lsp.plan.model import PlanEndpoint, PlanField

if TYPE_CHECKING:
    from stage_lsp.lsp.server import StageLanguageServer

# What may precede the cursor on its line, after the last `{`, `,` or `;`: nothing, or the start of a name.
_KEY_START = re.compile(r"""\s*(?:readonly\s+)?["']?[A-Za-z_$][\w$-]*$|\s*$""")
Side = Literal["request", "response"]


@dataclass(frozen=True)
class Holder:
    """A field source containing the cursor, with the route and side it carries fields for."""

    source: Location
    fields: FieldSet
    route: Route
    side: Side


_ZOD_SHAPE = re.compile(r"\b(?:object|strictObject|looseObject|extend|merge)\s*\(\s*$")
_TYPE_BEFORE = re.compile(r"(?:\btype\s+[\w$]+\s*(?:<[^>]*>)?\s*=|\binterface\s+[\w$]+[^{};=]*|[:|&])\s*$")


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
        if not _ZOD_SHAPE.search(head):
            return False
    elif not _TYPE_BEFORE.search(lines.text[max(0, start - 300) : start]):
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
                found.append(Holder(source, fields, route, side))  # type: ignore[arg-type]
    if not found:
        return []
    innermost = min(found, key=lambda h: h.source.range).source
    smallest = [h for h in found if h.source == innermost]
    return sorted(smallest, key=lambda h: (h.route.location, h.side))


def planned_fields(snap: NavSnapshot, found: list[Holder]) -> list[tuple[PlanField, PlanEndpoint, Side]]:
    """Planned fields of the linked endpoints that the source does not have yet, first mention wins."""
    present = {n for h in found for n in h.fields.names}
    out: dict[str, tuple[PlanField, PlanEndpoint, Side]] = {}
    for h in found:
        for link in snap.links.endpoints_of(h.route):
            e = link.endpoint
            for f in e.request_fields if h.side == "request" else e.response_fields:
                if f.name not in present:
                    out.setdefault(f.name, (f, e, h.side))
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


def completion(ls: StageLanguageServer, params: types.CompletionParams) -> types.CompletionList | None:
    req = NavRequest.open(ls, params.text_document.uri)
    if req is None:
        return None
    before = req.line_before(params.position)
    tail = re.split(r"[{,;]", before)[-1]
    if not _KEY_START.fullmatch(tail):
        return None
    line, col = req.position(params.position)
    found = holders(req.snap, req.rel, line, col)
    if not found:
        return None
    items = [_item(f, e, side, n) for n, (f, e, side) in enumerate(planned_fields(req.snap, found))]
    return types.CompletionList(is_incomplete=False, items=items) if items else None


def register(server: StageLanguageServer) -> None:
    server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(resolve_provider=False))(
        completion
    )
