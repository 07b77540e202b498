"""Assemble an `ApiPlanDoc` from one plan file (and the files its index links)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from stage_lsp.core.issue import ReaderIssue
from stage_lsp.core.keys import display_path, is_external_path
from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile
from stage_lsp.plan.api.bodies import Bodies, Body, key_location, read_bodies
from stage_lsp.plan.api.codes import DocCodes, doc_codes, error_body_codes
from stage_lsp.plan.api.definitions import Definition, find_definitions, merge_definitions, speculative
from stage_lsp.plan.api.issues import conflicting_definitions, contradictory_statuses, headings_without_method
from stage_lsp.plan.api.jsonish import BodyEnd, Key
from stage_lsp.plan.api.links import IndexLink, find_index_links
from stage_lsp.plan.api.marks import Flags, base_path, endpoint_flags, section_flags
from stage_lsp.plan.api.params import read_params
from stage_lsp.plan.api.sections import Span, audience, compute_spans, covered_lines, shared_lines
from stage_lsp.plan.api.statuses import LIST_LEAD, Found, StatusHit, merge, scan_lines
from stage_lsp.plan.api.text import Fence, Heading, PlanText
from stage_lsp.plan.damage import empty_document
from stage_lsp.plan.model import (
    ApiPlanDoc,
    PlanEndpoint,
    PlanErrorCode,
    PlanField,
    PlanInsertion,
    PlanStatus,
)

Loader = Callable[[str], SourceFile | None]
_PARAM_NAME = re.compile(r"\{(?:\.\.\.)?([^{}]+)\}")


@dataclass(frozen=True, slots=True)
class _Read:
    """One plan file read as far as definitions and spans."""

    text: PlanText
    defs: list[Definition]
    spans: list[Span]
    codes: DocCodes
    covered: set[int] = field(default_factory=set)  # lines in some definition's span
    methods: dict[tuple[int, str], int] = field(default_factory=dict)  # (parent line, method) -> count

    def __post_init__(self) -> None:
        self.covered.update(covered_lines(self.spans))
        for d, span in zip(self.defs, self.spans, strict=True):
            if span.parent is not None:
                key = (span.parent.line, d.method)
                self.methods[key] = self.methods.get(key, 0) + 1


def _read(src: SourceFile) -> tuple[PlanText, list[Definition]]:
    """A file's lines and its definition candidates (none in sections of ideas)."""
    text = PlanText(src)
    return text, [d for d in find_definitions(text) if not speculative(text, d.line)]


def build_doc(src: SourceFile, load: Loader | None) -> ApiPlanDoc:
    text, local = _read(src)
    issues: list[ReaderIssue] = []
    empty = empty_document(src.rel, src.text) if not src.problem else None
    if empty is not None:
        issues.append(empty)
    links = find_index_links(text, local)
    linked: dict[int, tuple[IndexLink, _Read, int]] = {}  # id(proxy) -> (link, linked read, def index)
    proxies: list[Definition] = []
    linked_files: list[str] = []
    for link in links:
        if link.target not in linked_files and link.target:
            linked_files.append(link.target)
        if load is None:
            continue
        lsrc = load(link.target) if link.target else None
        if lsrc is None or (lsrc.problem and not lsrc.text):
            issues.append(
                ReaderIssue(
                    "SL006",
                    Location(text.rel, link.range),
                    f"Linked plan file `{link.written}` cannot be read"
                    + (f" ({lsrc.problem})" if lsrc is not None and lsrc.problem else " (not found)"),
                    entity=(text.rel, link.written),
                )
            )
            continue
        ltext, ldefs = _read(lsrc)
        lkept, _dropped = merge_definitions(ldefs)
        lread = _Read(ltext, lkept, compute_spans(ltext, lkept), doc_codes(ltext))
        heading_range = text.line_range(link.heading.line)
        for i, d in enumerate(lkept):
            proxy = Definition(
                d.method, d.raw_path, link.heading.line, link.heading.line, heading_range, "heading"
            )
            proxies.append(proxy)
            linked[id(proxy)] = (link, lread, i)
    kept, dropped = merge_definitions(local + proxies)
    local_kept = [d for d in kept if id(d) not in linked]
    spans = compute_spans(text, local_kept)
    here = _Read(text, local_kept, spans, doc_codes(text))
    shared_cache: dict[int, _Shared] = {}
    endpoints: list[PlanEndpoint] = []
    span_of = {id(d): s for d, s in zip(local_kept, spans, strict=True)}
    for d in kept:
        if id(d) in linked:
            link, lread, i = linked[id(d)]
            endpoint = _endpoint(lread, lread.defs[i], lread.spans[i], {}, issues)
            endpoint = _relocate(
                endpoint, Location(text.rel, d.range), link, section_flags(text, link.heading.line)
            )
        else:
            endpoint = _endpoint(here, d, span_of[id(d)], shared_cache, issues)
        endpoints.append(endpoint)
    issues.extend(conflicting_definitions(text, dropped, endpoints, local_kept, spans))
    issues.extend(headings_without_method(text, local, links))
    base = base_path(text)
    common_statuses, common_codes = _common(here)
    return ApiPlanDoc(
        file=src.rel,
        endpoints=tuple(endpoints),
        base_path=base[0] if base else None,
        base_path_location=base[1] if base else None,
        linked_files=tuple(linked_files),
        common_statuses=common_statuses,
        common_error_codes=common_codes,
        issues=tuple(issues),
    )


