"""Inline suppressions: `stage-lsp: ignore[SL501] reason` and `stage-lsp: ignore-file[SL6]`.

Written in the comment syntax of each file kind: `<!-- stage-lsp: ignore[SL101] planned for later -->` in
markdown, `// stage-lsp: ignore[SL102]` in TypeScript/JavaScript, `-- stage-lsp: ignore[SL501]` in SQL,
`# stage-lsp: ignore[...]` in Python and TOML. Codes may be prefixes and comma-separated. A comment alone on
its line covers the next non-blank line; a comment after code covers its own line; `ignore-file` covers
the whole file. A suppression that suppresses nothing is reported (SL901), unless one of the rules its
codes cover did not run (it may have suppressed that rule's finding).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile
from stage_lsp.core.violation import TextEdit, Violation

_COMMENT = re.compile(
    r"(?:<!--|//|--|#|/\*)\s*stage-lsp:\s*(?P<kind>ignore-file|ignore)\s*\[(?P<codes>[^\]]*)\](?P<reason>[^\n]*)"
)
_CODE = re.compile(r"^SL\d{0,3}$")


@dataclass(frozen=True)
class Suppression:
    location: Location  # the comment
    codes: tuple[str, ...]  # codes or prefixes, upper case
    file_wide: bool
    target_line: int  # the line it covers (-1 for file-wide)
    reason: str
    own_line: bool = False  # the comment is alone on its line (removing it removes the line)

    def covers(self, violation: Violation) -> bool:
        if not any(violation.code.startswith(c) for c in self.codes):
            return False
        return self.file_wide or violation.location.range.line == self.target_line


def find_suppressions(src: SourceFile) -> list[Suppression]:
    if "stage-lsp:" not in src.text:
        return []
    lines = src.text.split("\n")
    found: list[Suppression] = []
    for number, line in enumerate(lines):
        for m in _COMMENT.finditer(line):
            codes = tuple(c.strip().upper() for c in m.group("codes").split(",") if c.strip())
            codes = tuple(c for c in codes if _CODE.match(c))
            if not codes:
                continue
            file_wide = m.group("kind") == "ignore-file"
            before = line[: m.start()].strip()
            target = number if before else _next_content_line(lines, number)
            reason = m.group("reason").replace("-->", "").replace("*/", "").strip()
            location = Location(src.rel, Range(number, m.start(), number, m.end()))
            alone = not before and not line[m.end() :].replace("-->", "").replace("*/", "").strip()
            found.append(Suppression(location, codes, file_wide, -1 if file_wide else target, reason, alone))
    return found


def _next_content_line(lines: Sequence[str], after: int) -> int:
    for n in range(after + 1, len(lines)):
        if lines[n].strip():
            return n
    return after + 1


def removal(s: Suppression) -> TextEdit:
    """The edit that deletes a suppression comment (its whole line when it is alone on it)."""
    r = s.location.range
    if s.own_line:
        return TextEdit(Location(s.location.file, Range(r.line, 0, r.line + 1, 0)), "")
    return TextEdit(s.location, "")


def apply_suppressions(
    violations: Iterable[Violation], suppressions: Sequence[Suppression]
) -> tuple[list[Violation], list[Suppression]]:
    """Drop suppressed violations; return the kept ones and the suppressions that matched nothing."""
    by_file: dict[str, list[Suppression]] = {}
    for s in suppressions:
        by_file.setdefault(s.location.file, []).append(s)
    used: set[int] = set()
    kept: list[Violation] = []
    for v in violations:
        hit = next((s for s in by_file.get(v.location.file, ()) if s.covers(v)), None)
        if hit is None:
            kept.append(v)
        else:
            used.add(id(hit))
    return kept, [s for s in suppressions if id(s) not in used]
