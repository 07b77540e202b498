"""The project as the engine sees it: root, settings, chosen files, and models read from them.

Every reader is a pure function of one file's text; its result is cached by (reader, path, content
digest), so a second check, or an edit in one file, re-reads only what changed. Editor buffers are
overlays that take precedence over the disk. The CLI and the language server both go through here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from stage_lsp.code.assemble import assemble_code
from stage_lsp.code.db_types import TypesFile, read_types
from stage_lsp.code.framework import FrameworkGuess, detect_framework
from stage_lsp.code.migrations import (
    MigrationFile,
    is_typeorm_migration,
    read_migration,
    read_typeorm_migration,
)
from stage_lsp.code.model import CodeModel, RouteFile
from stage_lsp.code.replay import Schema, replay
from stage_lsp.code.routes import is_route_file, read_route_file
from stage_lsp.code.secrets import SecretFinding, scan_secrets
from stage_lsp.config.discovery import FileSet, discover
from stage_lsp.config.settings import Settings
from stage_lsp.core.issue import ReaderIssue
from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile, read_source
from stage_lsp.plan.api_reader import read_api_plan
from stage_lsp.plan.assemble import assemble_plan
from stage_lsp.plan.model import PlanModel
from stage_lsp.plan.project_rules import read_project_rules

T = TypeVar("T")


class Workspace:
    def __init__(self, root: Path, settings: Settings, files: FileSet | None = None) -> None:
        self.root = root
        self.settings = settings
        self.files = files if files is not None else discover(root, settings)
        self.overlays: dict[str, str] = {}
        self._sources: dict[str, tuple[tuple[int, int] | str, SourceFile]] = {}
        self._results: dict[tuple[str, str], tuple[str, Any]] = {}
        self._framework: FrameworkGuess | None = None
        self._plan: PlanModel | None = None
        self._code: CodeModel | None = None

    # -- files ---------------------------------------------------------------------------------------

    def source(self, rel: str) -> SourceFile:
        overlay = self.overlays.get(rel)
        if overlay is not None:
            cached = self._sources.get(rel)
            if cached and cached[0] == "overlay" and cached[1].text == overlay:
                return cached[1]
            src = SourceFile.from_text(rel, overlay)
            self._sources[rel] = ("overlay", src)
            return src
        path = self.root / rel
        try:
            st = path.stat()
            stamp: tuple[int, int] | str = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = "missing"
        cached = self._sources.get(rel)
        if cached and cached[0] == stamp:
            return cached[1]
        src = read_source(self.root, rel)
        self._sources[rel] = (stamp, src)
        return src

    def cached(self, reader: str, rel: str, fn: Callable[[SourceFile], T]) -> T:
        """Run `fn` on the file unless its result for the same content is cached."""
        src = self.source(rel)
        key = (reader, rel)
        hit = self._results.get(key)
        if hit is not None and hit[0] == src.digest:
            result: T = hit[1]
            return result
        result = fn(src)
        self._results[key] = (src.digest, result)
        return result

    def loaded_files(self) -> list[str]:
        """Files read so far (by any reader), for passes over every checked file such as suppressions."""
        return sorted(self._sources)

    def invalidate(self) -> None:
        """Forget the assembled models (per-file results stay cached by content)."""
        self._plan = None
        self._code = None

    # -- models --------------------------------------------------------------------------------------

    @property
    def framework(self) -> FrameworkGuess:
        if self._framework is None:
            self._framework = detect_framework(self.root, self.settings, self.files)
        return self._framework

    def _file_issue(self, src: SourceFile) -> ReaderIssue | None:
        if not src.problem:
            return None
        where = Location(src.rel, Range(0, 0, 0, 0))
        if src.text:
            return ReaderIssue(
                "SL903", where, f"File read with a problem: {src.problem}", (src.rel, "partial")
            )
        return ReaderIssue("SL903", where, f"File not checked: {src.problem}", (src.rel,))

    def plan(self) -> PlanModel:
        if self._plan is None:
            issues: list[ReaderIssue] = []
            for shadow in self.files.shadowed:
                issues.append(
                    ReaderIssue(
                        "SL005",
                        Location(shadow.file, Range(0, 0, 0, 0)),
                        f"Another copy of the {shadow.kind} plan is used: `{shadow.used}`; this file is not checked",
                        entity=(shadow.file, shadow.used),
                    )
                )
            api_docs = []
            for rel in self.files.plans["api"]:
                src = self.source(rel)
                problem = self._file_issue(src)
                if problem:
                    issues.append(problem)
                api_docs.append(self.cached("api-plan", rel, read_api_plan))
            model = assemble_plan(api_docs, extra_issues=issues)
            rules = tuple(
                r
                for rel in self.files.rules_files
                for r in self.cached("project-rules", rel, read_project_rules)
            )
            self._plan = dataclasses.replace(model, project_rules=rules)
        return self._plan

    def code(self) -> CodeModel:
        if self._code is None:
            framework = self.framework
            route_files: list[RouteFile] = []
            issues: list[ReaderIssue] = []
            for rel in self.files.sources:
                if not is_route_file(rel, framework.name):
                    continue
                src = self.source(rel)
                problem = self._file_issue(src)
                if problem:
                    issues.append(problem)
                route_files.append(
                    self.cached("routes:" + framework.name, rel, lambda s: read_route_file(s, framework.name))
                )
            schema = self.schema(issues)
            types = self.types(issues)
            model = assemble_code(
                framework.name, framework.reason, route_files, issues, schema=schema, types=types
            )
            self._code = dataclasses.replace(model, secrets=self._secrets())
        return self._code

    def _secrets(self) -> tuple[SecretFinding, ...]:
        scanned = [*self.files.sources, *self.files.migrations, *self.files.all_plans]
        return tuple(f for rel in scanned for f in self.cached("secrets", rel, scan_secrets))

    def schema(self, issues: list[ReaderIssue]) -> Schema:
        """Replay the migrations (each file read once per content; the replay itself is cheap)."""
        files: list[MigrationFile] = []
        for rel in self.files.migrations:
            problem = self._file_issue(self.source(rel))
            if problem:
                issues.append(problem)
            files.append(self.cached("migration", rel, read_migration))
        for rel in self.files.sources:
            if is_typeorm_migration(rel):
                files.append(self.cached("migration-typeorm", rel, read_typeorm_migration))
        return replay(files)

    def types(self, issues: list[ReaderIssue]) -> TypesFile | None:
        rel = self.files.types
        if rel is None:
            return None
        problem = self._file_issue(self.source(rel))
        if problem:
            issues.append(problem)
        return self.cached("db-types", rel, read_types)
