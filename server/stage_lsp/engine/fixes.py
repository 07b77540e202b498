"""Applying fixes to text: which fixes can apply together, and the new file contents. Pure.

A `Fix` is atomic: all of its edits apply, or none. Fixes are taken in the violations' order (file, line,
column, code); a fix is skipped, with a reason, when

- it is not wanted (display-only, or unsafe without `unsafe=True`);
- one of its paths is refused by `access.problem` (outside the root, `..`, a symlink out, ...);
- a `CreateFile` names a path that exists or that an earlier fix creates (never overwrite);
- a `TextEdit` targets a file that does not exist, or a range outside the file's text;
- one of its edits overlaps an edit already accepted (the earlier fix wins; the later is skipped) or
  another edit of the same fix.

Two ranges overlap when they share a character, or when they start at the same place and one of them is
an insertion (the order of the two would be ambiguous). An edit identical to one already accepted (the
same range and text, as when two findings propose the same import) is not applied twice and does not
conflict. Accepted edits are applied per file from the bottom up, so positions stay valid.

Positions are the engine's: 0-based line, 0-based code-point column, end exclusive, on the text as read
(line ends normalised to LF). The CLI (`--fix`, `--diff`) and the language server's code actions use this
module; file access is injected (`FileAccess`), so nothing here touches the disk.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from stage_lsp.core.text import LineIndex
from stage_lsp.core.violation import Applicability, CreateFile, Fix, TextEdit, Violation


class FileAccess(Protocol):
    """How the planner sees files: their text, and whether a path may be written at all."""

    def read(self, rel: str) -> str | None:
        """The file's text (LF line ends), or None when it does not exist."""
        ...

    def problem(self, rel: str) -> str | None:
        """Why `rel` must not be written (outside the root, a symlink, not text), or None."""
        ...


@dataclass(frozen=True, slots=True)
class FileChange:
    """The new content of one file; `before` is None for a file the fixes create."""

    file: str
    before: str | None
    after: str


@dataclass(frozen=True, slots=True)
class Skipped:
    violation: Violation
    reason: str


@dataclass(frozen=True, slots=True)
class FixPlan:
    changes: tuple[FileChange, ...]  # sorted by file
    applied: tuple[Violation, ...]  # whose fix is part of `changes`
    skipped: tuple[Skipped, ...]  # whose fix is not, with the reason


def wanted(fix: Fix | None, *, unsafe: bool) -> bool:
    """Whether `--fix` (with `--unsafe-fixes` when `unsafe`) applies this fix."""
    if fix is None or not fix.edits:
        return False
    if fix.applicability is Applicability.SAFE:
        return True
    return unsafe and fix.applicability is Applicability.UNSAFE


Pos = TypeVar("Pos", int, tuple[int, int])  # an offset, or a (line, character) point


def edits_conflict(start: Pos, end: Pos, other_start: Pos, other_end: Pos) -> bool:
    """Two edits of one text conflict when their ranges overlap, or when one inserts where the other
    replaces text (before it or inside it? ambiguous). Two insertions at one point do not conflict: the
    one accepted first comes first (as in an LSP WorkspaceEdit, where the order of the edits decides),
    so plan sections for many unplanned routes that share an anchor land in one pass. The CLI's `--fix`
    and the editor's fix-all agree."""
    if start < other_end and other_start < end:
        return True
    return start == other_start and (start == end) != (other_start == other_end)


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    text: str

    def conflicts(self, other: _Span) -> bool:
        return edits_conflict(self.start, self.end, other.start, other.end)