def _common(read: _Read) -> tuple[tuple[PlanStatus, ...], tuple[PlanErrorCode, ...]]:
    """Statuses and error codes the plan states outside every endpoint and section intro: its API-wide
    catalogue ("Error handling", "Validation"). Allowed for every endpoint, required of none."""
    text = read.text
    parents = {id(s.parent): s.parent for s in read.spans if s.parent is not None}
    shared = {n for p in parents.values() if p is not None for n in shared_lines(text, p, read.covered)}
    rest = [n for n in range(len(text.lines)) if n not in read.covered and n not in shared]
    found = scan_lines(text, rest, {}, read.codes.vocab)
    statuses: dict[int, PlanStatus] = {}
    for hit in found.statuses:
        statuses.setdefault(
            hit.code,
            PlanStatus(hit.code, Location(text.rel, text.range(hit.line, hit.col, hit.line, hit.end_col))),
        )
    codes: dict[str, PlanErrorCode] = {}
    for c in found.codes:
        if not c.success and c.code not in read.codes.enum_values:
            codes.setdefault(
                c.code,
                PlanErrorCode(
                    c.code, Location(text.rel, text.range(c.line, c.col, c.line, c.end_col)), c.status
                ),
            )
    for d in read.codes.declared:  # the vocabulary of the error format is API-wide
        codes.setdefault(
            d.code, PlanErrorCode(d.code, Location(text.rel, text.range(d.line, d.col, d.line, d.end_col)))
        )
    return tuple(sorted(statuses.values(), key=lambda s: s.code)), tuple(codes.values())


def _relocate(e: PlanEndpoint, where: Location, link: IndexLink, flags: Flags) -> PlanEndpoint:
    """A linked file's endpoint as the index lists it: located at the index heading, defined in the file;
    marks of the index's sections (`## 12. Post-MVP`) apply too."""
    return replace(
        e,
        location=where,
        def_location=e.location,
        title=e.title or link.heading.text,
        post_mvp=e.post_mvp or flags.post_mvp,
        optional=(e.optional or flags.optional) and not (e.post_mvp or flags.post_mvp),
    )


@dataclass(frozen=True, slots=True)
class _Shared:
    """What a section's shared text says, line by line, with whom each line speaks of."""

    found: list[tuple[str | None, Found]]
    bodies: list[tuple[str | None, Body]]
    errors: list[Fence]


def _shared(read: _Read, parent: Heading) -> _Shared:
    text = read.text
    lines = shared_lines(text, parent, read.covered)
    found = [(audience(text, no), scan_lines(text, [no], vocab=read.codes.vocab)) for no in lines]
    bodies, errors = read_bodies(text, None, lines)
    return _Shared(found, [(audience(text, b.line), b) for b in bodies], errors)


def _for(method: str, who: str | None, *, default: bool) -> bool:
    return who == method or who == "*" or (who is None and default)


def details(
    read: _Read, d: Definition, span: Span, shared_cache: dict[int, _Shared]
) -> tuple[Found, list[Body], list[Fence], list[int]]:
    """Statuses, codes and bodies of a definition: its own span plus what its section shares with it."""
    text = read.text
    skip = {} if d.notation == "table" else {d.tail_line: d.tail_col}
    if d.notation == "table":
        lines = list(range(span.start, span.end)) if span.owner is not None else [d.line]
    else:
        lines = list(range(span.start, span.end))
    own = scan_lines(text, lines, skip, read.codes.vocab)
    bodies, errors = read_bodies(text, d, lines)
    if span.parent is None:
        return own, bodies, errors, lines
    shared = shared_cache.get(span.parent.line)
    if shared is None:
        shared = _shared(read, span.parent)
        shared_cache[span.parent.line] = shared
    parts = [own, *(f for who, f in shared.found if _for(d.method, who, default=True))]
    # a shared body goes to the endpoints it names: all of them, or the one endpoint of its method
    bodies.extend(
        b
        for who, b in shared.bodies
        if who == "*" or (who == d.method and read.methods.get((span.parent.line, d.method), 0) == 1)
    )
    return merge(parts), bodies, [*errors, *shared.errors], lines


