"""Request and response fields of an endpoint, from the bodies its section shows.

A body is introduced by a label (`Request JSON:`, `**Request Body:**`, `Body (JSON):`, `Ładunek żądania`,
`Response 200`, `**Success Response (200 OK):**`, `Odpowiedź 200:`, `Struktura odpowiedzi`, `Returns`),
found on the line that carries the body or on the nearest line above it. Errors are not response
fields: a label saying error, or giving a 4xx/5xx status, makes an error body (read for codes only).

Bodies are read as:
- fenced JSON by example, TypeScript-ish types (`jsonish.top_level_keys`), fenced or indented;
- unfenced JSON on the lines after a label, and inline JSON in backticks or braces on the label line
  (`` - Request: `{ "name": "string" }` ``, `- Request: { email: string, password: string }`);
- field lists: bullets under a body label that start with a field name (`` - `items`: array ``);
- field tables: a table under a body label whose first column is the field (`| Field | Type |`).

Top-level keys only; a bare array gives its element's keys; several bodies (variants, `// OR`) give
the union. A body given by reference ("same as GET", "returns the created object") gives none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from stage_lsp.core.location import Location
from stage_lsp.plan.api.definitions import Definition
from stage_lsp.plan.api.jsonish import Key, json_spans, top_level_keys
from stage_lsp.plan.api.statuses import scan_line
from stage_lsp.plan.api.text import Fence, PlanText
from stage_lsp.plan.api.vocab import ERROR_LABEL_RE, PATH_PARAM_LABEL_RE, QUERY_LABEL_RE, REASON_RE

Role = Literal["request", "response", "error", ""]

_EXPLICIT_REQUEST = re.compile(
    r"(?<![\w-])(?:request|req\.|[żz][ąa]dani\w*|input|form\s*data|command|payload\s+(?:post|put|patch))(?![\w-])",
    re.I,
)
_RESPONSE = re.compile(
    r"(?<![\w-])(?:responses?|res\.|returns?|result|output|odpowied[źz]\w*|zwraca\w*|wynik\w*|sukces|success)(?![\w-])",
    re.I,
)
_GENERIC_BODY = re.compile(r"(?<![\w-])(?:payload|body|json|ładunek|tre[śs][ćc])(?![\w-])", re.I)
_NOT_BODY_INFO = frozenset(
    {
        "bash",
        "sh",
        "shell",
        "http",
        "sql",
        "curl",
        "console",
        "text",
        "plaintext",
        "env",
        "mermaid",
        "diff",
        "md",
        "markdown",
        "yaml",
        "yml",
        "python",
        "py",
    }
)
_FIELD_BULLET = re.compile(r"^\s*(?:>\s*)*(?:[-+•]|\d{1,3}[.)])\s+`([A-Za-z_$][\w$.-]*)`")
_BACKTICK_NAMES = re.compile(r"`([A-Za-z_$][\w$.-]*)`")
_FIELD_HEADER = re.compile(
    r"^(?:field|name|pole|nazwa|property|parameter|param|key|klucz|atrybut|attribute)s?$", re.I
)
_LOOKBACK = 3
_ERROR_ENVELOPE = re.compile(r"^\s*[\"']?error[\"']?\s*:\s*\{", re.M)


@dataclass(frozen=True, slots=True)
class Bodies:
    request: tuple[Key, ...] = ()
    response: tuple[Key, ...] = ()
    error_fences: tuple[Fence, ...] = ()


def classify(text: str) -> Role:
    """What a label line introduces: a request body, a response body, an error body, or nothing."""
    if not text.strip():
        return ""
    statuses = scan_line(text, 0).statuses if any(ch.isdigit() for ch in text) else []
    words = text
    request = _EXPLICIT_REQUEST.search(words)
    if request and statuses:
        words = REASON_RE.sub(" ", text)  # "400 Bad Request" says nothing about a request body
        request = _EXPLICIT_REQUEST.search(words)
    if (ERROR_LABEL_RE.search(words) or any(h.code >= 400 for h in statuses)) and not request:
        return "error"
    if request:
        return "request"
    if _RESPONSE.search(words) or any(h.code < 400 for h in statuses):
        return "response"
    if _GENERIC_BODY.search(words):
        return "request"
    return ""


def _intro(text: PlanText, line: int, lo: int) -> Role:
    """The role given by the nearest label line above `line` (blank lines skipped)."""
    seen = 0
    no = line - 1
    while no >= lo and seen < _LOOKBACK:
        kind = text.kinds[no]
        if kind == "blank":
            no -= 1
            continue
        if kind == "fence":
            return ""
        masked = text.masked(no)
        if kind == "heading" or kind == "text":
            if QUERY_LABEL_RE.search(masked) or PATH_PARAM_LABEL_RE.search(masked):
                return ""
            role = classify(masked)
            if role:
                return role
        seen += 1
        no -= 1
    return ""


def read_bodies(text: PlanText, d: Definition, lines: list[int]) -> Bodies:
    if not lines:
        return Bodies()
    lo = lines[0]
    request: list[Key] = []
    response: list[Key] = []
    errors: list[Fence] = []
    done: set[int] = set()
    line_set = set(lines)
    for no in lines:
        if no in done:
            continue
        kind = text.kinds[no]
        if kind == "fence":
            fence = text.fence_at(no)
            if fence is None:
                continue
            done.update(range(fence.start, fence.end))
            if fence.info.split()[:1] and fence.info.split()[0] in _NOT_BODY_INFO:
                continue
            role = _intro(text, fence.start, lo)
            if not role and _ERROR_ENVELOPE.search(fence.body):
                role = "error"
            if role == "error":
                errors.append(fence)
            elif role:
                _target(role, request, response).extend(top_level_keys(_fence_lines(text, fence)))
        elif kind == "text" or (kind == "table" and no == d.line):
            masked = text.masked(no)
            role = classify(_label_part(masked)) if kind == "text" else ""
            if kind == "table":
                continue
            if not role:
                continue
            target = _target(role, request, response) if role != "error" else None
            if target is None:
                continue
            inline = _inline_keys(text, no)
            if inline:
                target.extend(inline)
                continue
            follow = _following_json(text, no, line_set, done)
            if follow:
                target.extend(follow)
                continue
            target.extend(_field_list(text, no, line_set))
        elif kind == "table" and not text.header_row[no] and text.table_header[no] >= 0:
            header = text.table_header[no]
            if header in done:
                continue
            done.add(header)
            role = _intro(text, header, lo)
            if role in ("request", "response"):
                _target(role, request, response).extend(_table_fields(text, header, line_set))
    return Bodies(tuple(_dedup(request)), tuple(_dedup(response)), tuple(errors))


def _target(role: Role, request: list[Key], response: list[Key]) -> list[Key]:
    return request if role == "request" else response


def _label_part(masked: str) -> str:
    """The label of a line: text before the first colon (or the whole line when it has none)."""
    cut = masked.find(":")
    return masked if cut == -1 else masked[: cut + 1]


def _fence_lines(text: PlanText, fence: Fence) -> list[tuple[int, str]]:
    end = fence.end
    if end - 1 > fence.body_start and text.lines[end - 1].strip().lstrip(">").strip().startswith(
        ("```", "~~~")
    ):
        end -= 1
    return [(no, text.lines[no]) for no in range(fence.body_start, end)]


def _inline_keys(text: PlanText, no: int) -> list[Key]:
    line = text.lines[no]
    cut = line.find(":")
    for start, end in json_spans(line):
        if start < cut:
            continue
        keys = top_level_keys([(no, " " * start + line[start:end])])
        if keys:
            return keys
    return []


def _following_json(text: PlanText, no: int, lines: set[int], done: set[int]) -> list[Key]:
    """Unfenced JSON right after a label line: lines from `{`/`[` until the brackets balance."""
    nxt = no + 1
    while nxt in lines and text.kinds[nxt] == "blank":
        nxt += 1
    if nxt not in lines or text.kinds[nxt] != "text":
        return []
    first = text.lines[nxt].strip().lstrip(">").strip().strip("`")
    if not first.startswith(("{", "[")):
        return []
    block: list[tuple[int, str]] = []
    depth = 0
    cur = nxt
    while cur in lines and text.kinds[cur] in ("text", "blank"):
        line = text.lines[cur]
        block.append((cur, line))
        depth += line.count("{") + line.count("[") - line.count("}") - line.count("]")
        done.add(cur)
        if depth <= 0:
            break
        cur += 1
    return top_level_keys(block)


def _field_list(text: PlanText, no: int, lines: set[int]) -> list[Key]:
    """Bullets nested under a body label that start with a backticked field name."""
    keys: list[Key] = []
    base = text.depth[no]
    cur = no + 1
    while cur in lines:
        kind = text.kinds[cur]
        if kind == "blank":
            cur += 1
            continue
        if kind != "text" or text.depth[cur] <= base:
            break
        if text.item_start[cur] and text.depth[cur] == base + 1:
            line = text.lines[cur]
            m = _FIELD_BULLET.match(line)
            if m:
                colon = line.find(":", m.end())
                names_part = line[: colon if colon != -1 else len(line)]
                for nm in _BACKTICK_NAMES.finditer(names_part, m.start(1) - 1):
                    keys.append(Key(nm.group(1), cur, nm.start(1), nm.end(1), ""))
        cur += 1
    return keys


def _table_fields(text: PlanText, header: int, lines: set[int]) -> list[Key]:
    cells = text.cells(header)
    if not cells or not _FIELD_HEADER.match(cells[0].text.strip("*` ")):
        return []
    keys: list[Key] = []
    cur = header + 1
    while cur < len(text) and text.kinds[cur] in ("table", "other"):
        if text.kinds[cur] == "table" and text.table_header[cur] == header:
            first = text.cells(cur)[0] if text.cells(cur) else None
            if first is not None:
                name = first.text.strip("*` ")
                if re.fullmatch(r"[A-Za-z_$][\w$.\[\]-]*", name):
                    keys.append(Key(name, cur, first.col, first.end_col, ""))
        cur += 1
    return keys


def _dedup(keys: Iterable[Key]) -> list[Key]:
    seen: set[str] = set()
    out: list[Key] = []
    for k in keys:
        if k.name not in seen:
            seen.add(k.name)
            out.append(k)
    return out


def key_location(text: PlanText, key: Key) -> Location:
    return Location(text.rel, text.range(key.line, key.col, key.line, key.end_col))
