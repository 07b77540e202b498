"""Ranges and locations: 0-based lines, code-point columns, end exclusive; files relative to the root with `/`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Range:
    line: int
    col: int
    end_line: int
    end_col: int

    @staticmethod
    def of_line(line: int, text: str) -> Range:
        """The whole of one line, without leading indentation."""
        stripped = len(text) - len(text.lstrip())
        return Range(line, stripped, line, len(text.rstrip()))

    @staticmethod
    def point(line: int, col: int = 0) -> Range:
        return Range(line, col, line, col)

    def contains_line(self, line: int) -> bool:
        return self.line <= line <= self.end_line


@dataclass(frozen=True, slots=True, order=True)
class Location:
    file: str  # relative to the project root, `/`-separated
    range: Range
