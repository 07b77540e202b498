"""Assemble per-file code results into the project's CodeModel."""

from __future__ import annotations

from collections.abc import Iterable

from stage_lsp.code.db_types import TypesFile
from stage_lsp.code.model import CodeModel, RouteFile
from stage_lsp.code.replay import Schema
from stage_lsp.core.issue import ReaderIssue


def assemble_code(
    framework: str,
    framework_reason: str,
    route_files: Iterable[RouteFile],
    extra_issues: Iterable[ReaderIssue] = (),
    schema: Schema | None = None,
    types: TypesFile | None = None,
) -> CodeModel:
    files = [f for f in route_files]
    issues: list[ReaderIssue] = list(extra_issues)
    for f in files:
        issues.extend(f.issues)
    schema = schema or Schema()
    issues.extend(schema.issues)
    types_tables = types.tables if types is not None else None
    return CodeModel(
        framework=framework,
        framework_reason=framework_reason,
        routes=tuple(r for f in files for r in f.routes),
        route_files=tuple(f.file for f in files),
        issues=tuple(issues),
        tables=schema.tables,
        views=tuple(v.name for v in schema.views),
        enums=tuple((e.name, e.values) for e in schema.enums),
        migrations=schema.migrations,
        schema_enums=schema.enums,
        schema_views=schema.views,
        types_tables=tuple((t.name, t.columns) for t in types_tables) if types_tables is not None else None,
        types_file=types.file if types is not None else None,
        types_entries=types_tables or (),
    )
