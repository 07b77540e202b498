"""What navigation answers from: a snapshot of the last completed check, and positions between it and
the editor's current text.

The check worker captures, after each check, the link index (`engine.links`), the models and the text
of every file the index points into (`capture`). Requests (hover, definition, completion, ...) are
answered on the event loop from the last published snapshot: no request re-runs the check, and before the
first check finished every answer is empty.

A document may have changed since the snapshot was taken (the user is typing; the recheck waits for the
debounce). `TextShift` maps positions between the snapshot's text and the editor's current text through
the one changed region between them (common prefix and suffix): a position before the change is
unchanged, one after it moves with the change, one inside it maps to the change's start. Completion
inside a zod schema being typed into relies on this.

No pygls here; the LSP modules convert client columns with `code_point_column` / `client_column`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from stage_lsp.code.model import CodeModel
from stage_lsp.context import CheckContext
from stage_lsp.core.source import SourceFile
from stage_lsp.core.text import LineIndex
from stage_lsp.engine.link_build import build_links
from stage_lsp.engine.links import LinkIndex
from stage_lsp.plan.model import PlanModel
from stage_lsp.rules._contracts import middleware
from stage_lsp.workspace import Workspace


@dataclass(frozen=True)
class NavSnapshot:
    links: LinkIndex
    plan: PlanModel
    code: CodeModel
    sources: Mapping[str, SourceFile]  # every file the links point into, as the check read it
    around: frozenset[int] = frozenset()  # statuses answered by middleware for every route
    memo: dict[str, Any] = field(
        default_factory=dict, compare=False, repr=False
    )  # derived, on the event loop

    def lines(self, rel: str) -> LineIndex | None:
        src = self.sources.get(rel)
        return src.lines if src is not None else None


def _files(ctx: CheckContext, links: LinkIndex) -> Iterable[str]:
    yield from links.anchors
    yield from (d.file for d in ctx.plan.documents)
    for route in ctx.code.routes:
        yield route.location.file
        for fields in (route.request_fields, route.response_fields):
            if fields is not None and fields.source is not None:
                yield fields.source.file
    for uses in links.table_uses.values():
        yield from (u.file for u in uses)


def capture(ws: Workspace, ctx: CheckContext) -> NavSnapshot:
    """Build the snapshot on the check worker (the only thread that touches the Workspace)."""
    links = build_links(ctx)
    sources: dict[str, SourceFile] = {}
    for rel in _files(ctx, links):
        if rel not in sources:
            src = ws.source(rel)
            src.lines  # noqa: B018 - built here, so the event loop only reads it
            sources[rel] = src
    return NavSnapshot(links, ctx.plan, ctx.code, sources, frozenset(middleware(ctx)))


# -- positions ---------------------------------------------------------------------------------------


def lsp_text(text: str) -> str:
    """An editor buffer with the line breaks the readers see (CRLF and CR become LF, as in decode_bytes)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def code_point_column(line: str, character: int, encoding: str) -> int:
    """The code-point column of a client column (UTF-16 units, UTF-8 bytes or code points) on `line`;
    past the end counts as the end, the middle of a character as that character."""
    if character <= 0:
        return 0
    if encoding == "utf-32" or line.isascii():
        return min(character, len(line))
    units = 0
    for i, ch in enumerate(line):
        if units >= character:
            return i
        units += (
            len(ch.encode("utf-8", errors="surrogatepass"))
            if encoding == "utf-8"
            else (2 if ord(ch) > 0xFFFF else 1)
        )
    return len(line)


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return n
    lo, hi = 0, n  # a[:lo] == b[:lo], a[:hi] != b[:hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo


class TextShift:
    """Positions between an old text (the snapshot's) and a new one (the editor's), in code points."""

    def __init__(self, old: str, new: str) -> None:
        self.old = LineIndex(old)
        self.new = LineIndex(new)
        prefix = _common_prefix(old, new)
        room = min(len(old), len(new)) - prefix
        suffix = min(_common_prefix(old[::-1], new[::-1]), room) if room > 0 else 0
        self._prefix = prefix
        self._old_end = len(old) - suffix  # the changed region: old[prefix:old_end] -> new[prefix:new_end]
        self._new_end = len(new) - suffix

    def to_old(self, line: int, col: int) -> tuple[int, int]:
        off = self.new.offset(line, col)
        if off <= self._prefix:
            mapped = off
        elif off >= self._new_end:
            mapped = off - self._new_end + self._old_end
        else:
            mapped = self._prefix
        return self.old.position(mapped)

    def to_new(self, line: int, col: int) -> tuple[int, int]:
        off = self.old.offset(line, col)
        if off <= self._prefix:
            mapped = off
        elif off >= self._old_end:
            mapped = off - self._old_end + self._new_end
        else:
            mapped = self._prefix
        return self.new.position(mapped)
