"""Which lines belong to each definition, and which text a whole section shares.

- A heading definition (`#### GET /x`) owns its heading's section (to the next heading of the same or a
  higher level), cut at the next definition.
- Any other definition that is the only one under its nearest heading owns that heading's section (the
  heading is its title: `#### Generate questions` + `- Method: POST`).
- Definitions that share a heading (a list of bullets, the rows of a table) each own the lines from
  their definition to the next definition or heading; a table row owns only itself.

Text of the parent section that belongs to no definition (an `Errors:` line under a resource's table,
the intro of a resource section) is shared by every definition of that section. Only text directly
under the parent heading counts: a sibling section without endpoints (`### Error handling`, an API-wide
catalogue) belongs to none, and neither does anything after the parent section ends. A shared line that
names one HTTP method (`- POST 202 ...`, `Payload POST: {...}`) speaks of that method's endpoints only
(`audience`). Shared statuses and codes apply to the section's endpoints; a shared body applies only
when the text says whose it is: a method, or all of them (`All these endpoints use ...`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from stage_lsp.plan.api.definitions import Definition
from stage_lsp.plan.api.text import Heading, PlanText
from stage_lsp.plan.api.vocab import METHOD_RE

_METHOD_WORD = re.compile(rf"(?<![\w/-])({METHOD_RE})(?![\w/-])(?!\s+/)")
_ALL_ENDPOINTS = re.compile(
    r"\b(?:all|these|each|every|both)\b[^.\n]{0,25}\bendpoints?\b|\bwszystkie\b[^.\n]{0,25}\bendpoint\w*",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int  # exclusive
    owner: Heading | None  # the heading this definition owns (its title)
    parent: Heading | None  # the section whose shared text applies to it


def compute_spans(text: PlanText, defs: list[Definition]) -> list[Span]:
    """The span of each definition (same order as `defs`, which is in document order)."""
    n = len(text)
    lines = [d.line for d in defs]
    spans: list[Span] = []
    for i, d in enumerate(defs):
        next_def = lines[i + 1] if i + 1 < len(defs) else n
        if d.notation == "heading":
            own = text.heading_at(d.line)
            end = text.section_end(own) if own else n
            spans.append(Span(d.line, min(end, _next_after(lines, i, d.end_line)), own, _parent(text, own)))
            continue
        heading = text.heading_before(d.line)
        if heading is not None:
            h_end = text.section_end(heading)
            count = _count_in(lines, heading.line, h_end)
            if count == 1:
                spans.append(Span(heading.line, h_end, heading, _parent(text, heading)))
                continue
        if d.notation == "table":
            spans.append(Span(d.line, d.end_line + 1, None, heading))
            continue
        nxt = text.headings_between(d.end_line + 1, n)
        end = min(next_def, nxt[0].line if nxt else n)
        if (
            i > 0
            and _siblings(text, defs[i - 1].line, d.line)
            and not (i + 1 < len(defs) and _siblings(text, d.line, defs[i + 1].line))
        ):
            # the last of a list of definitions: what follows the list is said of all of them
            end = min(end, text.item_end.get(d.line, end))
        spans.append(Span(d.line, max(end, d.end_line + 1), None, heading))
    return spans


def _siblings(text: PlanText, a: int, b: int) -> bool:
    """Definitions on lines `a` < `b` are consecutive items of one list."""
    if not (text.item_start[a] and text.item_start[b]) or text.depth[a] != text.depth[b]:
        return False
    end = text.item_end.get(a, a + 1)
    return end <= b and all(text.kinds[no] == "blank" for no in range(end, b))


def _next_after(lines: list[int], i: int, end_line: int) -> int:
    j = bisect_right(lines, end_line, i + 1)
    return lines[j] if j < len(lines) else 1 << 30


def _count_in(lines: list[int], start: int, end: int) -> int:
    return bisect_left(lines, end) - bisect_left(lines, start)


def _parent(text: PlanText, heading: Heading | None) -> Heading | None:
    return text.parent(heading) if heading is not None else None


def covered_lines(spans: list[Span]) -> set[int]:
    """Every line that belongs to some definition's span."""
    covered: set[int] = set()
    for span in spans:
        covered.update(range(span.start, span.end))
    return covered


def shared_lines(text: PlanText, parent: Heading, covered: set[int]) -> list[int]:
    """Lines directly under `parent` (not in a sub-heading) that belong to no definition's span
    (`covered`: see `covered_lines`)."""
    end = text.section_end(parent)
    subs = text.headings_between(parent.line + 1, end)
    direct_end = subs[0].line if subs else end
    return [ln for ln in range(parent.line + 1, direct_end) if ln not in covered]


def audience(text: PlanText, line: int) -> str | None:
    """Whom a shared line speaks of: one HTTP method (`"POST"`), all endpoints (`"*"`), or unsaid (None)."""
    masked = text.masked(line)
    methods = {m.group(1) for m in _METHOD_WORD.finditer(masked)}
    if len(methods) == 1:
        return methods.pop()
    if _ALL_ENDPOINTS.search(masked):
        return "*"
    return None
