"""HTTP statuses and application codes stated in a piece of a plan.

A three-digit number 100-599 is a status when the text says so:
- it is followed by a reason phrase (`201 Created`, `404 Not Found`, `404 NotFound`, `401 unauthorized`),
- or by an application code (`409 MEMBER_NAME_CONFLICT`, `404 not_found`),
- or it stands in a line labelled as statuses (`Success:`, `Errors: 400, 409`, `Response (201)`,
  `Odpowiedź 200`, `Błędy: 401, 403`, `Kody błędów`, `Status Codes`), or in a table column so labelled,
- or it opens a list item (`- 400: invalid input`), or appears as `HTTP/1.1 200` in an example.
Alternatives (`201 or 200`, `400/422`, `502/504`, `200 OK/201 Created`) give every status named.

Never statuses: numbers glued to other characters (`v100`, `1-200`, dates and times, `1,500`, `2.200`),
numbers followed by a unit (`500 characters`, `200 ms`, `100 requests`, `5%`), numbers after a limit word
(`max 500`, `limit 100`, `default 200`), values of JSON keys (`"position": 200`), and anything in a fence
other than an HTTP status line.

Application codes: UPPER_SNAKE (`NOT_FOUND`, `GROUP_LIMIT_REACHED`) on a line about errors; a single
upper-case word (`UNAUTHENTICATED`) or a lower_snake code (`quota_exceeded`) right after a status; and
the value of a `code` / `error_code` / `error` key in an example body. Placeholders (`ERROR_CODE`,
`<UPPER_SNAKE>`), reason phrases and common acronyms are not codes. On lines about success only
(`Success: 201 Created — MEMBER_CREATED`) UPPER_SNAKE codes are success codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from stage_lsp.plan.api.codes import CodeHit
from stage_lsp.plan.api.codes import is_code as _is_code
from stage_lsp.plan.api.text import PlanText
from stage_lsp.plan.api.vocab import ERROR_LABEL_RE, REASON_RE, STATUS_LABEL_RE

_DIGITS = re.compile(r"\d+")
_THREE_DIGITS = re.compile(r"[1-5]\d\d")
# Units after a number: measurements in any form, countable nouns only in the plural ("100 items"),
# since a singular noun after a status is its explanation ("404 item not found", "403 user mismatch").
_UNIT = re.compile(
    r"\s*(?:ms|s|sec|secs|seconds?|min|mins|minutes?|h|hrs?|hours?|days|weeks|months|years|"
    r"chars?|characters?|znak\w*|kb|mb|gb|px|pln|eur|usd|zł|kcal|kg|ml|cm|mm|km|"
    r"items|elements|elementów|rows|records|entries|results|requests|reqs|calls|tokens|words|bytes|"
    r"users|messages|pages|lines|points|questions|cards|flashcards|fiszek|fiszki|times|per|"
    r"sekund\w*|minut\w*|godzin\w*|dni|lat)(?![\w])",
    re.I,
)
_LIMIT_BEFORE = re.compile(
    r"(?:\b(?:max(?:imum)?|maks(?:ymalnie)?|min(?:imum)?|limit|limits|up\s+to|do|default|defaults?\s+to|"
    r"domy[śs]lnie|at\s+most|at\s+least|size|length|timeout|port|top|first|last|around|about|approx|"
    r"ca|od|from|between|within|under|over|above|below|exceeds?|than|najwy[żz]ej|co\s+najmniej|"
    r"page|pagesize|page_size|per_page|offset|version|year|rok)\.?|[<>≤≥~×=±])\s*[:=]?\s*$",
    re.I,
)
_LABEL_AT_END = re.compile(r"(?:" + STATUS_LABEL_RE.pattern + r")\W{0,3}$", re.I)
_JSON_VALUE_BEFORE = re.compile(r"[\"'][\w\- ]*[\"']\s*:\s*$|\b\w+\s*[:=]\s*$")
_HTTP_LINE = re.compile(r"\bHTTP/\d(?:\.\d)?\s+([1-5]\d\d)\b")
_CODE_AFTER = re.compile(r"[\s(:—–-]*([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w-])")
_UPPER_SNAKE = re.compile(r"(?<![\w<{-])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?![\w>}-])")
_WORD = re.compile(r"[\s—–:-]*([A-Za-z][A-Za-z0-9_]*)")
_METHOD_BEFORE = re.compile(r"(?<![\w/])(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+$")  # "POST 202"
_LIST_LEAD = re.compile(r"^\s*(?:>\s*)*(?:[-+•]|\d{1,3}[.)])\s+")
# a bullet (`-`, `+`, `*`, `•`) or numbered list item's marker with its indentation
LIST_LEAD = re.compile(r"^\s*(?:>\s*)*(?:[-+*•]|\d{1,3}[.)])\s+")


@dataclass(slots=True)
class StatusHit:
    code: int
    line: int
    col: int
    end_col: int
    label: str = ""  # "success" / "error" when the line says which


@dataclass(slots=True)
class Found:
    statuses: list[StatusHit] = field(default_factory=list)
    codes: list[CodeHit] = field(default_factory=list)


def _status_token_at(s: str, i: int) -> bool:
    m = _DIGITS.match(s, i)
    return m is not None and len(m.group()) == 3 and "100" <= m.group() <= "599"


def candidates(s: str, start: int = 0) -> Iterator[tuple[int, int, int]]:
    """(status, start, end) for each three-digit number in `s` that is not glued, a unit or a limit."""
    prev_end = -10
    for m in _DIGITS.finditer(s, start):
        a, b = m.span()
        tok = m.group()
        if len(tok) != 3 or not ("100" <= tok <= "599"):
            continue
        chained = 0 < a - prev_end <= 2 and s[prev_end:a].strip() in ("/", ",", "")
        p = s[a - 1] if a > 0 else " "
        pp = s[a - 2] if a > 1 else " "
        q = s[b] if b < len(s) else " "
        qq = s[b + 1] if b + 1 < len(s) else " "
        if p.isalnum() or p in "_.#$€£+=<>≤≥~×\\@&":
            continue
        if p in "-–" and pp.isdigit():
            continue
        if p == ":" and pp.isdigit():
            continue
        if p == "/" and not chained and not (pp.isalpha() and _reason_after(s, b)):
            continue
        if p == "," and not chained and pp.isdigit():
            continue
        if q.isalnum() or q in "_%+":
            continue
        if q in ".,:-–/" and qq.isdigit() and not (q in ",/" and _status_token_at(s, b + 1)):
            continue
        if q == "/" and qq.isalpha():
            continue
        if _UNIT.match(s, b):
            continue
        before = s[max(0, a - 40) : a]
        reason = _reason_after(s, b)
        if p == "(" and q == ")" and not chained and not _LABEL_AT_END.search(s[: a - 1]):
            continue  # "limit reached (100)"; but "Response (201)" is a status
        if not chained and not reason:
            if _LIMIT_BEFORE.search(before):
                continue
            if _JSON_VALUE_BEFORE.search(before) and not STATUS_LABEL_RE.search(before[-24:]):
                continue
        prev_end = b
        yield int(tok), a, b


def _reason_after(s: str, b: int, raw: str = "") -> int:
    """End column of a reason phrase right after a status ending at `b` (0 when none).

    With `raw` (the line before masking), a one-word phrase in capitals that sits in a code span of
    its own after the status's span (`` `401` — `UNAUTHORIZED` ``) is an error code, not the phrase;
    `` `401 UNAUTHORIZED` `` and `401 UNAUTHORIZED` stay a phrase."""
    i = b
    while i < len(s) and s[i] in " \t-–—:(":
        i += 1
    m = REASON_RE.match(s, i)
    if m is None:
        return 0
    if raw and _own_code_span(raw, b, m.start(), m.end()):
        return 0
    return m.end()


def _own_code_span(raw: str, b: int, start: int, end: int) -> bool:
    token = raw[start:end]
    return (
        token.isupper()
        and token.isalpha()
        and raw[start - 1 : start] == "`"
        and raw[end : end + 1] == "`"
        and "`" in raw[b : start - 1]
    )


def _code_after(s: str, b: int) -> re.Match[str] | None:
    """A code right after a status or its reason phrase (`409 `MEMBER_IN_USE``, `404 not_found`,
    `401 Unauthorized — UNAUTHORIZED`). A lower_snake or one-word token followed by more words is the
    subject of a sentence (`400: `press_review_id` missing`), not a code."""
    m = _CODE_AFTER.match(s, b)
    if not m:
        return None
    token = m.group(1)
    if len(token) < 3 or not _is_code(token):
        return None
    if not (token.isupper() and "_" in token):
        rest = s[m.end() :].lstrip()
        if rest[:1].isalnum():
            return None
    return m


def _method_before(s: str, a: int) -> bool:
    """`POST 202`: an HTTP method right before offset `a` (only the blank run and the word before it are
    looked at, so a line with many numbers is scanned once, not once per number)."""
    i = a
    while i > 0 and s[i - 1].isspace():
        i -= 1
    return i < a and bool(_METHOD_BEFORE.search(s, max(0, i - 7), a))


def scan_line(
    s: str,
    line: int,
    *,
    labelled: bool = False,
    start: int = 0,
    cell: bool = False,
    vocab: frozenset[str] = frozenset(),
    raw: str = "",
) -> Found:
    """Statuses and codes on one masked line (or table cell text); `labelled`: a status column/label;
    `raw`: the line before masking, when known (code spans tell a code from a reason phrase)."""
    out = Found()
    if "_" not in s and not _THREE_DIGITS.search(s, start):
        return out  # no status and no UPPER_SNAKE code can be on this line
    label_m = STATUS_LABEL_RE.search(s)
    error_label = bool(ERROR_LABEL_RE.search(s))
    lead = _LIST_LEAD.match(s)
    first_tok = lead.end() if lead else len(s) - len(s.lstrip())
    if cell:
        first_tok = len(s) - len(s.lstrip())
    line_statuses: list[StatusHit] = []
    code_after: list[CodeHit] = []
    context = labelled
    prev_accepted_end = -10
    for code, a, b in candidates(s, start):
        reason_end = _reason_after(s, b, raw)
        code_m = _code_after(s, b) if not reason_end else None
        chained = 0 < a - prev_accepted_end <= 3 and s[prev_accepted_end:a].strip() in ("/", ",", ";", "")
        leading = (lead is not None or cell) and a == first_tok
        labelled_here = (label_m is not None and label_m.start() < a) or _method_before(s, a)
        if not (reason_end or code_m is not None or context or labelled_here or leading or chained):
            continue
        if leading or labelled_here:
            context = True  # a line that opens with a status, or a status label, lists statuses
        prev_accepted_end = reason_end or b
        hit = StatusHit(code, line, a, reason_end or b)
        line_statuses.append(hit)
        if code_m is not None:
            code_after.append(CodeHit(code_m.group(1), line, code_m.start(1), code_m.end(1), code))
        elif vocab and (vm := _WORD.match(s, b)) and vm.group(1) in vocab:
            code_after.append(CodeHit(vm.group(1), line, vm.start(1), vm.end(1), code))
        elif reason_end and (cm := _code_after(s, reason_end)) is not None:
            code_after.append(CodeHit(cm.group(1), line, cm.start(1), cm.end(1), code))
    for m in _HTTP_LINE.finditer(s):
        if not any(h.col <= m.start(1) < h.end_col for h in line_statuses):
            line_statuses.append(StatusHit(int(m.group(1)), line, m.start(1), m.end(1)))
    out.statuses.extend(line_statuses)
    errorish = error_label or any(h.code >= 400 for h in line_statuses)
    successish = not errorish and any(h.code < 400 for h in line_statuses)
    for h in line_statuses:
        h.label = "error" if h.code >= 400 else "success"
    taken: set[tuple[int, int]] = set()
    for c in code_after:
        if c.status is not None and c.status < 400:
            c.success = True
        out.codes.append(c)
        taken.add((c.col, c.end_col))
    if errorish or successish:
        nearest = line_statuses[0].code if len(line_statuses) == 1 else None
        for m in _UPPER_SNAKE.finditer(s):
            if (m.start(1), m.end(1)) in taken or not _is_code(m.group(1)):
                continue
            if _inside_angle(s, m.start(1)):
                continue
            out.codes.append(
                CodeHit(
                    m.group(1),
                    line,
                    m.start(1),
                    m.end(1),
                    _status_before(line_statuses, m.start(1)) or nearest,
                    successish,
                )
            )
    return out


def _status_before(hits: list[StatusHit], col: int) -> int | None:
    best = None
    for h in hits:
        if h.col < col:
            best = h.code
    return best


def _inside_angle(s: str, col: int) -> bool:
    lt = s.rfind("<", 0, col)
    return lt != -1 and s.find(">", col) != -1 and s.rfind(">", 0, col) < lt


def scan_fence(text: PlanText, start: int, end: int) -> Found:
    """`HTTP/1.1 404` status lines inside a fence (other numbers in examples are data)."""
    out = Found()
    for no in range(start, end):
        for m in _HTTP_LINE.finditer(text.lines[no]):
            out.statuses.append(StatusHit(int(m.group(1)), no, m.start(1), m.end(1)))
    return out


def merge(items: Iterable[Found]) -> Found:
    out = Found()
    for f in items:
        out.statuses.extend(f.statuses)
        out.codes.extend(f.codes)
    return out


def _status_columns(text: PlanText, header: int) -> set[int]:
    if header < 0:
        return set()
    return {i for i, cell in enumerate(text.cells(header)) if STATUS_LABEL_RE.search(cell.text)}


def scan_table_row(text: PlanText, no: int, vocab: frozenset[str] = frozenset()) -> Found:
    """A table row: status columns (`Status`, `Success`, `Error`, `Code`) list statuses; other cells need
    a reason phrase or a code; codes in a row with a status are that status's codes."""
    out = Found()
    columns = _status_columns(text, text.table_header[no])
    cells = text.cells(no)
    line_text = text.masked(no)
    for i, cell in enumerate(cells):
        isolated = " " * cell.col + line_text[cell.col : cell.end_col]
        found = scan_line(isolated, no, labelled=i in columns, start=cell.col, cell=True, vocab=vocab)
        out.codes.extend(found.codes)
        out.statuses.extend(h for h in found.statuses if h.col >= cell.col)
    if out.statuses:
        error = any(h.code >= 400 for h in out.statuses)
        seen: set[int] = set()
        for m in _UPPER_SNAKE.finditer(line_text):
            token = m.group(1)
            if m.start(1) in seen or not _is_code(token) or _inside_angle(line_text, m.start(1)):
                continue
            seen.add(m.start(1))
            status = _status_before(out.statuses, m.start(1)) or out.statuses[0].code
            out.codes.append(CodeHit(token, no, m.start(1), m.end(1), status, not error))
        for cell in cells:
            value = cell.text.strip("` *")
            is_word_code = value.isupper() and value.isalpha() and len(value) >= 3 and _is_code(value)
            if error and is_word_code and not any(c.col <= cell.col < c.end_col for c in out.codes):
                out.codes.append(CodeHit(value, no, cell.col, cell.end_col, out.statuses[0].code))
    return out


def scan_lines(
    text: PlanText,
    lines: Iterable[int],
    skip: dict[int, int] | None = None,
    vocab: frozenset[str] = frozenset(),
) -> Found:
    """Statuses and codes on the given lines (fences: only HTTP status lines and `code` values)."""
    skip = skip or {}
    out = Found()
    done_fences: set[int] = set()
    for no in lines:
        kind = text.kinds[no]
        if kind in ("text", "heading", "table"):
            key = (no, skip.get(no, 0), bool(vocab))
            cached: Found | None = text.scans.get(key)
            if cached is None:
                if kind == "table":
                    cached = scan_table_row(text, no, vocab) if not text.header_row[no] else Found()
                else:
                    cached = scan_line(text.masked(no), no, start=key[1], vocab=vocab, raw=text.lines[no])
                text.scans[key] = cached
            out.statuses.extend(cached.statuses)
            out.codes.extend(cached.codes)
            continue
        if kind == "fence":
            fence = text.fence_at(no)
            if fence is not None and fence.start not in done_fences:
                done_fences.add(fence.start)
                found = scan_fence(text, fence.body_start, fence.end)
                out.statuses.extend(found.statuses)
                out.codes.extend(found.codes)
    return out
