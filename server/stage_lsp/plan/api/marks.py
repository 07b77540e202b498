"""Marks on endpoints and documents: later / optional endpoints, and the declared base path.

An endpoint is post-MVP when a heading above it says so (`### 2.9 Billing (Post-MVP)`, `Future`, `Later`),
or its own line or description does (`(post-MVP)`); optional likewise (`(Optional MVP+1)`,
`Optional endpoint`, `(opcjonalne w MVP)`). A query parameter marked `(optional)` does not make its
endpoint optional: only the definition line, a `Description`/`Opis` line or the first line after the
definition count.

The base path is read from a `Base URL` / `Base path` / `prefix` line outside fences:
`` - Base URL: `/api` ``, `**Base URL**: /api/v1`, `http://localhost:8000/api/v1` (the path part),
`All endpoints are prefixed with /api`, `pod prefiksem `/api/v1``. A base URL without a path
(`https://<project-ref>.supabase.co`) declares no base path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stage_lsp.core.location import Location, Range
from stage_lsp.plan.api.definitions import Definition, ancestors
from stage_lsp.plan.api.sections import Span
from stage_lsp.plan.api.text import Heading, PlanText
from stage_lsp.plan.api.vocab import OPTIONAL_RE, POST_MVP_RE

_OWN_OPTIONAL = re.compile(
    r"\(\s*(?:optional|opcjonaln\w*)\b|\boptional\s+endpoint\b|\bendpoint\s+(?:is\s+)?optional\b|"
    r"^[\s\W]*(?:optional|opcjonaln\w*)\b",
    re.I,
)
_OWN_POST_MVP = re.compile(
    r"\(\s*(?:post[-\s\u2011]?mvp|future|later)\b|\bpost[-\s\u2011]?mvp\s+endpoint\b", re.I
)
_DESCRIPTION = re.compile(r"^\W*(?:description|opis|summary|purpose|cel)\b\W*", re.I)
_BASE = re.compile(
    r"(?i:base[\s_-]*(?:url|path|uri)|api\s+prefix|url\s+prefix|prefix(?:ed)?(?:\s+with)?|prefiks\w*)"
    r"[^/\n]{0,30}?(?:(?P<url>https?://[^\s/`'\")]+)(?P<path>/[A-Za-z0-9_./{}-]*)?|(?P<bare>/[A-Za-z0-9_./{}-]*))"
)


_SERVED_BY_SUPABASE = re.compile(
    r"\b(?:endpoints?|routes?|these|they)\b[^.\n]{0,30}?\b(?:are|is)\s+"
    r"(?:managed|handled|provided|served|implemented|exposed)\s+(?:directly\s+|entirely\s+|natively\s+)?by\s+supabase",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Flags:
    optional: bool = False
    post_mvp: bool = False
    external: bool = False


def section_flags(text: PlanText, line: int) -> Flags:
    """Marks the headings above `line` give (post-MVP, optional)."""
    titles = [h.text for h in ancestors(text, line)]
    post_mvp = any(POST_MVP_RE.search(t) for t in titles)
    return Flags(not post_mvp and any(OPTIONAL_RE.search(t) for t in titles), post_mvp)


def endpoint_flags(text: PlanText, d: Definition, span: Span) -> Flags:
    titles = [h.text for h in ancestors(text, d.line)]
    own = [d.tail]
    first = _first_text(text, d.end_line + 1, span.end)
    for no in range(d.end_line + 1, min(span.end, d.end_line + 6)):
        if text.kinds[no] != "text":
            continue
        line = text.masked(no)
        if _DESCRIPTION.match(line):
            own.append(_DESCRIPTION.sub("", line))
        elif no == first and not text.item_start[no]:
            own.append(line)
    post_mvp = any(POST_MVP_RE.search(t) for t in titles) or any(_OWN_POST_MVP.search(s) for s in own)
    optional = not post_mvp and (
        any(OPTIONAL_RE.search(t) for t in titles) or any(_OWN_OPTIONAL.search(s) for s in own)
    )
    return Flags(optional, post_mvp, _served_by_supabase(text, d, span))


def _served_by_supabase(text: PlanText, d: Definition, span: Span) -> bool:
    """The section says its endpoints are Supabase's (`Endpoints are managed by Supabase Auth.`)."""
    heading = text.heading_before(d.line)
    start = end = span.start
    if heading is not None:
        start = heading.line + 1
        subs = text.headings_between(start, len(text))
        end = subs[0].line if subs else len(text)
    lines = _supabase_statements(text)
    return any(start <= no < end or span.start <= no < span.end for no in lines)


def _supabase_statements(text: PlanText) -> list[int]:
    cached = text.cache.get("supabase_statements")
    if isinstance(cached, list):
        return cached
    found = [
        no
        for no in range(len(text))
        if text.kinds[no] == "text"
        and "supabase" in text.lower(no)
        and _SERVED_BY_SUPABASE.search(text.lines[no])
    ]
    text.cache["supabase_statements"] = found
    return found


def _first_text(text: PlanText, start: int, end: int) -> int:
    for no in range(start, end):
        if text.kinds[no] == "text":
            return no
        if text.kinds[no] not in ("blank",):
            return -1
    return -1


def base_path(text: PlanText) -> tuple[str, Location] | None:
    """The declared base path and where it is declared."""
    for no in range(len(text)):
        if text.kinds[no] not in ("text", "heading", "table"):
            continue
        masked = text.masked(no)
        for m in _BASE.finditer(masked):
            group = "path" if m.group("url") else "bare"
            path = (m.group(group) or "").rstrip("/.")
            if not path or "{" in path:
                continue
            if group == "bare" and masked[m.start(group) - 1].isalnum():
                continue
            start = m.start("url") if m.group("url") else m.start(group)
            end = m.start(group) + len(path)
            return path, Location(text.rel, text.range(no, start, no, end))
    return None


def heading_range(text: PlanText, heading: Heading) -> Range:
    return text.line_range(heading.line)
