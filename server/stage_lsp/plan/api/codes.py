"""Application codes as a whole document declares them, and codes in example error bodies.

- `is_code`: not a placeholder (`ERROR_CODE`, `UPPER_SNAKE`, ...) and not a common acronym (`JSON`, `UUID`).
  A reason phrase written as a code (`NOT_FOUND`, `UNAUTHORIZED` after `401 Unauthorized —`) is a code.
- `doc_codes`: the error-code vocabulary a plan declares in its error format (`"code": "string", // e.g.
  NotFound, Conflict`, `"code": "NOT_FOUND | CONFLICT"`), with where each code is declared (the plan's
  API-wide catalogue: such codes are defined for every endpoint), and the values it lists as alternatives
  of a field (`"role": "ADMIN | PLANNER | READ_ONLY"`), which are data, never error codes.
- `error_body_codes`: values of `code` / `error_code` / `error` keys in an error body example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stage_lsp.plan.api.text import PlanText
from stage_lsp.plan.api.vocab import is_reason_phrase

PLACEHOLDER_CODES = frozenset(
    {
        "ERROR_CODE",
        "ERROR_CODES",
        "ERR_CODE",
        "UPPER_SNAKE",
        "UPPER_SNAKE_CASE",
        "SNAKE_CASE",
        "MACHINE_CODE",
        "STRING_MACHINE_CODE",
        "APP_CODE",
        "YOUR_CODE",
        "SOME_CODE",
        "CODE_NAME",
        "ERROR_TYPE",
    }
)
NOT_CODES = frozenset(
    {
        "JSON",
        "UUID",
        "ISO",
        "UTC",
        "API",
        "JWT",
        "RLS",
        "SQL",
        "HTTP",
        "HTTPS",
        "URL",
        "URI",
        "CRUD",
        "MVP",
        "OK",
        "ID",
        "PDF",
        "CSV",
        "AI",
        "LLM",
        "TODO",
        "NOTE",
        "CORS",
        "CSRF",
        "XSS",
        "DB",
        "UI",
        "UX",
        "GET",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "HEAD",
        "OPTIONS",
        "AND",
        "OR",
        "NOT",
        "NULL",
        "TRUE",
        "FALSE",
        "RPC",
        "REST",
        "SDK",
        "CDN",
        "ETAG",
        "GDPR",
        "RODO",
        "PII",
        "TTL",
        "UTF",
        "ASC",
        "DESC",
    }
)

_JSON_CODE = re.compile(r"[\"'](?:code|error_code|errorCode|error)[\"']\s*:\s*[\"']([A-Za-z][\w.-]*)[\"']")


@dataclass(slots=True)
class CodeHit:
    code: str
    line: int
    col: int
    end_col: int
    status: int | None = None
    success: bool = False


def is_code(token: str) -> bool:
    """Not a placeholder or a common acronym. (A reason phrase written as a code, `NOT_FOUND`,
    `UNAUTHORIZED` after `401 Unauthorized —`, is a code.)"""
    return token not in PLACEHOLDER_CODES and token not in NOT_CODES


def error_body_codes(text: PlanText, start: int, end: int) -> list[CodeHit]:
    """Codes in an error body example: values of `code`, `error_code`, `error` keys that look like codes
    (`"error": "rate_limit_exceeded"`, `"code": "NOT_FOUND"`), not reason phrases or messages."""
    out: list[CodeHit] = []
    for no in range(start, end):
        for m in _JSON_CODE.finditer(text.lines[no]):
            value = m.group(1)
            if ("_" in value or value.isupper()) and is_code(value) and not is_reason_phrase(value):
                out.append(CodeHit(value, no, m.start(1), m.end(1)))
    return out


@dataclass(frozen=True, slots=True)
class DocCodes:
    """What the whole document says about codes.

    `vocab`: error codes the plan declares in its error format (`"code": "string", // e.g. NotFound,
    Conflict` or `"code": "NOT_FOUND | CONFLICT"`); such a code written right after a status is a code
    even when it reads like a reason phrase (`404 NotFound`). `enum_values`: values the plan lists as
    alternatives of a field (`"role": "ADMIN | PLANNER | READ_ONLY"`), which are data, not error codes.
    """

    vocab: frozenset[str] = frozenset()
    enum_values: frozenset[str] = frozenset()
    declared: tuple[CodeHit, ...] = ()  # where each vocabulary code is declared (first mention)


_CODE_DECL = re.compile(
    r"[\"'](?:code|error_code|errorCode|error)[\"']\s*:\s*(?:\"(?P<value>[^\"]*)\"|'[^']*'|[\w.]+)?\s*,?\s*"
    r"(?://|#)\s*(?P<comment>.*)$"
)
_CODE_VALUE = re.compile(r"[\"'](?:code|error_code|errorCode)[\"']\s*:\s*\"(?P<value>[^\"]*\|[^\"]*)\"")
_EXAMPLE_WORDS = re.compile(
    r"^\s*(?:np\.?|e\.?\s?g\.?|eg|for\s+example|przyk[łl]ad\w*|such\s+as|like)\s*[:,]?\s*", re.I
)
_ALTERNATIVES = re.compile(r"\"([^\"\n|]*\|[^\"\n]*)\"|`([^`\n|]*\|[^`\n]*)`")
_TOKEN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _tokens(listing: str, seps: str) -> list[str]:
    parts = re.split("[" + re.escape(seps) + "]", listing)
    return [p.strip().strip("`'\".") for p in parts if _TOKEN.match(p.strip().strip("`'\"."))]


def _declare(hits: dict[str, CodeHit], tokens: list[str], line: str, no: int, start: int) -> None:
    for token in tokens:
        if token in hits:
            continue
        m = re.search(r"(?<![\w])" + re.escape(token) + r"(?![\w])", line[start:])
        col = start + m.start() if m else start
        hits[token] = CodeHit(token, no, col, col + len(token) if m else start)


def doc_codes(text: PlanText) -> DocCodes:
    vocab: set[str] = set()
    enums: set[str] = set()
    hits: dict[str, CodeHit] = {}
    fence_lines = {no for f in text.fences for no in range(f.body_start, f.end)}
    for no, line in enumerate(text.lines):
        if no in fence_lines:
            m = _CODE_DECL.search(line)
            if m:
                tokens = _tokens(_EXAMPLE_WORDS.sub("", m.group("comment")), ",;/|")
                if len(tokens) >= 2:
                    vocab.update(tokens)
                    _declare(hits, tokens, line, no, m.start("comment"))
            m = _CODE_VALUE.search(line)
            if m:
                tokens = _tokens(m.group("value"), "|")
                vocab.update(tokens)
                _declare(hits, tokens, line, no, m.start("value"))
                continue
        if no in fence_lines or text.kinds[no] in ("text", "table"):
            for m in _ALTERNATIVES.finditer(line):
                for token in _tokens(m.group(1) or m.group(2), "|"):
                    if token.isupper() or "_" in token:
                        enums.add(token)
    declared = tuple(h for h in hits.values() if is_code(h.code))
    return DocCodes(frozenset(vocab), frozenset(enums - vocab), declared)
