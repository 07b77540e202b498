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
the union. A body given by reference ("same as GET", "returns the created object") gives none. A body
that elides keys (`{ "id": 1, ... }`) or whose label calls it an excerpt (`Response 200 (fragment)`) is
partial: its keys are planned, other keys are not drift.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from stage_lsp.core.location import Location
from stage_lsp.plan.api.definitions import Definition
from stage_lsp.plan.api.jsonish import BodyEnd, Key, body_end, elides_keys, json_spans, top_level_keys
from stage_lsp.plan.api.labels import (
    EXPLICIT_REQUEST,
    GENERIC_BODY,
    Role,
    classify,
    label_colon,
    line_role,
)
from stage_lsp.plan.api.text import Fence, PlanText, leading_names, outside_groups

_BODY_INFO = frozenset({"", "json", "jsonc", "json5", "js", "javascript", "ts", "typescript", "jsx", "tsx"})
# Code, not a body: statements, or an HTTP request line (`GET /x`, `curl ...`).
_CODE = re.compile(
    r"^\s*(?:(?:export\s+)?(?:const|let|var|function|async|await|import|return|if|for)\b|curl\s|"
    r"(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+\S)",
    re.M,
)
_FIELD_BULLET = re.compile(r"^\s*(?:>\s*)*(?:[-+•]|\d{1,3}[.)])\s+`([A-Za-z_$][\w$.-]*)`")
_BACKTICK_NAMES = re.compile(r"`([A-Za-z_$][\w$.-]*)`")
_FIELD_HEADER = re.compile(
    r"^(?:field|name|pole|nazwa|property|parameter|param|key|klucz|atrybut|attribute)s?$", re.I
)
_LOOKBACK = 6
_NAMES_AFTER = re.compile(r"\s*(?:`[A-Za-z_$][\w$-]*`\s*(?:[,/]\s*)?)+(?=:|$|[-—–]\s)")
_TYPE_NAME = re.compile(r"`([A-Z][A-Za-z0-9]+)`")
# A line that introduces a named body: it opens with the type name (`` `ServerList` response example ``).
_NAMED_INTRO = re.compile(r"^\s*(?:>\s*)*(?:[-+*•]\s+)?(?:\*\*)?(?:\#+\s*)?`([A-Z][A-Za-z0-9]+)`")
_ERROR_ENVELOPE = re.compile(r"[\"']error[\"']\s*:\s*\{")


@dataclass(frozen=True, slots=True)
class Body:
    """One body the text shows: its role, its keys and the line that introduces it."""

    role: Role
    keys: tuple[Key, ...]
    line: int
    partial: bool = False  # the body shows only some fields: an ellipsis, or a label saying "fragment"
    end: BodyEnd | None = None  # where a key is appended (a JSON or TypeScript-ish object)


@dataclass(frozen=True, slots=True)
class Bodies:
    request: tuple[Key, ...] = ()
    response: tuple[Key, ...] = ()
    error_fences: tuple[Fence, ...] = ()
    request_partial: bool = False
    response_partial: bool = False
    request_end: BodyEnd | None = None  # the append point of the only request body
    response_end: BodyEnd | None = None

    @staticmethod
    def of(bodies: list[Body], errors: list[Fence]) -> Bodies:
        request = [k for b in bodies if b.role == "request" for k in b.keys]
        response = [k for b in bodies if b.role == "response" for k in b.keys]
        return Bodies(
            tuple(_dedup(request)),
            tuple(_dedup(response)),
            tuple(errors),
            any(b.partial for b in bodies if b.role == "request"),
            any(b.partial for b in bodies if b.role == "response"),
            _only_end(bodies, "request"),
            _only_end(bodies, "response"),
        )


def _only_end(bodies: list[Body], role: Role) -> BodyEnd | None:
    """With one body of the role, where a key is added to it; with variants, which one is a decision."""
    found = [b for b in bodies if b.role == role]
    return found[0].end if len(found) == 1 else None


# A label saying the body is an excerpt: `Odpowiedź 200 (fragment):`, `Response (excerpt)`.
_EXCERPT = re.compile(r"\b(?:fragment\w*|excerpt\w*|abridged|truncated|skr[óo]t\w*|wycin\w*)\b", re.I)


