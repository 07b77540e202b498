"""A plan document as classified lines, read once with markdown-it (via `plan.markdown`).

Every later step works on lines: which are fences (never definitions), headings (with their level), table
rows (with cells and their columns), html or link-reference lines (comments: ignored) and text (with
list depth). Columns given to `range` are columns of the *clean* line and are mapped back to the file.

Markdown damage: some plans were pasted from a rich editor, so every markdown character is escaped
(`\\#### \\`GET /x\\``, `\\- \\*\\*Description\\*\\*`) and fences are indented with `&nbsp;`. When a document
shows that damage (several lines start with an escaped block marker) the escapes and `&nbsp;` are undone
before parsing, keeping a per-line column map so ranges still point into the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

from stage_lsp.core.location import Range
from stage_lsp.core.source import SourceFile
from stage_lsp.plan.markdown import parse_blocks

LineKind = Literal["blank", "text", "heading", "table", "fence", "html", "other"]

_ESCAPED_BLOCK_START = re.compile(r"^\s*(?:&nbsp;\s*)*\\[#*+>|-]")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|&nbsp;")
_DAMAGE_MIN_LINES = 3
_FENCE_MARK = re.compile(r"^\s*(?:>\s*)*(```|~~~)")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")

# Markup that never changes what a line says: bold/italic stars, code-span backticks, no-break spaces.
_MASK = str.maketrans({"*": " ", "`": " ", "\u00a0": " "})


def mask(text: str) -> str:
    """`text` with `*`, backticks and no-break spaces blanked out: same length, so columns stay valid."""
    return text.translate(_MASK)


@dataclass(frozen=True, slots=True)
class Fence:
    start: int  # first line (the opening marker, or the first line of an indented block)
    end: int  # exclusive
    info: str  # "json", "typescript", "" ...
    body: str  # the content between the markers
    body_start: int  # first content line


@dataclass(frozen=True, slots=True)
class Heading:
    line: int
    level: int
    text: str  # inline source of the heading (markup kept)


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    col: int  # column of the cell's first character (clean line)
    end_col: int


class PlanText:
    """The clean lines of one plan file, their kinds, headings, fences and table rows."""

    def __init__(self, src: SourceFile) -> None:
        self.rel = src.rel
        raw_lines = src.text.split("\n")
        damaged = sum(1 for ln in raw_lines if _ESCAPED_BLOCK_START.match(ln)) >= _DAMAGE_MIN_LINES
        self.colmaps: dict[int, list[int]] = {}
        if damaged:
            clean: list[str] = []
            for no, ln in enumerate(raw_lines):
                text, cmap = _unescape(ln)
                clean.append(text)
                if cmap is not None:
                    self.colmaps[no] = cmap
            self.lines = clean
        else:
            self.lines = raw_lines
        self.damaged = damaged
        n = len(self.lines)
        self.kinds: list[LineKind] = ["blank" if not ln.strip() else "other" for ln in self.lines]
        self.depth: list[int] = [0] * n  # list nesting depth of text lines
        self.item_start: list[bool] = [False] * n  # the line that carries a list marker
        self.item_end: dict[int, int] = {}  # list item start line -> end of the item (exclusive)
        self.header_row: list[bool] = [False] * n
        self.table_header: list[int] = [-1] * n  # for table rows: the line of the table's header row
        self.headings: list[Heading] = []
        self.fences: list[Fence] = []
        self._heading_at: dict[int, Heading] = {}
        self._masked: dict[int, str] = {}
        self._lower: dict[int, str] = {}
        self._cells: dict[int, list[Cell]] = {}
        self._fence_at: dict[int, Fence] | None = None
        self.cache: dict[str, object] = {}  # per-document results of later steps (named bodies, ...)
        self.scans: dict[tuple[int, int, bool], Any] = {}  # statuses.scan_lines per (line, start, vocab)
        self._classify("\n".join(self.lines))
        self._heading_lines = [h.line for h in self.headings]
        self._heading_end, self._parent = _section_ends(self.headings, n)

    # -- classification ------------------------------------------------------------------------------

    def _classify(self, text: str) -> None:
        n = len(self.lines)
        current_header = -1
        for block in parse_blocks(text):
            start, end = block.line, min(block.end_line, n)
            if block.kind == "heading":
                heading = Heading(start, block.level, block.text)
                self.headings.append(heading)
                self._heading_at[start] = heading
                for ln in range(start, end):
                    self.kinds[ln] = "heading"
            elif block.kind == "fence":
                body_start = start + 1 if _FENCE_MARK.match(self.lines[start]) else start
                self.fences.append(Fence(start, end, block.info.lower(), block.text, body_start))
                for ln in range(start, end):
                    self.kinds[ln] = "fence"
            elif block.kind == "table_row":
                self.kinds[start] = "table"
                if block.info == "header":
                    self.header_row[start] = True
                    current_header = start
                elif (
                    start > 0
                    and self.kinds[start - 1] != "table"
                    and not (start > 1 and self.kinds[start - 2] == "table")
                ):
                    current_header = -1
                self.table_header[start] = current_header
            elif block.kind == "html":
                for ln in range(start, end):
                    self.kinds[ln] = "html"
            elif block.kind == "paragraph":
                for ln in range(start, end):
                    if self.kinds[ln] in ("other", "blank"):
                        self.kinds[ln] = "text" if self.lines[ln].strip() else "blank"
                        self.depth[ln] = block.level
            elif block.kind == "list_item" and start < n:
                self.item_start[start] = True
                self.item_end[start] = end
                if self.kinds[start] in ("other", "blank"):
                    self.depth[start] = block.level

    # -- access --------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.lines)

    def masked(self, line: int) -> str:
        cached = self._masked.get(line)
        if cached is None:
            cached = mask(self.lines[line])
            self._masked[line] = cached
        return cached

    def fence_at(self, line: int) -> Fence | None:
        if self._fence_at is None:
            self._fence_at = {}
            for fence in self.fences:
                for no in range(fence.start, fence.end):
                    self._fence_at[no] = fence
        return self._fence_at.get(line)

    def lower(self, line: int) -> str:
        """The clean line in lower case (for cheap substring tests before a regex)."""
        cached = self._lower.get(line)
        if cached is None:
            cached = self.lines[line].lower()
            self._lower[line] = cached
        return cached

    def heading_at(self, line: int) -> Heading | None:
        return self._heading_at.get(line)

    def cells(self, line: int) -> list[Cell]:
        """The cells of a table row (clean columns), split on unescaped `|` outside code spans."""
        cached = self._cells.get(line)
        if cached is not None:
            return cached
        text = self.lines[line]
        cells: list[Cell] = []
        bounds = [m.start() for m in _CELL_SPLIT.finditer(_blank_code_spans(text))]
        stripped = text.strip()
        if not stripped.startswith("|"):
            bounds.insert(0, -1)
        if not stripped.endswith("|") or len(bounds) == 1:
            bounds.append(len(text))
        for a, b in pairwise(bounds):
            raw = text[a + 1 : b]
            lead = len(raw) - len(raw.lstrip())
            cells.append(Cell(raw.strip(), a + 1 + lead, a + 1 + len(raw.rstrip())))
        self._cells[line] = cells
        return cells

    def orig_col(self, line: int, col: int) -> int:
        cmap = self.colmaps.get(line)
        if cmap is None:
            return col
        return cmap[min(max(col, 0), len(cmap) - 1)]

    def range(self, line: int, col: int, end_line: int, end_col: int) -> Range:
        """A Range in the original file from clean columns."""
        return Range(line, self.orig_col(line, col), end_line, self.orig_col(end_line, end_col))

    def line_range(self, line: int) -> Range:
        text = self.lines[line]
        start = len(text) - len(text.lstrip())
        return self.range(line, start, line, len(text.rstrip()))

    def section_end(self, heading: Heading) -> int:
        """The line where a heading's section ends: the next heading of the same or a higher level."""
        return self._heading_end.get(heading.line, len(self.lines))

    def parent(self, heading: Heading) -> Heading | None:
        """The enclosing heading: the nearest heading above of a lower level."""
        return self._parent.get(heading.line)

    def heading_before(self, line: int) -> Heading | None:
        """The last heading at or above `line`."""
        idx = bisect_right(self._heading_lines, line)
        return self.headings[idx - 1] if idx else None

    def headings_between(self, start: int, end: int) -> list[Heading]:
        """Headings whose line is in [start, end)."""
        lo = bisect_right(self._heading_lines, start - 1)
        hi = bisect_right(self._heading_lines, end - 1)
        return self.headings[lo:hi]


