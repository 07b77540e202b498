"""PRD reader: the user stories of `prd.md` (`US-001` ...) and the endpoints each one names.

A story is defined where its id starts a line: a heading (`### US-001: Title`), a bullet (`- ID: US-001`),
a bare line (`US-001` or `US-001: Title`), a bold label or a table row's first cell. Mentions inside
sentences ("(US-001, US-002)") are references, not definitions. The title is the text after the id, else
the "Title:" / "Tytuł:" line that follows. Endpoints written in a story's body (`POST /api/decks`) link the
story to those plan endpoints (assembly fills `PlanEndpoint.user_stories`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stage_lsp.core.keys import HTTP_METHODS, endpoint_key
from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile
from stage_lsp.plan.damage import repair
from stage_lsp.plan.model import PrdDoc, UserStory
from stage_lsp.plan.outline import Heading, Para, PipeTable, Text, outline
from stage_lsp.plan.story_refs import story_id

_ID = r"US[-_ ]?(?P<num>\d{1,4})"
_DEFINITION = re.compile(
    rf"^\W*(?:(?:ID|Id|Identyfikator|Story)[\s:*]*)?{_ID}\b\**\s*(?:[:.\-–—)]\s*)?(?P<title>.*)$"
)
_TITLE = re.compile(r"(?i)^\W*(?:title|tytuł|nazwa|name)\s*:\s*(?P<t>.+)$")
_ENDPOINT = re.compile(
    r"(?<![A-Za-z])(?P<method>" + "|".join(HTTP_METHODS) + r")\s+`?(?P<path>/[^\s`*|),;]*)"
)


@dataclass
class _Story:
    id: str
    title: str
    location: Location
    level: int  # heading level of its definition; 0 for a line
    endpoints: list[str] = field(default_factory=list)


def _clean(title: str) -> str:
    return re.sub(r"[*_`]", "", title).strip(" :-–—\\")


def read_prd(src: SourceFile) -> PrdDoc:
    """Read one PRD; never raises on its text."""
    repaired = repair(src.rel, src.text, readable=not src.problem)
    stories: list[_Story] = []
    seen: set[str] = set()
    current: _Story | None = None
    want_title = False

    def define(text: Text, level: int) -> bool:
        nonlocal current, want_title
        m = _DEFINITION.match(text.text)
        if not m:
            return False
        sid = story_id(m.group("num"))
        found = re.search(_ID, text.text)
        start = found.start() if found else 0
        where = Location(
            src.rel, Range(text.line, text.at(start), text.line, text.at(len(text.text.rstrip())))
        )
        title = _clean(m.group("title"))
        if sid in seen:
            current = next(s for s in stories if s.id == sid)
            return True
        seen.add(sid)
        current = _Story(sid, title, where, level)
        stories.append(current)
        want_title = not title
        return True

    def body(text: Text) -> None:
        nonlocal want_title
        if current is None:
            return
        if want_title:
            t = _TITLE.match(text.text)
            if t:
                current.title = _clean(t.group("t"))
                want_title = False
        for m in _ENDPOINT.finditer(text.text):
            key = endpoint_key(m.group("method"), m.group("path").rstrip(".:"))
            if key not in current.endpoints:
                current.endpoints.append(key)

    for item in outline(repaired.text):
        if isinstance(item, Heading):
            if define(item.text, item.level):
                continue
            if current is not None and item.level <= (current.level or 3):
                current = None
            continue
        if isinstance(item, Para):
            for text in item.lines:
                if not define(text, 0):
                    body(text)
        elif isinstance(item, PipeTable):
            for row in item.rows:
                if row and define(row[0], 0):
                    for cell in row[1:]:
                        body(cell)
                    if current is not None and not current.title and len(row) > 1:
                        current.title = _clean(row[1].text)
    return PrdDoc(
        file=src.rel,
        user_stories=tuple(UserStory(s.id, s.title, s.location, tuple(s.endpoints)) for s in stories),
        issues=repaired.issues,
    )
