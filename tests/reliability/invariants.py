"""The invariants every reader result must keep, whatever text it was given.

- No exception escapes a reader (the caller simply calls it; anything raised fails the test).
- Every range lies inside its document: 0 <= line < line count, 0 <= column <= the line's length in code
  points, start <= end. A `Range` inside a `Location` belongs to that location's file; a bare `Range` (the
  code facts' `rng` fields) belongs to the file being read.
- Output is deterministic: reading the same text twice gives equal models.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from stage_lsp.core.location import Location, Range
from stage_lsp.core.text import LineIndex


def ranges_of(
    value: Any, file: str | None = None, _seen: set[int] | None = None
) -> Iterator[tuple[str | None, Range]]:
    """Every `Range` reachable from `value`, with the file it belongs to (None: the file being read)."""
    seen = _seen if _seen is not None else set()
    if isinstance(value, str | bytes | int | float | bool) or value is None:
        return
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, Range):
        yield file, value
    elif isinstance(value, Location):
        yield value.file, value.range
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from ranges_of(getattr(value, f.name, None), file, seen)
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from ranges_of(k, file, seen)
            yield from ranges_of(v, file, seen)
    elif isinstance(value, tuple | list | set | frozenset):
        for item in value:
            yield from ranges_of(item, file, seen)


def range_problem(r: Range, lines: LineIndex) -> str | None:
    """Why `r` does not lie inside the text indexed by `lines` (None when it does)."""
    count = lines.line_count
    if not (0 <= r.line < count and 0 <= r.end_line < count):
        return f"line outside the document ({count} lines)"
    if not 0 <= r.col <= len(lines.line(r.line)):
        return f"start column past the end of line {r.line} ({len(lines.line(r.line))} code points)"
    if not 0 <= r.end_col <= len(lines.line(r.end_line)):
        return f"end column past the end of line {r.end_line} ({len(lines.line(r.end_line))} code points)"
    if (r.line, r.col) > (r.end_line, r.end_col):
        return "start after end"
    return None


def check_ranges(value: Any, texts: Mapping[str, str], default: str) -> None:
    """Assert that every range reachable from `value` lies inside its document.

    `texts` maps files to their decoded text; ranges of files not in `texts` are not checked (a linked
    file the test did not provide)."""
    indexes: dict[str, LineIndex] = {}
    for file, r in ranges_of(value):
        rel = file if file is not None else default
        if rel not in texts:
            continue
        lines = indexes.get(rel) or indexes.setdefault(rel, LineIndex(texts[rel]))
        problem = range_problem(r, lines)
        assert problem is None, f"{rel}: {r}: {problem}"


def check_deterministic(first: Any, second: Any) -> None:
    """Two reads of the same input gave the same model (compared by value, then by repr)."""
    if first == second:
        return
    a, b = repr(first), repr(second)
    if a == b:
        return
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    raise AssertionError(
        f"the same input gave two different models; first difference at {at}:\n"
        f"  {a[max(0, at - 300) : at + 200]}\n  {b[max(0, at - 300) : at + 200]}"
    )
