"""Hand-made Violations for renderer, fixer and baseline tests (no rule needed)."""

from __future__ import annotations

from stage_lsp.core.fingerprint import fingerprint
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Applicability, Edit, Fix, Related, Severity, TextEdit, Violation


def at(
    file: str, line: int, col: int = 0, end_line: int | None = None, end_col: int | None = None
) -> Location:
    """A 0-based location; the end defaults to the start (an insertion point)."""
    return Location(
        file, Range(line, col, line if end_line is None else end_line, col if end_col is None else end_col)
    )


def finding(
    code: str = "SL101",
    message: str = "Planned endpoint `GET /api/x` has no route in the code",
    where: Location | None = None,
    *,
    severity: Severity = Severity.WARNING,
    name: str = "planned-endpoint-missing",
    entity: tuple[str, ...] | None = None,
    related: tuple[Related, ...] = (),
    edits: tuple[Edit, ...] = (),
    applicability: Applicability = Applicability.SAFE,
    title: str = "fix it",
) -> Violation:
    loc = where or at(".ai/api-plan.md", 4, 5, 4, 20)
    ent = entity if entity is not None else (message,)
    fix = Fix(title, applicability, edits) if edits else None
    return Violation(code, name, severity, message, loc, fingerprint(code, ent), related, fix, ent)


def replace(file: str, line: int, col: int, end_line: int, end_col: int, text: str) -> TextEdit:
    return TextEdit(at(file, line, col, end_line, end_col), text)
