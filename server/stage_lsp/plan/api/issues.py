"""What the API plan reader cannot read cleanly, as reader issues (re-emitted by their rules).

- SL001 `endpoint-heading-without-method`: a heading whose title is a path (`### /api/flashcards/{id}`)
  but names no HTTP method, with no definition in its section: the endpoint cannot be read.
- SL002 `conflicting-definitions`: one endpoint defined twice and the definitions disagree on its success
  status (a summary row or a second section says 200 where the used definition says 201). Other
  differences are not disagreements: a summary or a mention usually tells less, not something else.
- SL003 `contradictory-statuses`: one endpoint's section states its success status twice, differently
  (`Success: 200 OK` ... `Success: 201 Created`), without presenting them as alternatives.
- SL006 `broken-plan-link` is raised where links are followed (`build`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from stage_lsp.core.issue import ReaderIssue
from stage_lsp.core.location import Location
from stage_lsp.core.violation import Related
from stage_lsp.plan.api.definitions import DETAILED, Definition, speculative
from stage_lsp.plan.api.links import IndexLink
from stage_lsp.plan.api.sections import Span, compute_spans
from stage_lsp.plan.api.statuses import scan_line, scan_lines, scan_table_row
from stage_lsp.plan.api.text import PlanText
from stage_lsp.plan.api.vocab import METHOD_RE, PATH_RE
from stage_lsp.plan.model import PlanEndpoint

_TITLE_PATH = re.compile(
    rf"^\s*(?:#{{1,6}}\s*)?(?:[A-Z]?\d+(?:\.\d+)*\.?\)?\s+)?(?:endpoint\s*(?::\s*)?)?({PATH_RE})\s*(.*)$",
    re.I,
)
_ANY_METHOD = re.compile(rf"(?<![\w/]){METHOD_RE}(?![\w])")
_ROUTE_PATH = re.compile(r"^/[A-Za-z0-9_.~{}\[\]:<>-]+(?:/[A-Za-z0-9_.~{}\[\]:<>-]+)*$")
# A statement of *the* success status (`Success: 201 Created`, `Success codes:`, `Sukces:`), not a
# response example (`Success Response (202 Accepted)`: several examples may show several statuses).
_SUCCESS_STATEMENT = re.compile(
    r"(?<![\w-])(?:success(?:ful)?(?:\s+(?:status(?:es)?|codes?))?|sukces|kody?\s+powodzenia)(?![\w-])(?!\s+respon)",
    re.I,
)
# Alternatives, or a status said to be optional or later, do not contradict.
_ALTERNATIVE = re.compile(
    r"(?<![\w-])(?:or|lub|albo|either|optional\w*|opcjonaln\w*|future|later|przysz[łl]\w*)(?![\w-])"
    r"|[\w)]\s*[/|]\s*[1-5]\d\d\b",
    re.I,
)
_FILE_PATH = re.compile(
    r"\.(?:ts|tsx|js|jsx|mjs|cjs|md|mdx|astro|py|json|sql|vue|svelte|css|html|yml|yaml)$", re.I
)


def headings_without_method(
    text: PlanText, defs: Sequence[Definition], links: Sequence[IndexLink]
) -> list[ReaderIssue]:
    issues: list[ReaderIssue] = []
    def_lines = sorted(d.line for d in defs)
    linked = {link.heading.line for link in links}
    for heading in text.headings:
        if heading.line in linked:
            continue
        masked = text.masked(heading.line)
        m = _TITLE_PATH.match(masked)
        if not m or _ANY_METHOD.search(masked):
            continue
        path = m.group(1).rstrip(".,;:)")
        if not _ROUTE_PATH.match(path) or _FILE_PATH.search(path):
            continue  # not a route: `/src/pages/api/x.ts`, `/docs/notes.md`
        end = text.section_end(heading)
        if bisect_left(def_lines, end) > bisect_left(def_lines, heading.line) or speculative(
            text, heading.line
        ):
            continue
        start = m.start(1)
        issues.append(
            ReaderIssue(
                "SL001",
                Location(text.rel, text.range(heading.line, start, heading.line, start + len(path))),
                f"Heading `{path}` looks like an endpoint but names no HTTP method; it is not read as an "
                "endpoint (write it as `METHOD /path`, or add a `Method:` field)",
                entity=(text.rel, path),
            )
        )
    return issues


def _statuses_of(text: PlanText, d: Definition, span: Span) -> set[int]:
    if d.notation == "table":
        return {h.code for h in scan_table_row(text, d.line).statuses}
    skip = {d.tail_line: d.tail_col}
    return {h.code for h in scan_lines(text, range(span.start, span.end), skip).statuses}


def conflicting_definitions(
    text: PlanText,
    dropped: Sequence[tuple[Definition, Definition]],
    endpoints: Sequence[PlanEndpoint],
    kept: Sequence[Definition],
    spans: Sequence[Span],
) -> list[ReaderIssue]:
    """Duplicates that disagree with the definition that was kept."""
    issues: list[ReaderIssue] = []
    by_line = {(e.location.file, e.location.range.line, e.key): e for e in endpoints}
    for dup, winner in dropped:
        if dup.key != winner.key or winner.line == dup.line:
            continue
        endpoint = by_line.get((text.rel, winner.range.line, winner.key))
        if endpoint is None or endpoint.location.file != text.rel:
            continue
        kept_success = {s for s in endpoint.status_codes if s < 300}
        if dup.notation in DETAILED:
            extra = sorted([*kept, dup], key=lambda d: d.line)
            dup_span = compute_spans(text, extra)[extra.index(dup)]
        else:
            dup_span = Span(dup.line, dup.line + 1, None, None)
        dup_success = {s for s in _statuses_of(text, dup, dup_span) if s < 300}
        differs = bool(dup_success and kept_success and not dup_success & kept_success)
        if not differs:
            continue
        issues.append(
            ReaderIssue(
                "SL002",
                Location(text.rel, dup.range),
                f"`{dup.method} {dup.raw_path}` is defined again here and the definitions disagree: success "
                f"status {_codes(dup_success)} here, {_codes(kept_success)} at line {winner.line + 1}",
                entity=(dup.key, "duplicate"),
                related=(Related(endpoint.location, "the definition that is used"),),
            )
        )
    return issues


def _codes(codes: set[int]) -> str:
    return ", ".join(str(c) for c in sorted(codes))


def contradictory_statuses(text: PlanText, d: Definition, lines: Sequence[int]) -> list[ReaderIssue]:
    """Two success statements in one endpoint's own section that name different success statuses."""
    statements: list[tuple[int, set[int], Location]] = []
    for no in lines:
        if text.kinds[no] not in ("text", "heading"):
            continue
        masked = text.masked(no)
        if not _SUCCESS_STATEMENT.search(masked) or _ALTERNATIVE.search(_status_text(masked)):
            continue
        hits = scan_line(masked, no).statuses
        success = {h.code for h in hits if 200 <= h.code < 300}
        if not success or any(h.code >= 300 for h in hits):
            continue
        first = min(h.col for h in hits)
        last = max(h.end_col for h in hits)
        statements.append((no, success, Location(text.rel, text.range(no, first, no, last))))
    for i, (_no, codes, where) in enumerate(statements):
        for prev_no, prev_codes, prev_where in statements[:i]:
            if not codes & prev_codes:
                return [
                    ReaderIssue(
                        "SL003",
                        where,
                        f"`{d.method} {d.raw_path}`: success status {_codes(codes)} here contradicts "
                        f"{_codes(prev_codes)} at line {prev_no + 1}",
                        entity=(d.key, "success"),
                        related=(Related(prev_where, "the other success status"),),
                    )
                ]
    return []


def _status_text(masked: str) -> str:
    """The part of a success statement after its label (where `or` would join alternatives)."""
    m = _SUCCESS_STATEMENT.search(masked)
    return masked[m.end() :] if m else masked
