"""The words API plans use, in English and Polish, compiled once.

Labels are matched on masked lines (bold stars and backticks blanked), case-insensitively, at a word
boundary. Everything here is vocabulary, not per-project wording: each entry is a common English or
Polish term for the thing it names.
"""

from __future__ import annotations

import re

from stage_lsp.core.keys import HTTP_METHODS

METHODS = HTTP_METHODS
METHOD_RE = "(?:" + "|".join(METHODS) + ")"

# A path as plans write it: starts with `/` (or is an absolute URL) and runs to whitespace.
PATH_RE = r"(?:https?://[^\s/]+)?/[^\s]*"
# Characters that may trail a path token without being part of it.
PATH_TRAIL = ".,;:)]}\"'>|"

# HTTP reason phrases (RFC 9110 and common extras), as regex fragments (spaces optional: `NotFound`).
REASON_PHRASES = (
    "ok",
    "created",
    "accepted",
    "non-authoritative information",
    "no content",
    "reset content",
    "partial content",
    "multi-status",
    "multiple choices",
    "moved permanently",
    "found",
    "see other",
    "not modified",
    "temporary redirect",
    "permanent redirect",
    "bad request",
    "unauthori[sz]ed",
    "payment required",
    "forbidden",
    "not found",
    "method not allowed",
    "not acceptable",
    "request timeout",
    "conflict",
    "gone",
    "length required",
    "precondition failed",
    "precondition required",
    "payload too large",
    "content too large",
    "request entity too large",
    "uri too long",
    "unsupported media type",
    "range not satisfiable",
    "expectation failed",
    "misdirected request",
    "unprocessable entity",
    "unprocessable content",
    "unprocessable",
    "locked",
    "failed dependency",
    "too early",
    "upgrade required",
    "too many requests",
    "request header fields too large",
    "unavailable for legal reasons",
    "internal server error",
    "internal error",
    "server error",
    "not implemented",
    "bad gateway",
    "service unavailable",
    "gateway timeout",
    "http version not supported",
    "insufficient storage",
    "network authentication required",
)


def _phrase(p: str) -> str:
    return r"\s*".join(re.escape(w) if "[" not in w else w for w in p.split(" "))


REASON_RE = re.compile(
    r"(?:" + "|".join(_phrase(p) for p in sorted(REASON_PHRASES, key=len, reverse=True)) + r")(?![\w-])",
    re.I,
)
_REASON_EXACT = re.compile(r"^(?:" + REASON_RE.pattern + r")$", re.I)


def is_reason_phrase(text: str) -> bool:
    return bool(_REASON_EXACT.match(text.strip()))


# Labels that introduce statuses (the line then lists status numbers).
STATUS_LABEL_RE = re.compile(
    r"(?<![\w-])(?:"
    r"status(?:es)?|status\s*codes?|http\s*status|codes?|kody?|kod\s*http|"
    r"success(?:ful)?|sukces|powodzeni\w*|"
    r"errors?|error\s*codes?|error\s*responses?|failures?|b[łl][ęe]d(?:y|[óo]w)?|"
    r"responses?|odpowied[źz]\w*|"
    r"http"
    r")(?![\w-])",
    re.I,
)

# Labels of bodies: request vs response (checked on the line that introduces a body).
REQUEST_LABEL_RE = re.compile(
    r"(?<![\w-])(?:request|req\.?|payload|body|input|form\s*data|"
    r"[żz][ąa]dani\w*|[łl]adunek\s+[żz][ąa]dania|dane\s+wej[śs]ciowe|tre[śs][ćc]\s+[żz][ąa]dania)(?![\w-])",
    re.I,
)
RESPONSE_LABEL_RE = re.compile(
    r"(?<![\w-])(?:responses?|res\.?|returns?|result|output|success|"
    r"odpowied[źz]\w*|zwraca|wynik|sukces)(?![\w-])",
    re.I,
)
ERROR_LABEL_RE = re.compile(
    r"(?<![\w-])(?:errors?|error\s*responses?|failures?|b[łl][ęe]d(?:y|[óo]w)?|bledy)(?![\w-])", re.I
)
QUERY_LABEL_RE = re.compile(
    r"(?<![\w-])(?:query(?:\s*(?:string|param(?:eter)?s?))?|filters?|"
    r"parametry\s+zapytania|parametry\s+query|query\s+params)(?![\w-])",
    re.I,
)
PATH_PARAM_LABEL_RE = re.compile(
    r"(?<![\w-])(?:path\s*param(?:eter)?s?|url\s*param(?:eter)?s?|parametry\s+[śs]cie[żz]ki)(?![\w-])", re.I
)

# Section titles that mark endpoints as later / optional.
POST_MVP_RE = re.compile(
    r"(?<![\w-])(?:post[-\s\u2011]?mvp|future|later|phase\s*2|v2\s+only|przysz[łl]\w*)(?![\w])", re.I
)
OPTIONAL_RE = re.compile(r"(?<![\w-])(?:optional|opcjonaln\w*|nice[-\s]to[-\s]have)(?![\w-])", re.I)
# Section titles or first lines that say the endpoints listed are ideas, not part of the plan.
SPECULATIVE_RE = re.compile(
    r"(?<![\w-])(?:enhancements?|extensions?|ideas?|potential|possible|roadmap|wishlist|"
    r"not\s+(?:included|part\s+of|planned)|out\s+of\s+scope|poza\s+zakresem|pomys[łl]\w*|rozszerzeni\w*)(?![\w-])",
    re.I,
)