class _Planner:
    def __init__(self, access: FileAccess) -> None:
        self.access = access
        self.texts: dict[str, str | None] = {}
        self.indexes: dict[str, LineIndex] = {}
        self.spans: dict[str, list[_Span]] = {}
        self.created: dict[str, str] = {}

    def text(self, rel: str) -> str | None:
        if rel not in self.texts:
            self.texts[rel] = self.access.read(rel)
        return self.texts[rel]

    def span(self, edit: TextEdit) -> _Span | str:
        rel = edit.location.file
        text = self.text(rel)
        if text is None:
            return f"`{rel}` does not exist"
        index = self.indexes.get(rel)
        if index is None:
            index = self.indexes[rel] = LineIndex(text)
        r = edit.location.range
        if (r.line, r.col) > (r.end_line, r.end_col) or min(r.line, r.col, r.end_line, r.end_col) < 0:
            return f"the edit range in `{rel}` is inverted or negative"
        for line, col in ((r.line, r.col), (r.end_line, r.end_col)):
            if line >= index.line_count or col > len(index.line(line)):
                return f"the edit range in `{rel}` lies outside the file (changed since the check?)"
        return _Span(index.offset(r.line, r.col), index.offset(r.end_line, r.end_col), edit.new_text)

    def accept(self, fix: Fix) -> str | None:
        """Add the fix's edits when they all fit; else return why not (nothing is added)."""
        new_spans: list[tuple[str, _Span]] = []
        new_files: dict[str, str] = {}
        for edit in fix.edits:
            rel = edit.file if isinstance(edit, CreateFile) else edit.location.file
            exists = self.text(rel) is not None  # read first: reading tells `problem` about the text
            refused = self.access.problem(rel)
            if refused:
                return refused
            if isinstance(edit, CreateFile):
                if rel in self.created or rel in new_files:
                    if self.created.get(rel, new_files.get(rel)) == edit.content:
                        continue  # the same file, proposed twice
                    return f"`{rel}` is created by another fix"
                if exists:
                    return f"`{rel}` already exists; it is never overwritten"
                new_files[rel] = edit.content
                continue
            if rel in self.created or rel in new_files:
                return f"`{rel}` is created by a fix; edit it after it exists"
            span = self.span(edit)
            if isinstance(span, str):
                return span
            if span in self.spans.get(rel, ()):
                continue  # identical to an accepted edit
            if any(f == rel and s.conflicts(span) for f, s in new_spans):
                return f"two edits of this fix overlap in `{rel}`"
            if any(s.conflicts(span) for s in self.spans.get(rel, ())):
                return f"overlaps an earlier fix in `{rel}`; run --fix again to apply it"
            new_spans.append((rel, span))
        for rel, span in new_spans:
            self.spans.setdefault(rel, []).append(span)
        self.created.update(new_files)
        return None

    def changes(self) -> tuple[FileChange, ...]:
        out: list[FileChange] = []
        for rel, spans in self.spans.items():
            before = self.texts[rel]
            assert before is not None
            after = before
            # bottom-up, so earlier offsets stay valid; of insertions at one point, the one accepted
            # last is applied first, which leaves them in the order they were accepted
            order = sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end, i), reverse=True)
            for span in (spans[i] for i in order):
                after = after[: span.start] + span.text + after[span.end :]
            if after != before:
                out.append(FileChange(rel, before, after))
        out.extend(FileChange(rel, None, content) for rel, content in self.created.items())
        return tuple(sorted(out, key=lambda c: c.file))


def plan_fixes(violations: Iterable[Violation], access: FileAccess, *, unsafe: bool = False) -> FixPlan:
    """Choose the fixes that apply together and compute the files they produce."""
    planner = _Planner(access)
    applied: list[Violation] = []
    skipped: list[Skipped] = []
    for v in sorted(violations, key=lambda v: v.sort_key):
        if v.fix is None or not v.fix.edits:
            continue
        if not wanted(v.fix, unsafe=unsafe):
            if v.fix.applicability is Applicability.UNSAFE:
                skipped.append(Skipped(v, "unsafe fix: pass --unsafe-fixes to apply it"))
            continue
        reason = planner.accept(v.fix)
        if reason is None:
            applied.append(v)
        else:
            skipped.append(Skipped(v, reason))
    return FixPlan(planner.changes(), tuple(applied), tuple(skipped))


def unified_diff(changes: Sequence[FileChange]) -> str:
    """The changes as a unified diff (`a/` and `b/` prefixes, like git), for `--diff`."""
    out: list[str] = []
    for change in changes:
        before = change.before.splitlines(keepends=True) if change.before is not None else []
        after = change.after.splitlines(keepends=True)
        old_name = f"a/{change.file}" if change.before is not None else "/dev/null"
        for line in difflib.unified_diff(before, after, old_name, f"b/{change.file}"):
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
