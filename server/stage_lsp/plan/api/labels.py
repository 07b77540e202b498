"""What a label line introduces: a request body, a response body, an error body, or nothing.

`classify` reads a label (`Request JSON:`, `**Response (201 Created)**`, `Body odpowiedzi:`,
`**400 Bad Request (invalid date):**`): an error label or a 4xx/5xx status makes an error body, unless it
names the request; explicit request words beat response words; generic words (`Payload:`, `Body:`)
mean a request. Reason phrases are set aside first, so the "Request" of `400 Bad Request` says nothing
about a request body. Headers, query and path parameters are not bodies (`line_role` gives None).
"""

from __future__ import annotations

import re
from typing import Literal

from stage_lsp.plan.api.statuses import scan_line
from stage_lsp.plan.api.text import PlanText
from stage_lsp.plan.api.vocab import ERROR_LABEL_RE, PATH_PARAM_LABEL_RE, QUERY_LABEL_RE, REASON_RE

Role = Literal["request", "response", "error", ""]
_ROLES: dict[str, Role] = {"request": "request", "response": "response", "error": "error", "": ""}
_DIGIT = re.compile(r"\d")
EXPLICIT_REQUEST = re.compile(
    r"(?<![\w-])(?:request|req\.|[żz][ąa]dani\w*|input|form\s*data|command|payload\s+(?:post|put|patch))(?![\w-])",
    re.I,
)
_RESPONSE = re.compile(
    r"(?<![\w-])(?:responses?|res\.|returns?|result|output|odpowied[źz]\w*|zwraca\w*|wynik\w*|sukces|success)(?![\w-])",
    re.I,
)
GENERIC_BODY = re.compile(r"(?<![\w-])(?:payload|body|ładunek|tre[śs][ćc])(?![\w-])", re.I)
_NOT_BODY_LABEL = re.compile(
    r"(?<![\w-])(?:headers?|nag[łl][óo]wk\w*|cookies?|content[\s-]types?|auth\w*|uwierzytelni\w*)(?![\w-])",
    re.I,
)


def line_role(text: PlanText, no: int) -> Role | None:
    """`classify` of a line's label, None for a header/query/path-parameter label; cached per line."""
    key = f"role:{no}"
    if key in text.cache:
        cached = text.cache[key]
        return cached if cached is None else _ROLES[str(cached)]
    label = label_part(text.masked(no))
    role: Role | None = None if _not_body(label) else classify(label)
    text.cache[key] = role
    return role


def classify(text: str) -> Role:
    """What a label line introduces: a request body, a response body, an error body, or nothing."""
    if not text.strip():
        return ""
    statuses = scan_line(text, 0).statuses if _DIGIT.search(text) else []
    words = text
    request = EXPLICIT_REQUEST.search(words)
    if request and statuses:
        words = REASON_RE.sub(" ", text)  # "400 Bad Request" says nothing about a request body
        request = EXPLICIT_REQUEST.search(words)
    if (ERROR_LABEL_RE.search(words) or any(h.code >= 400 for h in statuses)) and not request:
        return "error"
    if request:
        return "request"
    if _RESPONSE.search(words) or any(h.code < 400 for h in statuses):
        return "response"
    if GENERIC_BODY.search(words):
        return "request"
    return ""


def _not_body(label: str) -> bool:
    """Labels of things that are not bodies: headers, query and path parameters."""
    return bool(
        _NOT_BODY_LABEL.search(label) or QUERY_LABEL_RE.search(label) or PATH_PARAM_LABEL_RE.search(label)
    )


def label_part(masked: str) -> str:
    """The label of a line: text before the first colon outside inline JSON (the whole line when none)."""
    cut = label_colon(masked)
    return masked if cut == -1 else masked[: cut + 1]


def label_colon(line: str) -> int:
    """Column of the first `:` outside `{...}`/`[...]` (inline JSON), -1 when there is none; with
    unbalanced brackets, the first `:` at all."""
    depth = 0
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif depth and ch in "\"'":
            quote = ch
        elif ch in "{[":
            depth += 1
        elif ch in "}]" and depth:
            depth -= 1
        elif ch == ":" and depth == 0:
            return i
    return line.find(":") if depth else -1
