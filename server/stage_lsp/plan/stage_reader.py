"""Stage plan reader: the stages of `stages-plan.md` (or a phase plan) and what each one delivers.

A stage is a heading that names one: "Stage 1", "Etap 1", "Faza 0", "Phase 2", "Sprint 3", numbered as
the document numbers them ("## Etap 0 — Fundament"). Under it, until the next stage heading, the reader
takes:

- endpoints: `METHOD /path` in a list item, a paragraph or a table row (`| Endpoint | Operacja | Status |`);
- tables: names in a line labelled "Tables:" / "Tabele:" / "Tabela:" or written as "`x` table" / "tabela `x`";
- policies: "policies on `decks`: select, insert" (one item per table and command);
- user stories mentioned (`US-001`), as items of kind "other".

Each item may be marked new / modified / unchanged / out of scope (`nowy`, `zmieniony`, `bez zmian`,
`poza zakresem`), by a parenthesis right after it, a Status cell, or a word on its line. A document with no
stage heading whose title or file name numbers one ("phase2-implementation-plan.md") is that one stage.
"""

from __future__ import annotations

import posixpath
import re

from stage_lsp.core.keys import HTTP_METHODS, endpoint_key
from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile
from stage_lsp.plan.damage import repair
from stage_lsp.plan.db.names import IDENT, normalise
from stage_lsp.plan.model import Stage, StageItem, StageMark, StagePlanDoc
from stage_lsp.plan.outline import Heading, Para, PipeTable, Text, outline

_STAGE = re.compile(
    r"\b(?P<word>stage|etap|faza|phase|sprint|iteracja|iteration|milestone)\s*(?:nr\.?\s*)?#?\s*(?P<n>\d{1,3})\b",
    re.I,
)
_FILE_STAGE = re.compile(r"(?:stage|etap|faza|phase|sprint)[-_ ]?(?P<n>\d{1,3})", re.I)
_ENDPOINT = re.compile(
    r"(?<![A-Za-z])(?P<method>" + "|".join(HTTP_METHODS) + r")\s+`?(?P<path>/[^\s`*|),;]*)",
)
_MARKS: tuple[tuple[StageMark, re.Pattern[str]], ...] = (
    (
        "out-of-scope",
        re.compile(
            r"\b(out of scope|poza zakresem|not in this stage|nie w tym etapie|deferred|odroczon\w*|"
            r"later stage|później|skipped|pominięt\w*)\b",
            re.I,
        ),
    ),
    (
        "unchanged",
        re.compile(
            r"\b(unchanged|bez zmian|no changes?|existing|istniejąc\w*|as before|jak wcześniej)\b", re.I
        ),
    ),
    (
        "modified",
        re.compile(
            r"\b(modified|changed|updated|extended|zmienion\w*|zmodyfikowan\w*|rozszerzon\w*|zmiana|"
            r"modyfikacja|aktualizacja)\b",
            re.I,
        ),
    ),
    ("new", re.compile(r"\b(new|added|nowy|nowa|nowe|nowych|dodany|dodana|dodane|utworzon\w*)\b", re.I)),
)
_TABLE_LABEL = re.compile(
    r"(?i)^\W*(tables?|tabele|tabela|tabel|db|database|baza danych|schema|schemat)\b[^:]{0,20}:"
)
_TABLE_WORD = re.compile(
    rf"`(?P<a>(?:{IDENT}\.)?{IDENT})`\s+(?:table|tabel\w*)\b|\b(?:table|tabel\w*)\s+`(?P<b>(?:{IDENT}\.)?{IDENT})`",
    re.I,
)
_POLICY = re.compile(r"(?i)\b(polic(y|ies)|polityk\w*|rls)\b")
_COMMANDS = re.compile(r"(?i)\b(select|insert|update|delete|all)\b")
_STORY = re.compile(r"\bUS-?\d{1,4}\b")
_CODE_NAME = re.compile(rf"`(?P<n>(?:{IDENT}\.)?{IDENT})`")


def _mark(text: str) -> StageMark | None:
    for mark, pattern in _MARKS:
        if pattern.search(text):
            return mark
    return None


def _after(text: str, end: int) -> str:
    """The parenthesis right after an item (`(new)`, `(modified: deck_id filter)`), if any."""
    m = re.match(r"\s*`?\s*(?:\*\*)?\s*\((?P<p>[^)]*)\)", text[end:])
    return m.group("p") if m else ""


