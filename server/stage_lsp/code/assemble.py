"""Assemble per-file code results into the project's CodeModel."""

from __future__ import annotations

from collections.abc import Iterable

from stage_lsp.code.model import CodeModel, RouteFile
from stage_lsp.core.issue import ReaderIssue


def assemble_code(
    framework: str,
    framework_reason: str,
    route_files: Iterable[RouteFile],
    extra_issues: Iterable[ReaderIssue] = (),
) -> CodeModel:
    files = [f for f in route_files]
    issues: list[ReaderIssue] = list(extra_issues)
    for f in files:
        issues.extend(f.issues)
    return CodeModel(
        framework=framework,
        framework_reason=framework_reason,
        routes=tuple(r for f in files for r in f.routes),
        route_files=tuple(f.file for f in files),
        issues=tuple(issues),
    )