_NAME = r"[A-Za-z_$][\w$\[\]-]*"
_ITEM_LEAD = re.compile(r"^\s*(?:>\s*)*(?:[-+•*]|\d{1,3}[.)])\s+")
_LEADING_TICKS = re.compile(rf"`({_NAME})(?:=[^`]*)?`(?:\s*(?:,|/|\band\b|\bi\b|&)\s*)?")
_LEADING_WORD = re.compile(rf"(?:\*\*)?`?({_NAME})`?(?:\*\*)?\s*(?:[:(=—–-]|$)")


def outside_groups(line: str) -> str:
    """`line` with the inside of (...) and {...} blanked: enum values and notes, not names."""
    out = list(line)
    depth = 0
    for i, ch in enumerate(line):
        if ch in "({":
            depth += 1
        elif ch in ")}" and depth:
            depth -= 1
            out[i] = " "
            continue
        if depth:
            out[i] = " "
    return "".join(out)


def leading_names(line: str) -> list[tuple[str, int, int]]:
    """The names a bullet opens with: `` - `page`, `page_size` ``, `` - `sort` in {...} ``, `- **search**:`,
    `- limit (int)`. Returns (name, start column, end column)."""
    lead = _ITEM_LEAD.match(line)
    if not lead:
        return []
    pos = lead.end()
    if line.startswith("`", pos):
        names = []
        for m in _LEADING_TICKS.finditer(line, pos):
            if m.start() != pos:
                break
            names.append((m.group(1), m.start(1), m.end(1)))
            pos = m.end()
        return names
    word = _LEADING_WORD.match(line, pos)
    return [(word.group(1), word.start(1), word.end(1))] if word else []