def _excerpt(text: PlanText, label: int) -> bool:
    return bool(_EXCERPT.search(text.lines[label]))


def _intro(text: PlanText, line: int, lo: int) -> tuple[Role, int]:
    """The role given by the nearest label line above `line` (blank lines and plain lines skipped; a
    heading without a role, another fence, or a header/query label right above stop the search), and
    that label's line."""
    seen = 0
    no = line - 1
    while no >= lo and seen < _LOOKBACK:
        kind = text.kinds[no]
        if kind == "blank":
            no -= 1
            continue
        if kind == "fence":
            return "", line
        if kind in ("heading", "text"):
            role = line_role(text, no)
            if role is None:
                if seen == 0:
                    return "", line
            elif role or kind == "heading":
                return role, no
        seen += 1
        no -= 1
    return "", line


def read_bodies(text: PlanText, d: Definition | None, lines: list[int]) -> tuple[list[Body], list[Fence]]:
    """The bodies shown on `lines` (a definition's span, or a section's shared text when `d` is None)
    and the error bodies among the fences (read for codes)."""
    bodies: list[Body] = []
    errors: list[Fence] = []
    if not lines:
        return bodies, errors
    lo = lines[0]
    done: set[int] = set()
    line_set = set(lines)
    named = named_bodies(text)
    for no in lines:
        if no in done:
            continue
        kind = text.kinds[no]
        if kind == "fence":
            fence = text.fence_at(no)
            if fence is None:
                continue
            done.update(range(fence.start, fence.end))
            if not _body_fence(fence):
                continue
            role, intro = _intro(text, fence.start, lo)
            if not role and _ERROR_ENVELOPE.search(fence.body):
                role = "error"
            if role == "error":
                errors.append(fence)
            elif role:
                body_lines = _fence_lines(text, fence)
                partial = elides_keys(body_lines) or (intro != fence.start and _excerpt(text, intro))
                keys = top_level_keys(body_lines)
                bodies.append(Body(role, tuple(keys), intro, partial, body_end(body_lines, keys)))
        elif kind == "text":
            label_role = line_role(text, no)
            if label_role != "request" and label_role != "response":
                continue
            role = label_role
            found = _inline_keys(text, no) or _names_after_label(text, no)
            end = None
            if not found:
                block = _following_block(text, no, line_set, done)
                found = top_level_keys(block) if block else []
                end = body_end(block, found) if found else None
                found = found or _field_list(text, no, line_set)
            if not found and role == "response" and not _fence_follows(text, no):
                found = _named_reference(text, no, named)
            if found:
                bodies.append(Body(role, tuple(found), no, _excerpt(text, no), end))
        elif kind == "table" and d is not None and no == d.line and d.notation == "table":
            bodies.extend(Body(role, tuple(keys), no) for role, keys in _row_bodies(text, no, named))
        elif kind == "table" and not text.header_row[no] and text.table_header[no] >= 0:
            header = text.table_header[no]
            if header in done:
                continue
            done.add(header)
            role, intro = _intro(text, header, lo)
            if role in ("request", "response"):
                bodies.append(Body(role, tuple(_table_fields(text, header, line_set)), intro))
    return bodies, errors


def _body_fence(fence: Fence) -> bool:
    """A fence that can hold a body: JSON by example or TypeScript-ish types, not code or other formats."""
    info = fence.info.split()[0] if fence.info.split() else ""
    return info in _BODY_INFO and not _CODE.search(fence.body)


def _target(role: Role, request: list[Key], response: list[Key]) -> list[Key]:
    return request if role == "request" else response


def _fence_lines(text: PlanText, fence: Fence) -> list[tuple[int, str]]:
    end = fence.end
    if end - 1 > fence.body_start and text.lines[end - 1].strip().lstrip(">").strip().startswith(
        ("```", "~~~")
    ):
        end -= 1
    return [(no, text.lines[no]) for no in range(fence.body_start, end)]


def _inline_keys(text: PlanText, no: int, *, anywhere: bool = False) -> list[Key]:
    """Keys of inline JSON / TypeScript on a line (after its label's colon unless `anywhere`)."""
    line = text.lines[no]
    cut = -1 if anywhere else label_colon(line)
    return _inline_keys_in(line, no, cut, len(line))


