"""Where SQL text sits in its file: offsets in the text -> (line, code-point column) ranges.

pglast reports 0-based character (code-point) offsets into the text it was given. A migration is read
whole (the origin is the file's start); a markdown fence or a string literal in TypeScript is read on its
own, so its `Origin` says where its first character is and how much indentation the container removed
from each following line.
"""

from __future__ import annotations

from dataclasses import dataclass

from stage_lsp.core.location import Location, Range
from stage_lsp.core.text import LineIndex


@dataclass(frozen=True, slots=True)
class Origin:
    """Where offset 0 of a SQL text is in its file.

    `line`/`col`: position of the text's first character. `indent`: columns added to every following line
    (the indentation markdown-it strips from the lines of an indented fence; 0 for a whole file).
    """

    file: str
    line: int = 0
    col: int = 0
    indent: int = 0


class Positions:
    """Offsets of one SQL text -> Ranges and Locations in its file."""

    __slots__ = ("index", "origin")

    def __init__(self, text: str, origin: Origin) -> None:
        self.index = LineIndex(text)
        self.origin = origin

    def point(self, offset: int) -> tuple[int, int]:
        line, col = self.index.position(offset)
        o = self.origin
        if line == 0:
            return o.line, o.col + col
        return o.line + line, o.indent + col

    def range(self, start: int, end: int) -> Range:
        sl, sc = self.point(start)
        el, ec = self.point(max(start, end))
        return Range(sl, sc, el, ec)

    def location(self, start: int, end: int) -> Location:
        return Location(self.origin.file, self.range(start, end))
