"""Where a plan defines an endpoint, in every notation seen in real plans, and what is only a mention.

Notations (FORMATS.md section a), each matched on a masked line (bold stars and backticks blanked, so
`**GET `/x`**`, `` `GET /x` `` and `GET /x` read alike):

- `heading`: a heading holding `METHOD /path` (`#### POST /api/x`, `` #### **`GET /x`** ``).
- `field`: a `Method:` / `Metoda:` field paired with a `Path:` / `URL:` / `Ścieżka:` field within a few
  lines (bold or not, indented or not, in either order).
- `endpoint-field`: one field holding both, `**Endpoint:** `POST /x``.
- `line`: a list item, numbered item or bare line that *starts* with `METHOD /path`
  (`- **GET `/x`**`, `**POST** `/x``, `- GET `/x``, `1. GET /x`, `POST /x - description`).
- `table`: a table row with a method cell and a path cell (either order) or one `METHOD /path` cell.

Never definitions: fences, html and link-reference lines (`[//]: # (#### GET /x)` comments), a method
inside a sentence (a prose mention), a TOC link (`- [GET /x](#get-x)`), an analysis line
(`Option 1: GET /x`), compound summaries (`GET/PUT /x`), a nested list item starting with an endpoint
when the plan lists its endpoints at the top level (notes and test steps about an endpoint), and
anything in a section whose title says its endpoints are ideas rather than plan (`Future Enhancements`,
`not included`, `out of scope`).

One endpoint written twice (a summary table and a detailed section, a TOC and a heading) is one
definition: detailed notations win over table rows, then the document's dominant notation, then the
first. Definitions whose written paths differ only in their query strings (PostgREST filters) stay
separate. Colon custom methods (`/notebooks:import`) are literal path text, see `core.keys`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Literal

from stage_lsp.core.keys import endpoint_key
from stage_lsp.core.location import Range
from stage_lsp.plan.api.text import Heading, PlanText, mask
from stage_lsp.plan.api.vocab import METHOD_RE, PATH_RE, PATH_TRAIL, SPECULATIVE_RE

Notation = Literal["heading", "field", "endpoint-field", "line", "table"]
DETAILED: frozenset[str] = frozenset({"heading", "field", "endpoint-field", "line"})

_LEAD = r"^\s*(?:>\s*)*(?:(?:[-+•]|--|\d{1,3}[.)])\s+)?"
_HEADING_DEF = re.compile(rf"(?<![\w/|,&.-])({METHOD_RE})\s+({PATH_RE})")
_LINE_DEF = re.compile(rf"{_LEAD}({METHOD_RE})\s+({PATH_RE})(.*)$")
_METHOD_FIELD = re.compile(
    rf"{_LEAD}(?i:http\s+)?(?i:method|metoda(?:\s+http)?)\s*:?\s*:?\s*({METHOD_RE})(?![\w/])(.*)$"
)
_PATH_FIELD = re.compile(
    rf"{_LEAD}(?i:path|url|uri|endpoint|route|[śs]cie[żz]ka|adres(?:\s+url)?)\s*:?\s*:?\s*({PATH_RE})(.*)$"
)
_ENDPOINT_FIELD = re.compile(
    rf"{_LEAD}(?i:endpoint|route|url|uri|request|[śs]cie[żz]ka|punkt\s+ko[ńn]cowy|adres)\s*:?\s*:?\s*"
    rf"({METHOD_RE})\s+({PATH_RE})(.*)$"
)
_METHOD_CELL = re.compile(rf"^({METHOD_RE})$")
_PATH_CELL = re.compile(rf"^({PATH_RE})$")
_COMBINED_CELL = re.compile(rf"^({METHOD_RE})\s+({PATH_RE})$")
_PATH_OK = re.compile(r"^(?:https?://[^/\s]+)?/[\w{:\[<.~$-]")
_PAIR_WINDOW = 4
_HAS_METHOD = re.compile(
    rf"(?<![A-Za-z]){METHOD_RE}(?![A-Za-z])"
)  # non-blank lines between a Method field and its Path field


@dataclass(frozen=True, slots=True)
class Definition:
    """One place that defines an endpoint."""

    method: str
    raw_path: str  # as written (query string kept), trailing punctuation dropped
    line: int  # the definition line (the Method line of a field pair)
    end_line: int  # the last line of the definition itself (the Path line of a pair)
    range: Range  # method .. path, in the original file
    notation: Notation
    tail: str = ""  # masked text after the path on its line (description, markers, statuses)
    tail_line: int = 0
    tail_col: int = 0
    key: str = field(default="", compare=False)  # canonical key, filled in from method and path

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", endpoint_key(self.method, self.raw_path))


def _balanced(raw: str) -> str | None:
    """Strip trailing punctuation, keeping closing brackets that close a parameter in the path."""
    path = raw
    while path and path[-1] in PATH_TRAIL:
        last = path[-1]
        if last == "}" and path.count("{") >= path.count("}"):
            break
        if last == "]" and path.count("[") >= path.count("]"):
            break
        if last == ">" and path.count("<") >= path.count(">"):
            break
        path = path[:-1]
    if not _PATH_OK.match(path):
        return None
    return path


def find_definitions(text: PlanText) -> list[Definition]:
    """Every definition candidate in document order (before merging duplicates). Only lines naming an
    HTTP method are examined; Path fields are looked for next to Method fields."""
    found: list[Definition] = []
    method_fields: list[tuple[int, re.Match[str]]] = []
    for no in range(len(text)):
        kind = text.kinds[no]
        if kind not in ("heading", "table", "text") or not _HAS_METHOD.search(text.lines[no]):
            continue
        d: Definition | None = None
        if kind == "heading":
            d = _heading_definition(text, no)
        elif kind == "table":
            if not text.header_row[no]:
                d = _table_definition(text, no)
        else:
            masked = text.masked(no)
            if masked.lstrip().startswith("|") and masked.count("|") >= 3:
                # a table row markdown does not see as one (header and delimiter disagree)
                d = _table_definition(text, no)
            elif m := _ENDPOINT_FIELD.match(masked):
                d = _simple(text, no, m, "endpoint-field")
            elif m := _METHOD_FIELD.match(masked):
                inline = re.match(rf"\s*({PATH_RE})(.*)$", m.group(2))
                if inline and _balanced(inline.group(1)):
                    d = _field_pair(text, no, m, no, m.start(2) + inline.start(1), inline.group(1))
                else:
                    method_fields.append((no, m))
            elif m := _LINE_DEF.match(masked):
                d = _simple(text, no, m, "line")
        if d is not None:
            found.append(d)
    found.extend(_pair_fields(text, method_fields))
    found.sort(key=lambda d: (d.line, d.range.col))
    depths = [text.depth[d.line] for d in found if d.notation == "line"]
    if depths and min(depths) <= 1:
        # the plan lists endpoints at the top level: a nested item starting with one is a mention
        # (a rate-limit note, a test step, "POST `/x` response could also ..."), not a definition
        found = [d for d in found if d.notation != "line" or text.depth[d.line] <= 1]
    return found


def _heading_definition(text: PlanText, no: int) -> Definition | None:
    masked = text.masked(no)
    m = _HEADING_DEF.search(masked)
    if not m:
        return None
    path = _balanced(m.group(2))
    if path is None:
        return None
    p0 = m.start(2)
    end = p0 + len(path)
    return Definition(
        m.group(1),
        path,
        no,
        no,
        text.range(no, m.start(1), no, end),
        "heading",
        masked[end:],
        no,
        end,
    )


def _simple(text: PlanText, no: int, m: re.Match[str], notation: Notation) -> Definition | None:
    path = _balanced(m.group(2))
    if path is None:
        return None
    end = m.start(2) + len(path)
    masked = text.masked(no)
    return Definition(
        m.group(1), path, no, no, text.range(no, m.start(1), no, end), notation, masked[end:], no, end
    )


def _field_pair(
    text: PlanText, mline: int, m: re.Match[str], pline: int, pcol: int, raw: str
) -> Definition | None:
    path = _balanced(raw)
    if path is None:
        return None
    end = pcol + len(path)
    first, last = (mline, pline) if mline <= pline else (pline, mline)
    start_col = m.start(1) if first == mline else pcol
    end_col = end if last == pline else m.end(1)
    return Definition(
        m.group(1),
        path,
        mline,
        last,
        text.range(first, start_col, last, end_col),
        "field",
        text.masked(pline)[end:],
        pline,
        end,
    )


def _pair_fields(text: PlanText, method_fields: list[tuple[int, re.Match[str]]]) -> list[Definition]:
    """Pair each Method field with the nearest unused Path field (after it first) within a few lines,
    not crossing a heading or another Method field."""
    out: list[Definition] = []
    used: set[int] = set()
    method_lines = {no for no, _ in method_fields}
    for mline, m in method_fields:
        pair: tuple[int, re.Match[str]] | None = None
        for direction in (1, -1):
            seen = 0
            no = mline + direction
            while 0 <= no < len(text) and seen < _PAIR_WINDOW and pair is None:
                kind = text.kinds[no]
                if kind == "heading" or no in method_lines:
                    break
                if kind != "blank":
                    seen += 1
                    pm = _PATH_FIELD.match(text.masked(no)) if kind == "text" and no not in used else None
                    if pm:
                        pair = (no, pm)
                no += direction
            if pair is not None:
                break
        if pair is None:
            continue
        used.add(pair[0])
        d = _field_pair(text, mline, m, pair[0], pair[1].start(1), pair[1].group(1))
        if d:
            out.append(d)
    return out


def _table_definition(text: PlanText, no: int) -> Definition | None:
    """A row with a method cell and a path cell (either order), or one `METHOD /path` cell. The range
    runs from the first of the two to the end of the second (markup in the cells excluded)."""
    method: tuple[str, int, int] | None = None
    path: tuple[str, int, int] | None = None
    for cell in text.cells(no):
        value = mask(cell.text).strip()
        if method is None and _METHOD_CELL.match(value):
            col = cell.col + cell.text.find(value)
            method = (value, col, col + len(value))
        elif path is None and _PATH_CELL.match(value) and (clean := _balanced(value)):
            col = cell.col + cell.text.find(clean)
            path = (clean, col, col + len(clean))
        elif method is None and path is None:
            m = _COMBINED_CELL.match(value)
            if m and (clean := _balanced(m.group(2))):
                start = cell.col + cell.text.find(m.group(1))
                end = cell.col + cell.text.find(clean, start - cell.col) + len(clean)
                return Definition(
                    m.group(1), clean, no, no, text.range(no, start, no, end), "table", "", no, 0
                )
    if method is None or path is None:
        return None
    start = min(method[1], path[1])
    end = max(method[2], path[2])
    return Definition(method[0], path[0], no, no, text.range(no, start, no, end), "table", "", no, 0)


def speculative(text: PlanText, line: int) -> bool:
    """True when a heading above `line` says its endpoints are ideas, not plan (Future Enhancements)."""
    return any(SPECULATIVE_RE.search(heading.text) for heading in ancestors(text, line))


def ancestors(text: PlanText, line: int) -> list[Heading]:
    """The heading at or above `line` and each enclosing heading of a lower level (innermost first)."""
    out: list[Heading] = []
    heading = text.heading_before(line)
    while heading is not None:
        out.append(heading)
        heading = text.parent(heading)
    return out


def _query(raw: str) -> str:
    cut = raw.find("?")
    return raw[cut:] if cut != -1 else ""


def merge_definitions(defs: list[Definition]) -> tuple[list[Definition], list[tuple[Definition, Definition]]]:
    """One definition per endpoint; returns the kept ones (document order) and (dropped, kept) pairs.

    Detailed notations win over table rows (a summary row that repeats a detailed section is not a second
    definition; a summary row that is the only definition is one); among detailed ones the document's
    dominant notation wins, then the first. Paths that differ only in their query string stay apart.
    """
    counts: Counter[str] = Counter()
    seen_keys: set[tuple[str, str]] = set()
    for d in defs:
        if (d.notation, d.key) not in seen_keys:
            seen_keys.add((d.notation, d.key))
            counts[d.notation] += 1
    dominant = counts.most_common(1)[0][0] if counts else ""
    groups: dict[str, list[Definition]] = defaultdict(list)
    for d in defs:
        groups[d.key].append(d)
    kept: list[Definition] = []
    dropped: list[tuple[Definition, Definition]] = []
    detailed_by_shape: dict[tuple[str, int], list[Definition]] = defaultdict(list)
    for d in defs:
        if d.notation in DETAILED:
            detailed_by_shape[_shape(d.key)].append(d)
    for key in list(groups):
        group = groups[key]
        if all(d.notation == "table" for d in group) and "{}" in key:
            candidates = detailed_by_shape.get(_shape(key), [])
            general = next((d for d in candidates if _covers(key, d.key)), None)
            if general is not None:
                dropped.extend((d, general) for d in group)
                del groups[key]
    for group in groups.values():
        detailed = [d for d in group if d.notation in DETAILED]
        pool = detailed or group
        by_query: dict[str, list[Definition]] = defaultdict(list)
        for d in pool:
            by_query[_query(d.raw_path)].append(d)
        winners: list[Definition] = []
        for variants in by_query.values():
            best = next((d for d in variants if d.notation == dominant), variants[0])
            winners.append(best)
        kept.extend(winners)
        for d in group:
            if d not in winners:
                dropped.append((d, winners[0]))
    kept.sort(key=lambda d: (d.line, d.range.col))
    return kept, dropped


def _shape(key: str) -> tuple[str, int]:
    """Method and segment count: only keys of the same shape can cover each other."""
    return key.partition(" ")[0], key.count("/")


def _covers(pattern: str, key: str) -> bool:
    """True when `key` is an instance of the parameterised `pattern` (`POST /scans/{}` covers
    `POST /scans/ocr`): a summary row that generalises detailed definitions."""
    if pattern == key:
        return False
    p_method, _, p_path = pattern.partition(" ")
    k_method, _, k_path = key.partition(" ")
    if p_method != k_method:
        return False
    p_segs = p_path.split("/")
    k_segs = k_path.split("/")
    if len(p_segs) != len(k_segs):
        return False
    return all(p == k or p == "{}" for p, k in zip(p_segs, k_segs, strict=True))