def _inline_keys_in(line: str, no: int, start: int, end: int) -> list[Key]:
    keys: list[Key] = []
    for a, b in json_spans(line[:end]):
        if a < start:
            continue
        keys.extend(top_level_keys([(no, " " * a + line[a:b])], shorthand=True))
    return keys


def _following_block(text: PlanText, no: int, lines: set[int], done: set[int]) -> list[tuple[int, str]]:
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
    return block


def _field_list(text: PlanText, no: int, lines: set[int]) -> list[Key]:
    """Bullets nested under a body label: each gives its inline JSON's keys, or the field names it opens
    with (`` - `items`: array ``, `` - `page`,`page_size` ``)."""
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
            inline = _inline_keys(text, cur, anywhere=True)
            if inline:
                keys.extend(inline)
            else:
                line = outside_groups(text.lines[cur])
                keys.extend(
                    Key(name, cur, col, end, "")
                    for name, col, end in leading_names(line)
                    if line[col - 1 : col] == "`"
                )
        cur += 1
    return keys


def _names_after_label(text: PlanText, no: int) -> list[Key]:
    """Field names right after a body label: `Response 200: `items`: array of ...`."""
    line = text.lines[no]
    cut = line.find(":")
    if cut == -1:
        return []
    m = _NAMES_AFTER.match(line, cut + 1)
    if not m:
        return []
    return [
        Key(t.group(1), no, t.start(1), t.end(1), "")
        for t in _BACKTICK_NAMES.finditer(line, m.start(), m.end())
        if not _TYPE_NAME.fullmatch(t.group())  # `CreateExerciseCommand`: a type, not a field
    ]


def named_bodies(text: PlanText) -> dict[str, Fence]:
    """Bodies the document names (`` `ServerList` response example `` above a fence), by name."""
    cached = text.cache.get("named_bodies")
    if isinstance(cached, dict):
        return cached
    named: dict[str, Fence] = {}
    for fence in text.fences:
        no = fence.start - 1
        while no >= 0 and text.kinds[no] == "blank":
            no -= 1
        if no < 0 or text.kinds[no] not in ("text", "heading"):
            continue
        m = _NAMED_INTRO.match(text.lines[no])
        if m:
            named.setdefault(m.group(1), fence)
    text.cache["named_bodies"] = named
    return named


def _fence_follows(text: PlanText, no: int) -> bool:
    nxt = no + 1
    while nxt < len(text) and text.kinds[nxt] == "blank":
        nxt += 1
    return nxt < len(text) and text.kinds[nxt] == "fence"


def _named_reference(text: PlanText, no: int, named: dict[str, Fence]) -> list[Key]:
    for name in _TYPE_NAME.findall(text.lines[no]):
        fence = named.get(name)
        if fence is not None:
            return top_level_keys(_fence_lines(text, fence))
    return []


def _row_bodies(text: PlanText, no: int, named: dict[str, Fence]) -> list[tuple[Role, list[Key]]]:
    """Bodies in a table definition row: request/response columns (inline JSON, or a named type in a
    success column), and inline JSON a notes column calls a body (`JSON body `{title, content}``)."""
    header = text.table_header[no]
    if header < 0:
        return []
    titles = [c.text for c in text.cells(header)]
    out: list[tuple[Role, list[Key]]] = []
    line = text.lines[no]
    for i, cell in enumerate(text.cells(no)):
        if i >= len(titles):
            break
        role = classify(titles[i])
        if role == "error" or (not role and not GENERIC_BODY.search(cell.text)):
            continue
        if not role:
            role = "request" if EXPLICIT_REQUEST.search(cell.text) or GENERIC_BODY.search(cell.text) else ""
        if role not in ("request", "response"):
            continue
        keys = _inline_keys_in(line, no, cell.col, cell.end_col)
        if not keys and role == "response":
            for name in _TYPE_NAME.findall(cell.text):
                fence = named.get(name)
                if fence is not None:
                    keys = top_level_keys(_fence_lines(text, fence))
                    break
        if keys:
            out.append((role, keys))
    return out


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
