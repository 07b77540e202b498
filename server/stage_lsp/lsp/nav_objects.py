"""Which object a cursor is in, in TypeScript text being typed: a zod object schema, an object type, or
something else. Pure text scanning (no parse: the text is often incomplete while it is being typed).

The scan walks the text up to the cursor once, skipping string and template literals and comments, and
keeps the open `{` braces. The innermost one is a *carrier* when the text before it is a zod shape call
(`z.object(`, `.extend(`, `z.strictObject(`, ...) or starts an object type (`type X =`, `interface X`;
`: {`, `| {`, `& {` only outside every other brace, where it cannot be an object literal's value).
Completion offers planned field names only in a carrier that is not inside another carrier (a nested
object is a field's value, not the endpoint's field list).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

MAX_SCAN = 400_000  # characters before the cursor; larger files get no file-wide completion

ZOD_SHAPE = re.compile(r"\b(?:object|strictObject|looseObject|extend|merge)\s*\(\s*$")
TYPE_BEFORE = re.compile(r"(?:\btype\s+[\w$]+\s*(?:<[^>]*>)?\s*=|\binterface\s+[\w$]+[^{};=]*)\s*$")
ANNOTATION_BEFORE = re.compile(r"[:|&]\s*$")  # `let x: {`, `A & {`: a type only outside every brace
_KEY = re.compile(r"""(?:^|[{,;\n])\s*(?:readonly\s+)?["']?([A-Za-z_$][\w$-]*)["']?\s*\??\s*:""")


@dataclass(frozen=True)
class Carrier:
    kind: Literal["zod", "type"]
    opening: int  # offset of its `{`
    keys: frozenset[str]  # member names already written in it (before and after the cursor)


def carrier_kind(before: str, *, top_level: bool = True) -> Literal["zod", "type"] | None:
    """What the text right before a `{` makes of it. Inside braces, `key: {` is far more often an
    object literal's nested value than a type, so a bare annotation counts only at the top level."""
    if ZOD_SHAPE.search(before):
        return "zod"
    if TYPE_BEFORE.search(before) or (top_level and ANNOTATION_BEFORE.search(before)):
        return "type"
    return None


def brackets(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """The brackets (`{}()[]`) of `text[start:end]` outside string and template literals and comments."""
    i = start
    n = min(end, len(text))
    while i < n:
        ch = text[i]
        if ch in "\"'`":
            j = i + 1
            while j < n and text[j] != ch and not (ch != "`" and text[j] == "\n"):
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "/" and i + 1 < n and text[i + 1] in "/*":
            close = text.find("\n" if text[i + 1] == "/" else "*/", i + 2)
            i = n if close == -1 else close + (1 if text[i + 1] == "/" else 2)
            continue
        if ch in "{}()[]":
            yield i, ch
        i += 1


def open_braces(text: str, end: int) -> list[int]:
    """Offsets of the `{` still open at `end` (outermost first)."""
    stack: list[int] = []
    for i, ch in brackets(text, 0, end):
        if ch == "{":
            stack.append(i)
        elif ch == "}" and stack:
            stack.pop()
    return stack


def _keys(text: str, opening: int) -> frozenset[str]:
    """Member names at depth one of the object opened at `opening` (until its `}` or the end)."""
    depth = 0
    out: list[str] = []
    chunk_start = opening + 1
    closed = False
    for i, ch in brackets(text, opening + 1, len(text)):
        if ch in "{([":
            if depth == 0:
                out += _KEY.findall(text[chunk_start:i])
            depth += 1
        elif depth == 0:
            out += _KEY.findall(text[chunk_start:i])
            closed = True
            break
        else:
            depth -= 1
            if depth == 0:
                chunk_start = i + 1
    if not closed and depth == 0:
        out += _KEY.findall(text[chunk_start:])
    return frozenset(out)


def enclosing_carrier(text: str, offset: int) -> Carrier | None:
    """The zod schema or object type whose member list holds `offset`, if it is not nested in another."""
    if offset > MAX_SCAN:
        return None
    braces = open_braces(text, offset)
    if not braces:
        return None
    kinds = [carrier_kind(text[max(0, b - 300) : b], top_level=i == 0) for i, b in enumerate(braces)]
    if kinds[-1] is None or any(k is not None for k in kinds[:-1]):
        return None
    return Carrier(kinds[-1], braces[-1], _keys(text, braces[-1]))