def _endpoint(
    read: _Read, d: Definition, span: Span, shared_cache: dict[int, _Shared], issues: list[ReaderIssue]
) -> PlanEndpoint:
    text = read.text
    found, body_list, error_fences, lines = details(read, d, span, shared_cache)
    own_lines = set(lines)
    bodies = Bodies.of(body_list, error_fences)
    for fence in bodies.error_fences:
        found.codes.extend(error_body_codes(text, fence.body_start, fence.end))
    statuses: dict[int, PlanStatus] = {}
    first_hits: dict[int, StatusHit] = {}
    for hit in found.statuses:
        if hit.code not in statuses:
            first_hits[hit.code] = hit
            statuses[hit.code] = PlanStatus(
                hit.code,
                Location(text.rel, text.range(hit.line, hit.col, hit.line, hit.end_col)),
                shared=hit.line not in own_lines,
                optional=conditional(text.lines[hit.line], hit.end_col),
            )
    codes: dict[str, PlanErrorCode] = {}
    success: list[str] = []
    for c in found.codes:
        if c.code in read.codes.enum_values:
            continue
        if c.success:
            if c.code not in success:
                success.append(c.code)
            continue
        if c.code not in codes:
            codes[c.code] = PlanErrorCode(
                c.code,
                Location(text.rel, text.range(c.line, c.col, c.line, c.end_col)),
                c.status,
                shared=c.line not in own_lines,
                optional=conditional(text.lines[c.line], c.end_col),
            )
    success = [s for s in success if s not in codes]
    statuses_location = None
    if found.statuses:
        first = min(found.statuses, key=lambda h: (h.line, h.col))
        last = max(found.statuses, key=lambda h: (h.line, h.end_col))
        statuses_location = Location(text.rel, text.range(first.line, first.col, last.line, last.end_col))
    flags = endpoint_flags(text, d, span)
    params = read_params(text, d, lines)
    read_lines = {k.line for k in (*bodies.request, *bodies.response)}
    read_lines |= {p.location.range.line for p in params.query} | {d.range.line}
    for code, hit in first_hits.items():
        if code >= 400 and hit.line in own_lines:
            removal = _status_item(text, found, hit, read_lines)
            if removal is not None:
                statuses[code] = replace(statuses[code], removal=removal)
    issues.extend(contradictory_statuses(text, d, lines))
    last_line = max(span.end - 1, span.start)
    while last_line > span.start and not text.lines[last_line].strip():
        last_line -= 1  # the section ends at its last non-blank line
    section = Location(text.rel, text.range(span.start, 0, last_line, len(text.lines[last_line])))
    path = display_path(d.raw_path)
    return PlanEndpoint(
        method=d.method,
        path=path,
        raw_path=d.raw_path,
        key=d.key,
        location=Location(text.rel, d.range),
        section=section,
        external=is_external_path(d.raw_path) or flags.external,
        optional=flags.optional,
        post_mvp=flags.post_mvp,
        statuses=tuple(sorted(statuses.values(), key=lambda s: s.code)),
        statuses_location=statuses_location,
        error_codes=tuple(codes.values()),
        success_codes=tuple(success),
        request_fields=tuple(_field(text, k) for k in bodies.request),
        response_fields=tuple(_field(text, k) for k in bodies.response),
        request_fields_partial=bodies.request_partial,
        response_fields_partial=bodies.response_partial,
        query_params=params.query,
        path_params=tuple(m.group(1) for m in _PARAM_NAME.finditer(path)),
        idempotency_key=params.idempotency_key,
        pagination=params.pagination,
        limit_max=params.limit_max,
        title=span.owner.text.strip() if span.owner is not None and d.notation != "heading" else None,
        request_insert=_body_insert(text, bodies.request_end),
        response_insert=_body_insert(text, bodies.response_end),
        status_insert=_status_insert(text, found, own_lines),
    )


