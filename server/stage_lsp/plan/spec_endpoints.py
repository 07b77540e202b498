"""Endpoints a supplementary spec names: `POST /api/auth/login` anywhere in `auth-spec.md`.

The stage workflow plans the API in `api-plan.md` but specifies the authentication module separately
(`auth-spec.md`: login, register, logout, password reset routes). Those routes are planned, just not in
the API plan, so a route serving one is not "unplanned". Nothing else is checked against a spec: it is a
design document (prose, redirects, UI flows), not a contract with statuses and fields, so only the
`METHOD /path` mentions are read, wherever they are (a heading, a list item, a sentence: "sends a `POST`
request to `/api/auth/login`").
"""

from __future__ import annotations

import re

from stage_lsp.core.keys import HTTP_METHODS, endpoint_key
from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile
from stage_lsp.plan.model import SpecEndpoint

# `POST /api/x`, and prose between the two: "a `POST` request to `/api/x`", "zapytanie `POST` do `/api/x`"
_LINK = r"(?:(?i:request|requests|call|calls|sent|to|do|na|at|on|via|żądanie|zapytanie|→|->)[\s*_`]+){0,3}"
_MENTION = re.compile(
    r"(?<![\w/])(?P<method>"
    + "|".join(HTTP_METHODS)
    + r")\b[\s*_`]+"
    + _LINK
    + r"(?P<path>/[A-Za-z0-9_\-./{}\[\]:]*)"
)
_TRAIL = ".,;:)]}"


def read_spec_endpoints(src: SourceFile) -> tuple[SpecEndpoint, ...]:
    """Each distinct endpoint the spec mentions, at its first mention."""
    found: dict[str, SpecEndpoint] = {}
    for no, line in enumerate(src.text.split("\n")):
        for m in _MENTION.finditer(line):
            path = m.group("path").rstrip(_TRAIL)
            if len(path) < 2 or "//" in path:
                continue
            key = endpoint_key(m.group("method"), path)
            end = m.start("path") + len(path)
            found.setdefault(key, SpecEndpoint(key, Location(src.rel, Range(no, m.start(), no, end))))
    return tuple(found.values())
