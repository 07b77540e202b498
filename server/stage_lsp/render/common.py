"""Shared pieces of the renderers: 1-based positions and summaries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from stage_lsp.core.location import Location
from stage_lsp.core.violation import Severity, Violation

SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.HINT)


def position(loc: Location) -> dict[str, Any]:
    r = loc.range
    return {
        "file": loc.file,
        "line": r.line + 1,
        "column": r.col + 1,
        "end_line": r.end_line + 1,
        "end_column": r.end_col + 1,
    }


def summary(violations: Sequence[Violation], files: int) -> dict[str, Any]:
    by_sev = Counter(v.severity.value for v in violations)
    by_code = Counter(v.code for v in violations)
    return {
        "files": files,
        "diagnostics": len(violations),
        "by_severity": {s.value: by_sev.get(s.value, 0) for s in SEVERITY_ORDER},
        "by_code": dict(sorted(by_code.items())),
    }


# Where the project and its rule pages live (SARIF helpUri, GitHub summaries, docs links).
PROJECT_URL = "https://github.com/stage-lsp/stage-lsp"


def rule_url(code: str) -> str:
    return f"{PROJECT_URL}/blob/main/rules/{code}.md"


def priority(
    v: Violation, touched: frozenset[str] = frozenset()
) -> tuple[int, int, int, tuple[str, int, int, str, str]]:
    """Most important first: severity, then findings in files the change touched (PR mode), then
    findings anchored in a plan (a planned item that is missing), then file and position."""
    in_plan = 0 if v.location.file.endswith(".md") else 1
    return (-v.severity.rank, 0 if v.location.file in touched else 1, in_plan, v.sort_key)
