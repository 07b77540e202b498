"""The one finding type every reader, rule and renderer shares.

A Violation is immutable and fully resolved: the rule code and name, the severity after configuration,
the message, where it sits, the counterpart locations on the other side (plan <-> code), an optional fix
and a stable fingerprint (see `core.fingerprint`). The CLI renders it as text/JSON; the language server
converts it to an LSP Diagnostic with the fix in `data`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from stage_lsp.core.location import Location


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    HINT = "hint"

    @property
    def rank(self) -> int:
        """Higher is more severe."""
        return _RANK[self]


_RANK = {Severity.HINT: 0, Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class Applicability(StrEnum):
    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace `location.range` in `location.file` with `new_text`."""

    location: Location
    new_text: str


@dataclass(frozen=True, slots=True)
class CreateFile:
    """Create a new file (relative path) with `content`. Never applied over an existing file."""

    file: str
    content: str


Edit = TextEdit | CreateFile


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    applicability: Applicability
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class Related:
    """The counterpart of a finding on the other side (a plan line for a handler, a handler for a plan line)."""

    location: Location
    message: str


@dataclass(frozen=True, slots=True)
class Violation:
    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    fingerprint: str
    related: tuple[Related, ...] = ()
    fix: Fix | None = None
    entity: tuple[str, ...] = field(default=(), compare=False)  # entity keys, for navigation and reports
    alternatives: tuple[Fix, ...] = field(default=(), compare=False)  # other ways out (e.g. amend the plan)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        r = self.location.range
        return (self.location.file, r.line, r.col, self.code, self.message)
