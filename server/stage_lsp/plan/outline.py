"""A plan document as an outline of headings, paragraphs, list items, pipe tables and fences, with raw lines.

The db, stage and PRD readers work on this outline: markdown-it (through `plan.markdown`) decides the block
structure (what is a fence, a heading, a list item and how deep), and every piece of text keeps its raw
source line and column, so the readers can give exact ranges. Pipe tables are split from the raw lines,
which also reads the tables real plans write without the `|---|` delimiter row (markdown-it sees a
paragraph there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stage_lsp.plan.markdown import Block, parse_blocks

_BULLET = re.compile(r"^(?P<indent>\s*)(?P<marker>[-*+]|\d{1,3}[.)])(?:\s+|$)")
_HEADING = re.compile(r"^(?P<indent> {0,3})(?P<hashes>#{1,6})(?:\s+|$)")
_DELIMITER_CELL = re.compile(r"^\s*:?-{2,}:?\s*$")


@dataclass(frozen=True, slots=True)
class Text:
    """A piece of one source line: `text` starts at column `col` of line `line`."""

    line: int
    col: int
    text: str

    def at(self, offset: int) -> int:
        """Column of an offset into `text`."""
        return self.col + offset


@dataclass(frozen=True, slots=True)
class Heading:
    line: int
    level: int
    text: Text  # the heading's content without the `#` marks


@dataclass(frozen=True, slots=True)
class Para:
    """A paragraph; `bullet` when it is the first paragraph of a list item (its marker is stripped)."""

    line: int
    end_line: int
    depth: int  # list nesting depth, 0 outside lists
    bullet: bool
    marker: str  # "-", "*", "1." ... ("" when not a bullet)
    lines: tuple[Text, ...]

    @property
    def first(self) -> Text:
        return self.lines[0]

    @property
    def joined(self) -> str:
        return " ".join(t.text.strip() for t in self.lines)


@dataclass(frozen=True, slots=True)
class Fence:
    line: int  # the opening fence line
    end_line: int  # exclusive
    depth: int
    info: str
    body: str
    body_line: int  # line of the first body line
    body_col: int  # indentation removed from the body lines


@dataclass(frozen=True, slots=True)
class PipeTable:
    line: int
    end_line: int
    depth: int
    header: tuple[Text, ...]
    rows: tuple[tuple[Text, ...], ...]


Item = Heading | Para | Fence | PipeTable


def split_pipe_row(line: int, raw: str) -> tuple[Text, ...]:
    """Cells of a `| a | b |` line with their columns; `\\|` and pipes inside code spans do not split."""
    cells: list[Text] = []
    start = raw.find("|")
    if start < 0:
        return ()
    i = start + 1
    cell_start = i
    in_code = False
    while i <= len(raw):
        ch = raw[i] if i < len(raw) else "|"
        if ch == "\\" and i + 1 < len(raw):
            i += 2
            continue
        if ch == "`":
            in_code = not in_code
        elif ch == "|" and (not in_code or i == len(raw)):
            content = raw[cell_start:i]
            lead = len(content) - len(content.lstrip())
            cells.append(Text(line, cell_start + lead, content.strip()))
            cell_start = i + 1
        i += 1
    if cells and not cells[-1].text and raw.rstrip().endswith("|"):
        cells.pop()
    return tuple(cells)


def _is_delimiter(cells: tuple[Text, ...]) -> bool:
    return bool(cells) and all(_DELIMITER_CELL.match(c.text) for c in cells)


def _pipe_table(lines: list[str], start: int, end: int, depth: int) -> PipeTable | None:
    rows = [split_pipe_row(n, lines[n]) for n in range(start, end) if lines[n].strip()]
    rows = [r for r in rows if r]
    if len(rows) < 2:
        return None
    header = rows[0]
    body = [r for r in rows[1:] if not _is_delimiter(r)]
    return PipeTable(start, end, depth, header, tuple(body))


def _para(lines: list[str], block: Block, bullet_line: int | None) -> Para | PipeTable | None:
    texts: list[Text] = []
    marker = ""
    for n in range(block.line, block.end_line):
        raw = lines[n] if n < len(lines) else ""
        if n == block.line and bullet_line == n:
            m = _BULLET.match(raw)
            if m:
                marker = m.group("marker")
                texts.append(Text(n, m.end(), raw[m.end() :].rstrip()))
                continue
        stripped = raw.lstrip()
        col = len(raw) - len(stripped)
        if stripped.startswith(">"):
            stripped = stripped[1:].lstrip()
            col = len(raw) - len(stripped)
        texts.append(Text(n, col, stripped.rstrip()))
    if not texts:
        return None
    if all(t.text.startswith("|") for t in texts if t.text) and sum(1 for t in texts if t.text) >= 2:
        table = _pipe_table(lines, block.line, block.end_line, block.level)
        if table is not None:
            return table
    return Para(block.line, block.end_line, block.level, bool(marker), marker, tuple(texts))


def _without_closing_hashes(content: str) -> str:
    """`## Title ##` -> `Title`: the optional closing sequence of an ATX heading (a blank, then `#`s).
    Not a regex: a blank run searched for a closing sequence from each of its blanks was quadratic."""
    body = content.rstrip()
    trimmed = body.rstrip("#")
    if trimmed != body and trimmed and trimmed[-1].isspace():
        return trimmed.rstrip()
    return content


def outline(text: str) -> list[Item]:
    """The document's items in order. Never raises on any text."""
    lines = text.split("\n")
    items: list[Item] = []
    blocks = parse_blocks(text)
    bullet_line: int | None = None
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind == "list_item":
            bullet_line = block.line
        elif block.kind == "heading":
            raw = lines[block.line] if block.line < len(lines) else ""
            m = _HEADING.match(raw)
            if m:
                content = raw[m.end() :].rstrip()
                content = _without_closing_hashes(content)
                items.append(Heading(block.line, block.level, Text(block.line, m.end(), content)))
            else:  # setext heading: the text is on the first line
                items.append(Heading(block.line, block.level, Text(block.line, 0, raw.strip())))
            bullet_line = None
        elif block.kind == "paragraph":
            item = _para(lines, block, bullet_line if bullet_line == block.line else None)
            if item is not None:
                items.append(item)
            bullet_line = None
        elif block.kind == "table_row":
            j = i
            while (
                j + 1 < len(blocks) and blocks[j + 1].kind == "table_row" and blocks[j + 1].info != "header"
            ):
                j += 1
            table = _pipe_table(lines, block.line, blocks[j].end_line, block.level)
            if table is not None:
                items.append(table)
            i = j
            bullet_line = None
        elif block.kind == "fence":
            raw = lines[block.line] if block.line < len(lines) else ""
            indent = len(raw) - len(raw.lstrip())
            fenced = raw.lstrip().startswith(("```", "~~~"))
            body_line = block.line + 1 if fenced else block.line
            items.append(
                Fence(block.line, block.end_line, block.level, block.info, block.text, body_line, indent)
            )
            bullet_line = None
        i += 1
    return items
