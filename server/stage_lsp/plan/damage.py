"""Damaged plan documents: find the damage, report it (SL004) and return text that reads like the plan.

AI assistants and copy-paste leave three kinds of damage in real plans (and a crashed editor or a bad
merge a fourth: an empty file, reported by `empty_document`):

- the whole document wrapped in a ```` ```markdown ```` fence (the model's answer pasted verbatim), which
  makes every heading and table a code block;
- a stray fence (often four backticks) that is never closed and swallows the rest of the document;
- a truncated document: an edit replaced a part with a placeholder such as `...existing content...`.

`repair(rel, text)` blanks out the offending fence lines (the line count never changes, so every position
stays valid for the original file) and returns the issues; the readers then parse the repaired text.
A truncation placeholder is only reported: the text around it is read as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stage_lsp.core.issue import ReaderIssue
from stage_lsp.core.location import Location, Range

CODE = "SL004"

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_WRAPPER_INFO = re.compile(r"^\s*(markdown|md|mdx)\s*$", re.I)
_HEADING = re.compile(r"^ {0,3}#{1,6}\s+\S")
# `...existing content...`, `// ... existing code ...`, `[... rest of the document ...]`, `…pozostała treść…`
_TRUNCATION = re.compile(
    r"(?:\.\.\.|…)\s*(?:\[)?\s*(?:existing|rest of|remaining|previous|unchanged|same as before|"
    r"pozostał\w*|istniejąc\w*|reszta)\b[^\n]{0,60}?(?:\.\.\.|…)",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Repaired:
    text: str
    issues: tuple[ReaderIssue, ...]


def _fence_of(line: str) -> tuple[str, str] | None:
    m = _FENCE.match(line.rstrip())
    if not m:
        return None
    if m.group("fence")[0] == "`" and "`" in m.group("info"):
        return None
    return m.group("fence"), m.group("info").strip()


def _closes(line: str, fence: str) -> bool:
    found = _fence_of(line)
    return found is not None and found[1] == "" and found[0][0] == fence[0] and len(found[0]) >= len(fence)


def _issue(rel: str, line: int, text: str, message: str, kind: str, detail: str = "") -> ReaderIssue:
    col = len(text) - len(text.lstrip())
    return ReaderIssue(
        CODE,
        Location(rel, Range(line, col, line, len(text.rstrip()))),
        message,
        entity=(rel, kind, detail),
    )


def _unwrap(rel: str, lines: list[str], issues: list[ReaderIssue]) -> None:
    """A document whose first non-blank line opens a ```markdown fence: drop the wrapper."""
    first = next((i for i, s in enumerate(lines) if s.strip()), None)
    if first is None:
        return
    found = _fence_of(lines[first])
    if not found or not _WRAPPER_INFO.match(found[1]):
        return
    fence = found[0]
    last = next((i for i in range(len(lines) - 1, first, -1) if lines[i].strip()), None)
    issues.append(
        _issue(
            rel,
            first,
            lines[first],
            f"The document is wrapped in a `{fence}{found[1]}` fence, so editors and tools see one code "
            "block; it was read as markdown",
            "wrapped",
        )
    )
    lines[first] = ""
    if last is not None and _closes(lines[last], fence):
        lines[last] = ""


def _stray_fences(rel: str, lines: list[str], issues: list[ReaderIssue]) -> None:
    """A fence that is never closed and hides headings: it swallows the rest of the document."""
    i = 0
    n = len(lines)
    while i < n:
        found = _fence_of(lines[i])
        if not found:
            i += 1
            continue
        fence = found[0]
        j = i + 1
        while j < n and not _closes(lines[j], fence):
            j += 1
        if j < n:  # closed: a normal code block
            i = j + 1
            continue
        if any(_HEADING.match(s) for s in lines[i + 1 :]):
            issues.append(
                _issue(
                    rel,
                    i,
                    lines[i],
                    f"Stray `{fence}` fence: it is never closed and would hide the rest of the document "
                    "from every markdown reader; it was ignored",
                    "stray-fence",
                    str(sum(1 for issue in issues if issue.entity[1:2] == ("stray-fence",))),
                )
            )
            lines[i] = ""
            continue  # re-scan from the next line: what followed is markdown again
        return


def _truncations(rel: str, lines: list[str], issues: list[ReaderIssue]) -> None:
    in_fence: str | None = None
    for i, line in enumerate(lines):
        found = _fence_of(line)
        if in_fence is not None:
            if _closes(line, in_fence):
                in_fence = None
            continue
        if found:
            in_fence = found[0]
            continue
        m = _TRUNCATION.search(line)
        if m:
            issues.append(
                _issue(
                    rel,
                    i,
                    line,
                    f"The document was truncated by an edit here (`{m.group(0).strip()}`): part of the plan "
                    "is missing; the rest was read",
                    "truncated",
                    m.group(0).strip().lower(),
                )
            )


def empty_document(rel: str, text: str) -> ReaderIssue | None:
    """A plan file with nothing in it (truncated to zero by a crashed editor, a bad merge, a script)."""
    if text.strip():
        return None
    return _issue(
        rel,
        0,
        "",
        "The plan is empty: nothing in it is checked (restore it from version control, or remove the file)",
        "empty",
    )


def repair(rel: str, text: str, *, readable: bool = True) -> Repaired:
    """Find wrapper fences, stray fences and truncation markers; blank out the fences (same line count).

    An empty document is reported too, unless the file was not `readable` (SL903 says so already)."""
    empty = empty_document(rel, text) if readable else None
    if empty is not None:
        return Repaired(text, (empty,))
    lines = text.split("\n")
    issues: list[ReaderIssue] = []
    _unwrap(rel, lines, issues)
    _stray_fences(rel, lines, issues)
    _truncations(rel, lines, issues)
    if not issues:
        return Repaired(text, ())
    return Repaired("\n".join(lines), tuple(issues))