def _section_ends(headings: list[Heading], n: int) -> tuple[dict[int, int], dict[int, Heading | None]]:
    """For each heading line, the line of the next heading of the same or a higher level, and the
    enclosing heading (the nearest one above of a lower level). One pass."""
    ends: dict[int, int] = {}
    parents: dict[int, Heading | None] = {}
    stack: list[Heading] = []
    for heading in headings:
        while stack and stack[-1].level >= heading.level:
            ends[stack.pop().line] = heading.line
        parents[heading.line] = stack[-1] if stack else None
        stack.append(heading)
    for heading in stack:
        ends[heading.line] = n
    return ends, parents


def _unescape(line: str) -> tuple[str, list[int] | None]:
    """Undo backslash escapes and `&nbsp;`; map each clean column to its original column."""
    if "\\" not in line and "&nbsp;" not in line:
        return line, None
    out: list[str] = []
    cmap: list[int] = []
    pos = 0
    for m in _ESCAPE.finditer(line):
        for i in range(pos, m.start()):
            out.append(line[i])
            cmap.append(i)
        if m.group(1) is not None:
            out.append(m.group(1))
            cmap.append(m.start() + 1)
        pos = m.end()
    for i in range(pos, len(line)):
        out.append(line[i])
        cmap.append(i)
    cmap.append(len(line))
    return "".join(out), cmap


def _blank_code_spans(text: str) -> str:
    """`text` with the inside of backtick code spans blanked (so a `|` in code does not split cells)."""
    if "`" not in text:
        return text
    chars = list(text)
    inside = False
    for i, ch in enumerate(chars):
        if ch == "`":
            inside = not inside
        elif inside:
            chars[i] = " "
    return "".join(chars)
