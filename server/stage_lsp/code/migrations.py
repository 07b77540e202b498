"""One migration file -> its version and the SQL records it holds (pure function of the file, cached).

Version order (`migration_sort_key`), documented because file names disagree:
- the version is the leading run of digits of the file name (`20250312_add_tags.sql` -> `20250312`);
- 14 digits (`YYYYMMDDHHmmss`) are taken as they are; 8, 10 or 12 digits starting with 19 or 20
  (`YYYYMMDD`, `YYYYMMDDHH`, `YYYYMMDDHHmm`) are padded with zeros to 14, so a date means the start of
  that day (as a number, `20250312` would sort before every 14-digit version, which is never meant);
- 13 digits starting with 1 are TypeORM's epoch milliseconds (`1730000000000-DisableRLS.ts`) and are
  converted to the UTC `YYYYMMDDHHmmss` they stand for;
- any other number (`0000_`, `0001_`, `042_`) is used as it is: sequence numbers sort before timestamps;
- files without a version sort after all versioned files; ties (duplicate versions) by file name.

SQL files are read whole with `sql.read_sql`. TypeORM `.ts` migrations: the string literals passed to
`queryRunner.query(...)` inside the `up` method are read (the `down` method is the rollback).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Literal

import tree_sitter as ts

from stage_lsp.code.treesitter import node_range, node_text, parse
from stage_lsp.core.source import SourceFile
from stage_lsp.sql import Origin, SqlError, SqlRecord, read_sql

_VERSION = re.compile(r"^(\d+)")
_TYPEORM_NAME = re.compile(r"^\d{10,14}-[^/]+\.[mc]?[jt]s$")
VERSIONLESS = 10**20  # sorts after any 14-digit version


@dataclass(frozen=True, slots=True)
class MigrationFile:
    """What one migration file says, in statement order."""

    file: str
    version: str | None  # the digits as written
    records: tuple[SqlRecord, ...] = ()
    errors: tuple[SqlError, ...] = ()
    statements: int = 0
    kind: Literal["sql", "typeorm"] = "sql"

    @property
    def sort_key(self) -> tuple[int, str]:
        return migration_sort_key(self.file)


def migration_version(rel: str) -> str | None:
    m = _VERSION.match(PurePosixPath(rel).name)
    return m.group(1) if m else None


def _version_number(version: str) -> int:
    n = len(version)
    if n == 14:
        return int(version)
    if n in (8, 10, 12) and version.startswith(("19", "20")):
        return int(version.ljust(14, "0"))
    if n == 13 and version.startswith("1"):
        try:
            moment = datetime.fromtimestamp(int(version) / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return int(version)
        return int(moment.strftime("%Y%m%d%H%M%S"))
    return int(version)


def migration_sort_key(rel: str) -> tuple[int, str]:
    """Replay order: (version as a 14-digit timestamp or plain number, file name); see the module doc."""
    version = migration_version(rel)
    name = PurePosixPath(rel).name
    return (_version_number(version) if version else VERSIONLESS, name)


def read_migration(src: SourceFile) -> MigrationFile:
    script = read_sql(src.text, src.rel) if src.text else None
    if script is None:
        return MigrationFile(src.rel, migration_version(src.rel))
    return MigrationFile(
        src.rel, migration_version(src.rel), script.records, script.errors, script.statements, "sql"
    )


# -- TypeORM ----------------------------------------------------------------------------------------------


def is_typeorm_migration(rel: str) -> bool:
    """`.../migrations/1730000000000-DisableRLS.ts` (TypeORM's `timestamp-Name` file names)."""
    parts = rel.split("/")  # a walked path (no PurePosixPath: asked of every source file)
    return any(p.lower() in ("migrations", "migration") for p in parts[:-1]) and bool(
        _TYPEORM_NAME.match(parts[-1])
    )


def _string_value(src: SourceFile, node: ts.Node) -> tuple[str, Origin] | None:
    """The text of a string or substitution-free template literal, and where its content starts."""
    if node.type not in ("string", "template_string"):
        return None
    if any(c.type == "template_substitution" for c in node.children):
        return None
    raw = node_text(node)
    if len(raw) < 2:
        return None
    body = raw[1:-1]
    if node.type == "string":
        body = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)
    r = node_range(src, node)
    return body, Origin(src.rel, r.line, r.col + 1)


def _up_method(root: ts.Node) -> ts.Node | None:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "method_definition":
            name = node.child_by_field_name("name")
            if name is not None and node_text(name) == "up":
                return node
        stack.extend(reversed(node.children))
    return None


def read_typeorm_migration(src: SourceFile) -> MigrationFile:
    version = migration_version(src.rel)
    if not src.text:
        return MigrationFile(src.rel, version, kind="typeorm")
    dialect: Literal["typescript", "javascript"] = "typescript" if ".ts" in src.rel[-4:] else "javascript"
    tree = parse(src, dialect)
    up = _up_method(tree.root_node)
    if up is None:
        return MigrationFile(src.rel, version, kind="typeorm")
    records: list[SqlRecord] = []
    errors: list[SqlError] = []
    count = 0
    stack = [up]
    calls: list[ts.Node] = []
    while stack:
        node = stack.pop()
        if node.type == "call_expression":
            fn = node.child_by_field_name("function")
            if fn is not None and fn.type == "member_expression":
                prop = fn.child_by_field_name("property")
                if prop is not None and node_text(prop) == "query":
                    calls.append(node)
        stack.extend(node.children)
    for call in sorted(calls, key=lambda n: n.start_byte):
        args = call.child_by_field_name("arguments")
        first = next((c for c in args.named_children), None) if args is not None else None
        found = _string_value(src, first) if first is not None else None
        if found is None:
            continue
        script = read_sql(*found)
        records.extend(script.records)
        errors.extend(script.errors)
        count += script.statements
    return MigrationFile(src.rel, version, tuple(records), tuple(errors), count, "typeorm")
