"""Query parameters and stated requirements of an endpoint: Idempotency-Key, pagination and its limit.

Query parameters are read from:
- a query label (`**Query Parameters:**`, `Query Params:`, `- Query`, `Filters:`, `Parametry zapytania:`)
  naming parameters on its own line (`` Query: `limit`, `cursor`, `state=queued|running` ``) or in the
  bullets nested under it (`` - `page` (optional): page number ``, `- **search**: text`);
- the query string written in the path (`/api/plans?limit&cursor&sort=updated_at`);
- a `Query Params` / `Filters` column of the endpoint's table row.
Names inside parentheses or braces (`sort` (`name`|`createdAt`), `in {`asc`,`desc`}`) are values, not
parameters.

An `Idempotency-Key` header is required when the section names it. Pagination is stated when the
endpoint takes a paging parameter (`page`, `limit`, `pageSize`, `per_page`, `cursor`, `offset`) or its
section says it paginates; the stated maximum (`max 100`, `max: 100`, `maks. 200`, `<= 100`, `1..100`)
on a paging line is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from stage_lsp.core.location import Location
from stage_lsp.plan.api.definitions import Definition
from stage_lsp.plan.api.text import PlanText, leading_names, outside_groups
from stage_lsp.plan.api.vocab import QUERY_LABEL_RE
from stage_lsp.plan.model import PlanField

_NAME = r"[A-Za-z_][\w.\[\]-]*"
_BACKTICKED = re.compile(rf"`({_NAME})(?:=[^`]*)?`")
_SIBLING_NAME = re.compile(rf"^\s*(?:>\s*)*(?:[-+•*]|\d{{1,3}}[.)])\s+`({_NAME})`")
_QUERY_STRING_NAME = re.compile(r"[?&]([A-Za-z_][\w.\[\]-]*)")
_IDEMPOTENCY = re.compile(r"idempotency[-_ ]key", re.I)
_PAGING_NAMES = frozenset(
    {
        "page",
        "limit",
        "pagesize",
        "page_size",
        "per_page",
        "perpage",
        "cursor",
        "offset",
        "size",
        "take",
        "skip",
    }
)
_LIMIT_NAMES = frozenset({"limit", "pagesize", "page_size", "per_page", "perpage", "size", "take"})
_PAGINATES = re.compile(r"(?<![\w-])(?:paginat\w*|paginacj\w*|stronicowani\w*)(?![\w-])", re.I)
_MAX = re.compile(
    r"(?:\bmax(?:imum)?\b\.?|\bmaks(?:ymalnie)?\b\.?|<=|≤|\bup\s+to\b|\bat\s+most\b|\bnie\s+wi[ęe]cej\s+ni[żz]\b)"
    r"\s*[:=]?\s*`?(\d{1,6})\b"
    r"|\b\d{1,3}\s*(?:\.\.|–|-)\s*(\d{1,6})\b",
    re.I,
)
_QUERY_WORDS = ("query", "filter", "parametr")
_QUERY_CELL_HEADER = re.compile(r"query|filter|param", re.I)


@dataclass(frozen=True, slots=True)
class Params:
    query: tuple[PlanField, ...] = ()
    idempotency_key: Location | None = None
    pagination: Location | None = None
    limit_max: int | None = None


def _label_names(text: PlanText, no: int, label_end: int) -> Iterator[tuple[str, int, int]]:
    line = outside_groups(text.lines[no])
    for m in _BACKTICKED.finditer(line, label_end):
        yield m.group(1), m.start(1), m.end(1)


def _nested_names(
    text: PlanText, no: int, lines: set[int], siblings: bool
) -> Iterator[tuple[str, int, int, int]]:
    """Names opening the bullets nested under a label line (or, for a label with nothing after it, the
    sibling bullets that follow it and open with a backticked name)."""
    base = text.depth[no]
    cur = no + 1
    while cur in lines:
        kind = text.kinds[cur]
        if kind == "blank":
            cur += 1
            continue
        if kind != "text":
            break
        depth = text.depth[cur]
        if not text.item_start[cur]:
            if depth <= base:
                break
            cur += 1
            continue
        line = text.lines[cur]
        if depth > base:
            yield from ((name, cur, col, end) for name, col, end in _bullet_names(line))
        elif depth == base and siblings:
            m = _SIBLING_NAME.match(line)
            if not m:
                break
            yield m.group(1), cur, m.start(1), m.end(1)
        else:
            break
        cur += 1


def _bullet_names(line: str) -> list[tuple[str, int, int]]:
    """Parameter names opening a bullet; a nested label (`Filters: `ticker`, `side``) gives the
    names after it."""
    names = leading_names(line)
    if len(names) == 1 and QUERY_LABEL_RE.fullmatch(names[0][0]):
        rest = outside_groups(line)
        return [(t.group(1), t.start(1), t.end(1)) for t in _BACKTICKED.finditer(rest, names[0][2])]
    return names


def read_params(text: PlanText, d: Definition, lines: list[int]) -> Params:
    line_set = set(lines)
    found: dict[str, PlanField] = {}

    def add(name: str, line: int, col: int, end: int) -> None:
        if name not in found:
            found[name] = PlanField(name, Location(text.rel, text.range(line, col, line, end)))

    # the query string written in the path
    if "?" in d.raw_path and d.notation != "table":
        base_col = d.tail_col - len(d.raw_path)
        for q in _QUERY_STRING_NAME.finditer(d.raw_path):
            add(q.group(1), d.tail_line, base_col + q.start(1), base_col + q.end(1))
    idempotency: Location | None = None
    paginates: Location | None = None
    for no in lines:
        kind = text.kinds[no]
        if kind not in ("text", "heading", "table"):
            continue
        raw = text.lines[no]
        low = text.lower(no)
        if idempotency is None and "idempotency" in low and (idem := _IDEMPOTENCY.search(raw)):
            idempotency = Location(text.rel, text.range(no, idem.start(), no, idem.end()))
        if paginates is None and ("pagina" in low or "stronicow" in low) and (pag := _PAGINATES.search(raw)):
            paginates = Location(text.rel, text.range(no, pag.start(), no, pag.end()))
        if kind == "table":
            if no == d.line:
                for name, col, end in _table_query_names(text, no):
                    add(name, no, col, end)
            continue
        if not any(word in low for word in _QUERY_WORDS):
            continue
        masked = text.masked(no)
        label = QUERY_LABEL_RE.search(masked)
        if not label or label.start() > _first_word_end(masked) + 3:
            continue
        label_only = not masked[label.end() :].strip(" :*-—")
        for name, col, end in _label_names(text, no, label.end()):
            add(name, no, col, end)
        for name, line, col, end in _nested_names(text, no, line_set, label_only):
            add(name, line, col, end)
    pagination: Location | None = None
    limit_max: int | None = None
    for name, f in found.items():
        low = name.lower()
        if low in _PAGING_NAMES and pagination is None:
            pagination = f.location
        if low in _LIMIT_NAMES and limit_max is None:
            limit_max = _max_on_line(text, f.location.range.line)
    if pagination is None:
        pagination = paginates
    return Params(tuple(found.values()), idempotency, pagination, limit_max)


def _first_word_end(masked: str) -> int:
    m = re.match(r"^\s*(?:>\s*)*(?:[-+•]|\d{1,3}[.)])?\s*\w+", masked)
    return m.end() if m else 0


def _max_on_line(text: PlanText, line: int) -> int | None:
    m = _MAX.search(text.masked(line))
    if not m:
        return None
    value = int(m.group(1) or m.group(2))
    return value if value > 0 else None


def _table_query_names(text: PlanText, no: int) -> Iterator[tuple[str, int, int]]:
    header = text.table_header[no]
    if header < 0:
        return
    columns = [i for i, c in enumerate(text.cells(header)) if _QUERY_CELL_HEADER.search(c.text)]
    cells = text.cells(no)
    for i in columns:
        if i >= len(cells):
            continue
        cell = cells[i]
        part = outside_groups(text.lines[no][: cell.end_col])
        for m in _BACKTICKED.finditer(part, cell.col):
            yield m.group(1), m.start(1), m.end(1)