def _body_insert(text: PlanText, end: BodyEnd | None) -> PlanInsertion | None:
    if end is None:
        return None
    at = text.range(end.line, end.col, end.line, end.col)
    return PlanInsertion(
        Location(text.rel, at), end.lead, end.trail, "json" if end.quote else "ts", end.quote
    )


def _own_item(text: PlanText, start: int, opener: str, read_lines: set[int]) -> tuple[int, int] | None:
    """The lines (start, end) of the list item on `start` when it opens with `opener` (a status, a code)
    and holds nothing else the reader takes from the plan (`read_lines`: fields, parameters, the
    endpoint) nor a fence or table."""
    end = text.item_end.get(start)
    if end is None or not text.item_start[start] or text.kinds[start] != "text":
        return None
    lead = LIST_LEAD.match(text.lines[start])
    head = text.lines[start][lead.end() :].lstrip("`*_ ") if lead is not None else ""
    if not head.startswith(opener) or head[len(opener) : len(opener) + 1].isalnum():
        return None  # the item does not open with it (`- Returns 404 when ...`)
    if any(start <= ln < end for ln in read_lines) or any(
        k not in ("text", "blank") for k in text.kinds[start:end]
    ):
        return None
    return start, end


def _item_removal(text: PlanText, start: int, end: int) -> Location | None:
    """Whole lines of the file to delete the item: blank lines after it stay (one goes with it in a
    loose list); column 0 is column 0 before any clean-up (`&nbsp; - 401`)."""
    while end > start + 1 and text.kinds[end - 1] == "blank":
        end -= 1
    n = len(text.lines)
    if end < n and text.kinds[end] == "blank" and start > 0 and text.kinds[start - 1] == "blank":
        end += 1
    if end < n:
        return Location(text.rel, Range(start, 0, end, 0))
    if start == 0:
        return None
    return Location(
        text.rel, text.range(start - 1, len(text.lines[start - 1]), end - 1, len(text.lines[end - 1]))
    )


def _status_item(text: PlanText, found: Found, hit: StatusHit, read_lines: set[int]) -> Location | None:
    """The list item an error status opens (`- `409 Conflict` — `NAME_TAKEN``, with its description and
    nested lines) when it states no other status: removing it removes the status and its codes."""
    span = _own_item(text, hit.line, str(hit.code), read_lines)
    if span is None or any(h is not hit and span[0] <= h.line < span[1] for h in found.statuses):
        return None
    return _item_removal(text, *span)


def _status_insert(text: PlanText, found: Found, own: set[int]) -> PlanInsertion | None:
    """After the endpoint's last error status, when it is the only status of a bullet line: a new bullet
    line with the same marker and indentation (`- `404 Not Found` — `NOT_FOUND``)."""
    errors = [h for h in found.statuses if h.code >= 400 and h.line in own]
    if not errors:
        return None
    last = max(errors, key=lambda h: (h.line, h.col))
    line = text.lines[last.line]
    lead = LIST_LEAD.match(line)
    if lead is None or sum(1 for h in found.statuses if h.line == last.line) != 1:
        return None
    if text.kinds[last.line] != "text":
        return None
    at = text.range(last.line, len(line), last.line, len(line))
    style = "code" if last.col > 0 and line[last.col - 1] == "`" else "plain"
    return PlanInsertion(Location(text.rel, at), "\n" + lead.group(0), "", style)


# A status or code the plan makes conditional: "409 `MEMBER_IN_USE` (optional guard when ...)",
# "400 `MISSING_INCOMES` (if business rule requires)", "(opcjonalnie)".
_CONDITIONAL = re.compile(
    r"\b(?:optional(?:ly)?|opcjonaln\w*|if\s+(?:the\s+)?[\w\s-]{0,40}?(?:requires?|needed|applicable|enabled)"
    r"|jeśli\s+wymagan\w*|w\s+razie\s+potrzeby)\b",
    re.I,
)
_NEXT_ITEM = re.compile(r";|\b[1-5]\d\d\b")


def conditional(line: str, end_col: int) -> bool:
    """Does the clause after a status or code (up to the next `;` or status) make it conditional?"""
    clause = _NEXT_ITEM.split(line[end_col:], maxsplit=1)[0]
    return bool(_CONDITIONAL.search(clause))


def _field(text: PlanText, key: Key) -> PlanField:
    hint = key.value or None
    required: bool | None = None
    if hint:
        low = hint.lower()
        if "required" in low or "wymagan" in low:
            required = "not required" not in low
        elif "optional" in low or "opcjonaln" in low:
            required = False
    return PlanField(key.name, key_location(text, key), hint[:80] if hint else None, required)