class _Stages:
    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.stages: list[Stage] = []
        self.items: list[StageItem] = []
        self.current: tuple[int, str, Location, int] | None = None  # number, title, location, level

    def close(self) -> None:
        if self.current is not None:
            number, title, location, _ = self.current
            self.stages.append(Stage(number, title, location, tuple(self.items)))
        self.items = []
        self.current = None

    def add(self, item: StageItem) -> None:
        if self.current is None:
            return
        if any(i.kind == item.kind and i.key == item.key for i in self.items):
            return
        self.items.append(item)

    def loc(self, text: Text, start: int, end: int) -> Location:
        return Location(self.rel, Range(text.line, text.at(start), text.line, text.at(end)))

    def read_line(self, text: Text, default_mark: StageMark | None = None) -> None:
        raw = text.text
        line_mark = _mark(raw) or default_mark
        for m in _ENDPOINT.finditer(raw):
            path = m.group("path").rstrip(".:")
            mark = _mark(_after(raw, m.end())) or line_mark
            self.add(
                StageItem(
                    "endpoint",
                    endpoint_key(m.group("method"), path),
                    self.loc(text, m.start(), m.end()),
                    mark,
                )
            )
        names: list[re.Match[str]] = []
        if _TABLE_LABEL.match(raw):
            names = [m for m in _CODE_NAME.finditer(raw) if not re.match(r"/", m.group("n"))]
        else:
            names = list(_TABLE_WORD.finditer(raw))
        commands = [c.lower() for c in _COMMANDS.findall(re.sub(r"`[^`]*`", " ", raw))]
        for m in names:
            group = "n" if "n" in m.re.groupindex else ("a" if m.group("a") else "b")
            name = normalise(m.group(group))
            mark = _mark(_after(raw, m.end())) or line_mark
            self.add(StageItem("table", name, self.loc(text, m.start(group), m.end(group)), mark))
            if _POLICY.search(raw):
                for command in dict.fromkeys(commands):
                    self.add(
                        StageItem(
                            "policy", f"{name}:{command}", self.loc(text, m.start(group), m.end(group)), mark
                        )
                    )
        if not names and _POLICY.search(raw) and commands:
            for m in _CODE_NAME.finditer(raw):
                name = normalise(m.group("n"))
                if name.lower() in ("select", "insert", "update", "delete", "all"):
                    continue
                for command in dict.fromkeys(commands):
                    self.add(
                        StageItem(
                            "policy", f"{name}:{command}", self.loc(text, m.start("n"), m.end("n")), line_mark
                        )
                    )
        for m in _STORY.finditer(raw):
            self.add(
                StageItem(
                    "other",
                    m.group(0).replace("US", "US-").replace("--", "-"),
                    self.loc(text, m.start(), m.end()),
                    line_mark,
                )
            )

    def read_table(self, table: PipeTable) -> None:
        header = [c.text.replace("*", "").strip().lower() for c in table.header]
        status = next(
            (i for i, h in enumerate(header) if re.search(r"status|stan|mark|zmiana|change", h)), None
        )
        for row in table.rows:
            mark = _mark(row[status].text) if status is not None and status < len(row) else None
            joined = " ".join(c.text for c in row)
            method = next((m for m in HTTP_METHODS if re.search(rf"\b{m}\b", joined)), None)
            path = re.search(r"(?<![\w])/[^\s`|*),;]*", joined)
            first = row[0]
            if method and path and not _ENDPOINT.search(joined):
                loc = Location(
                    self.rel, Range(first.line, first.col, first.line, row[-1].col + len(row[-1].text))
                )
                self.add(StageItem("endpoint", endpoint_key(method, path.group(0)), loc, mark))
                continue
            for cell in row:
                if cell is not (row[status] if status is not None and status < len(row) else None):
                    self.read_line(cell, mark)


def read_stage_plan(src: SourceFile) -> StagePlanDoc:
    """Read one stage (or phase) plan; never raises on its text."""
    repaired = repair(src.rel, src.text, readable=not src.problem)
    items = outline(repaired.text)
    reader = _Stages(src.rel)
    has_stage_heading = any(isinstance(i, Heading) and _STAGE.search(i.text.text) for i in items)
    if not has_stage_heading:
        title = next((i for i in items if isinstance(i, Heading)), None)
        m = _STAGE.search(title.text.text) if title else None
        number = int(m.group("n")) if m else None
        if number is None:
            fm = _FILE_STAGE.search(posixpath.basename(src.rel))
            number = int(fm.group("n")) if fm else None
        if number is not None:
            where = title.text if title else Text(0, 0, "")
            loc = Location(src.rel, Range(where.line, where.col, where.line, where.col + len(where.text)))
            reader.current = (
                number,
                title.text.text.strip() if title else posixpath.basename(src.rel),
                loc,
                0,
            )
    for item in items:
        if isinstance(item, Heading):
            m = _STAGE.search(item.text.text)
            if m:
                reader.close()
                name = item.text.text[m.end() :].strip(" \t—–-:.*`)").strip() or item.text.text.strip()
                loc = Location(
                    src.rel, Range(item.line, item.text.col, item.line, item.text.col + len(item.text.text))
                )
                reader.current = (int(m.group("n")), name, loc, item.level)
            elif reader.current is not None and reader.current[3] and item.level <= reader.current[3]:
                reader.close()
            continue
        if isinstance(item, Para):
            for text in item.lines:
                reader.read_line(text)
        elif isinstance(item, PipeTable):
            reader.read_table(item)
    reader.close()
    return StagePlanDoc(file=src.rel, stages=tuple(reader.stages), issues=repaired.issues)
