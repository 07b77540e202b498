"""The project as the engine sees it: root, settings, chosen files, and models read from them.

Every reader is a pure function of one file's text; its result is cached by (reader, path, content
digest), so a second check, or an edit in one file, re-reads only what changed. Editor buffers are
overlays that take precedence over the disk. The CLI and the language server both go through here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar, cast

from stage_lsp.code.assemble import assemble_code, import_targets, start_routes
from stage_lsp.code.db_types import TypesFile, read_types
from stage_lsp.code.facts import ModuleFacts
from stage_lsp.code.framework import FrameworkGuess, detect_framework
from stage_lsp.code.incremental import TreeCache, reuse_trees
from stage_lsp.code.index import RoutePass, read_facts, route_sources
from stage_lsp.code.migrations import (
    MigrationFile,
    is_typeorm_migration,
    read_migration,
    read_typeorm_migration,
)
from stage_lsp.code.model import CodeModel
from stage_lsp.code.replay import Schema, replay
from stage_lsp.code.route_memo import RouteMemo
from stage_lsp.code.secrets import SecretFinding, scan_secrets
from stage_lsp.config.discovery import FileSet, discover
from stage_lsp.config.settings import Settings
from stage_lsp.core.issue import ReaderIssue
from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import RealDirs, SourceFile, read_source
from stage_lsp.plan.api_reader import read_api_plan
from stage_lsp.plan.assemble import assemble_plan
from stage_lsp.plan.db_reader import read_db_plan
from stage_lsp.plan.model import DbPlanDoc, PlanDocument, PlanModel
from stage_lsp.plan.prd_reader import read_prd
from stage_lsp.plan.project_rules import read_project_rules
from stage_lsp.plan.spec_endpoints import read_spec_endpoints
from stage_lsp.plan.stage_reader import read_stage_plan
from stage_lsp.plan.story_refs import read_story_refs
from stage_lsp.workspace.cache import MISSING

T = TypeVar("T")

# The per-file code reader (route files and the modules their handlers reach); its results are cached
# under the reader name "routes".
read_route_file = read_facts


class ResultStore(Protocol):
    """A persistent store of per-file reader results (the CLI's disk cache, `workspace.cache`)."""

    def get(self, reader: str, rel: str, digest: str) -> Any: ...  # `cache.MISSING` when absent

    def keep(self, reader: str, rel: str, digest: str) -> bool: ...  # held? then used, not loaded

    def put(self, reader: str, rel: str, digest: str, result: Any, packed: bytes | None = None) -> None: ...


@dataclass(frozen=True)
class PendingRead:
    """A per-file read the models need and no cache answers (see `Workspace.pending_reads`)."""

    reader: str
    rel: str
    source: SourceFile
    fn: Callable[[SourceFile], Any]


@dataclass(frozen=True)
class LinkedRead:
    """A reader result that also depends on linked files: (path, content digest) of each file loaded."""

    result: Any
    deps: tuple[tuple[str, str], ...]


class _Pending:
    """Stands in for a deferred read while `pending_reads` runs the model assembly."""

    def __getattr__(self, name: str) -> Any:
        raise LookupError("deferred read")


class _RouteFacts:
    """The route pass's `facts`: a module's facts from the workspace cache, recording the files the pass
    loaded (their problems are reported) and those whose facts could not be read (SL903)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.loaded: list[str] = []
        self.broken: dict[str, str] = {}

    def __call__(self, rel: str) -> ModuleFacts | None:
        self.loaded.append(rel)
        found: ModuleFacts | None = self.ws.cached("routes", rel, read_route_file)
        if isinstance(found, ModuleFacts) and found.problem:
            self.broken[rel] = found.problem
        return found

    def note(self, rel: str, problem: str | None) -> None:
        """`rel` counts as loaded, its facts' problem known, its facts not read (a route kept on disk);
        its facts stay in the store for the run that will need them."""
        self.loaded.append(rel)
        if problem:
            self.broken[rel] = problem
        self.ws._keep("routes", rel, self.ws.source(rel))


class Workspace:
    def __init__(
        self,
        root: Path,
        settings: Settings,
        files: FileSet | None = None,
        *,
        store: ResultStore | None = None,
    ) -> None:
        self.root = root
        self.settings = settings
        self.files = files if files is not None else discover(root, settings)
        self.store = store
        self._collect: dict[tuple[str, str], PendingRead] | None = None
        self.overlays: dict[str, str] = {}
        self._sources: dict[str, tuple[tuple[int, int] | str, SourceFile]] = {}
        self._results: dict[tuple[str, str], tuple[str, Any]] = {}
        # results read elsewhere for files this workspace has not read (`offer`), by (reader, rel)
        self._offered: dict[tuple[str, str], Any] = {}
        self._offered_rels: set[str] = set()
        self._framework: FrameworkGuess | None = None
        self._plan: PlanModel | None = None
        self._code: CodeModel | None = None
        self._config_texts: dict[str, str | None] = {}
        # Language server additions: overlay versions, trees of open documents for incremental reparse,
        # files whose reader crashed (read as empty until their content changes), config problems, and
        # `stat_files` (False when a file watcher reports disk changes, so a recheck never touches the disk).
        self.overlay_versions: dict[str, int] = {}
        self.trees = TreeCache()
        self.quarantined: dict[str, tuple[str, str]] = {}  # rel -> (content digest, problem)
        self.reader_failures: list[tuple[str, str, str, str]] = []  # (reader, rel, digest, error)
        self.config_issues: list[ReaderIssue] = []
        self.stat_files = True
        self._root_str = str(root)
        self._root_prefix = os.path.join(self._root_str, "")  # + a relative path: os.path.join, faster
        self._real_dirs = RealDirs(root)  # `inside` checks, one realpath per directory (cleared per check)
        self._fresh: set[str] = set()  # files stat'ed since begin_check (only after one was called)
        self._fresh_on = False
        self._checked: dict[str, SourceFile] = {}  # source() answers of the current check (server only)
        # Language server: files whose content may have changed, in order (`_note`), and the passes over
        # every file (secrets, suppressions) kept between checks and patched from that log (`cached_all`).
        self._log: list[str] = []
        self._log_base = 0  # entries dropped from the front of the log
        self._aggregates: dict[str, tuple[FileSet, list[str], int, dict[str, Any]]] = {}
        self._overlay_sources: dict[str, tuple[str, SourceFile]] = {}
        self._replayed: tuple[list[MigrationFile], Schema] | None = None  # the last replay and its inputs
        self._typeorm: dict[str, bool] = {}  # is_typeorm_migration by path (a keystroke reassembles)
        self.route_memo: RouteMemo | None = None  # see keep_routes_between_checks
        self._route_pass: tuple[RoutePass, _RouteFacts] | None = None  # begun by begin_routes
        self._sources_known: tuple[list[str] | None, frozenset[str]] = (None, frozenset())

    # -- files ---------------------------------------------------------------------------------------

    def source(self, rel: str) -> SourceFile:
        if self._fresh_on:  # between begin_check calls a file is looked at once (a recheck asks ~5 times)
            checked = self._checked.get(rel)
            if checked is not None:
                return checked
        src = self._load(rel)
        quarantined = self.quarantined.get(rel)
        if quarantined is not None and quarantined[0] == src.digest:
            src = SourceFile(rel, "", "quarantined:" + src.digest, problem=quarantined[1])
        if self._fresh_on:
            self._checked[rel] = src
        return src

    def _load(self, rel: str) -> SourceFile:
        overlay = self.overlays.get(rel)
        if overlay is not None:
            seen = self._overlay_sources.get(rel)
            if seen is not None and seen[0] == overlay:
                return seen[1]
            src = SourceFile.from_text(rel, overlay)
            self._note(rel)
            self._overlay_sources[rel] = (overlay, src)
            self._sources[rel] = ("overlay", src)
            return src
        cached = self._sources.get(rel)
        if cached and cached[0] != "overlay" and (not self.stat_files or rel in self._fresh):
            return cached[1]  # a watcher reports changes, or the file was stat'ed in this check already
        try:
            st = os.stat(self._root_prefix + rel)
            stamp: tuple[int, int] | str = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = "missing"
        if self._fresh_on:
            self._fresh.add(rel)
        if cached and cached[0] == stamp:
            return cached[1]
        src = read_source(self.root, rel, dirs=self._real_dirs)
        self._note(rel)
        self._sources[rel] = (stamp, src)
        return src

    def _note(self, rel: str) -> None:
        """`rel`'s content may have changed: passes kept by `cached_all` look at it again."""
        if self._aggregates:
            self._log.append(rel)
            if len(self._log) > 4096:  # a long session: passes that are behind start afresh
                self._log_base += len(self._log)
                self._log.clear()

    def begin_check(self) -> None:
        """The language server starts a check: `stat` each file at most once until the next one.

        With `stat_files`, every file read so far is stat'ed here, in one tight loop: an unchanged one
        counts as fresh for the whole check; a changed one is noted (the passes over every file then
        look at it alone) and the model it feeds is rebuilt, as when a watcher reports it (`forget`)."""
        self._fresh_on = True
        self._fresh.clear()
        self._checked.clear()
        self._real_dirs.clear()
        if not self.stat_files:
            return
        prefix, fresh, stat = self._root_prefix, self._fresh, os.stat
        for rel, (stamp, _) in self._sources.items():
            if stamp == "overlay":
                continue
            try:
                st = stat(prefix + rel)
                now: tuple[int, int] | str = (st.st_mtime_ns, st.st_size)
            except OSError:
                now = "missing"
            if now == stamp:
                fresh.add(rel)
            else:  # changed on disk: read again by the next `_load`, and the models it feeds rebuilt
                self._note(rel)
                self._config_texts.pop(rel, None)
                self.invalidate_for(rel)

    def cached(self, reader: str, rel: str, fn: Callable[[SourceFile], T]) -> T:
        """Run `fn` on the file unless its result for the same content is cached."""
        src = self._checked.get(rel) if self._fresh_on else None
        if src is None:
            if self._offered and rel not in self._sources and (reader, rel) in self._offered:
                return cast(T, self._offered[(reader, rel)])  # read by another process (`offer`)
            src = self.source(rel)
        key = (reader, rel)
        hit = self._results.get(key)
        if hit is not None and hit[0] == src.digest:
            result: T = hit[1]
            return result
        if self.store is not None and rel not in self.overlays:
            stored = self.store.get(reader, rel, src.digest)
            if stored is not MISSING:
                self._results[key] = (src.digest, stored)
                return cast(T, stored)
        if self._collect is not None:
            self._collect.setdefault(key, PendingRead(reader, rel, src, fn))
            return cast(T, _Pending())
        result = self._run_reader(reader, rel, src, fn)
        self.remember(reader, rel, src, result)
        return result

    def _ask(self, reader: str, rel: str, fn: Callable[[SourceFile], Any]) -> None:
        """pending_reads: collect the read unless a result is held (the store is asked without loading
        it: the route pass may never need a route file's facts, its routes kept on disk)."""
        assert self._collect is not None
        src = self.source(rel)
        hit = self._results.get((reader, rel))
        if hit is not None and hit[0] == src.digest:
            return
        if self._keep(reader, rel, src):
            return
        self._collect.setdefault((reader, rel), PendingRead(reader, rel, src, fn))

    def _keep(self, reader: str, rel: str, src: SourceFile) -> bool:
        """Whether the store holds the reader's result for `src`, which this run then uses without
        loading it (so that the store keeps it)."""
        return (
            self.store is not None and rel not in self.overlays and self.store.keep(reader, rel, src.digest)
        )

    def cached_all(self, reader: str, rels: list[str], fn: Callable[[SourceFile], T]) -> list[T]:
        """`cached_many` for a pass over (nearly) every file that the language server repeats on each
        check: between `begin_check` calls the results are kept and only the files noted as changed
        since the last call are looked at again. Elsewhere (the CLI) it is `cached_many`."""
        if not self._fresh_on or self._collect is not None:
            return self.cached_many(reader, rels, fn)
        kept = self._aggregates.get(reader)
        end = self._log_base + len(self._log)
        if kept is None or kept[0] is not self.files or kept[2] < self._log_base or kept[1] != rels:
            self._aggregates[reader] = (self.files, list(rels), end, {})  # start logging before reading
            found = self.cached_many(reader, rels, fn)
            results = dict(zip(rels, found, strict=True))
            if len(results) != len(found):  # a file listed twice: not kept
                del self._aggregates[reader]
                return found
            self._aggregates[reader] = (self.files, list(rels), self._log_base + len(self._log), results)
            return list(results.values())
        files, kept_rels, position, results = kept
        seen: set[str] = set()
        while position < self._log_base + len(self._log):  # reading a file may note it again
            if position < self._log_base:  # the log was trimmed meanwhile: start afresh
                del self._aggregates[reader]
                return self.cached_all(reader, rels, fn)
            changed = self._log[position - self._log_base :]
            position = self._log_base + len(self._log)
            for rel in changed:
                if rel in results and rel not in seen:
                    seen.add(rel)
                    results[rel] = self.cached(reader, rel, fn)
        self._aggregates[reader] = (files, kept_rels, position, results)
        return list(results.values())

    def cached_many(self, reader: str, rels: list[str], fn: Callable[[SourceFile], T]) -> list[T]:
        """`cached` for many files (the passes over every file: secrets, suppressions), with the hit
        path inlined: a recheck of a large project asks this for thousands of unchanged files."""
        out: list[T] = []
        results = self._results
        checked = self._checked if self._fresh_on else None
        offered = self._offered
        for rel in rels:
            src = checked.get(rel) if checked is not None else None
            if src is None:
                if offered and rel not in self._sources and (reader, rel) in offered:
                    out.append(offered[(reader, rel)])  # read by another process (`offer`)
                    continue
                src = self.source(rel)
            hit = results.get((reader, rel))
            if hit is not None and hit[0] == src.digest:
                out.append(hit[1])
            else:
                out.append(self.cached(reader, rel, fn))
        return out

    def _run_reader(self, reader: str, rel: str, src: SourceFile, fn: Callable[[SourceFile], T]) -> T:
        """Run a reader: an open document reparses incrementally (code.incremental); a failure is
        recorded in `reader_failures` (the language server quarantines the file) and re-raised."""
        try:
            if rel in self.overlays:
                with reuse_trees(self.trees, self.overlay_versions.get(rel)):
                    return fn(src)
            return fn(src)
        except Exception as exc:
            self.reader_failures.append((reader, rel, src.digest, f"{type(exc).__name__}: {exc}"))
            raise

    def remember(
        self, reader: str, rel: str, src: SourceFile, result: Any, packed: bytes | None = None
    ) -> None:
        """Record a reader result for `src` (in memory, and in the store for files on disk; `packed` is
        its pickle when there is one already, a prefetch worker's)."""
        self._results[(reader, rel)] = (src.digest, result)
        if self.store is not None and rel not in self.overlays:
            self.store.put(reader, rel, src.digest, result, packed)

    def offer(self, reader: str, rel: str, digest: str, result: Any) -> None:
        """A reader's result computed by another process that read the file (the CLI's early scan) and
        found the content with `digest`. While this workspace has not read the file, the file counts as
        read with that content (`cached` answers from the result, `loaded_files` lists it); once it has
        (or does), the result is used only for that same content."""
        if (reader, rel) in self._results:
            return
        self._results[(reader, rel)] = (digest, result)
        if rel not in self._sources and rel not in self.overlays:
            self._offered[(reader, rel)] = result
            self._offered_rels.add(rel)
        if self.store is not None and rel not in self.overlays:
            self.store.put(reader, rel, digest, result)

    def pending_reads(self) -> list[PendingRead]:
        """The per-file reads that plan() and code() need and no cache answers, without running them.

        Runs the model assembly with reads deferred (a stand-in is returned and the assembly's failure on
        it is expected), then forgets the models if any read was deferred (when none was, the models are
        complete and kept: a warm run assembles once). The CLI parses these in parallel processes and
        `remember`s the results; anything missed here is simply read later, one by one.
        """
        self._collect = {}
        jobs: list[PendingRead] = []
        try:
            for build in (self.plan, self.code):
                with contextlib.suppress(Exception):  # the assembly met a stand-in: reads so far are recorded
                    build()
            jobs = list(self._collect.values())
            return jobs
        finally:
            self._collect = None
            if jobs or self._plan is None or self._code is None:
                self.invalidate()

    def read_stamps(self) -> dict[str, tuple[int, int] | str]:
        """Every file this workspace read, with the (mtime_ns, size) it saw before reading it ("missing"
        when it could not stat it, "overlay" for an editor buffer), and "not-a-file" for a config file
        looked up and not found: what a check read, for the CLI's whole-check result cache."""
        stamps = {rel: stamp for rel, (stamp, _) in self._sources.items()}
        for rel, text in self._config_texts.items():
            if text is None:
                stamps.setdefault(rel, "not-a-file")
        return stamps

    def loaded_files(self) -> list[str]:
        """Files read so far (by any reader, or by the process whose results were `offer`ed), for passes
        over every checked file such as suppressions."""
        if self._offered_rels:
            return sorted(self._offered_rels.union(self._sources))
        return sorted(self._sources)

    def cached_linked(
        self, reader: str, rel: str, fn: Callable[[SourceFile, Callable[[str], SourceFile | None]], T]
    ) -> T:
        """Like `cached`, for readers that also read files the first one links (multi-file plans): the
        result is kept with the digests of the files it loaded, and reused (from memory or the store) only
        while the file and every linked file keep their content."""
        src = self.source(rel)
        key = (reader, rel)
        hit = self._results.get(key)
        if hit is not None and hit[0] == src.digest and self._unchanged(hit[1]):
            return cast(T, hit[1].result)
        if self.store is not None and rel not in self.overlays:
            stored = self.store.get(reader, rel, src.digest)
            if isinstance(stored, LinkedRead) and self._unchanged(stored):
                self._results[key] = (src.digest, stored)
                return cast(T, stored.result)
        if self._collect is not None:
            self._collect.setdefault(key, PendingRead(reader, rel, src, lambda s: self._read_linked(s, fn)))
            return cast(T, _Pending())
        read = self._run_reader(reader, rel, src, lambda s: self._read_linked(s, fn))
        self.remember(reader, rel, src, read)
        return cast(T, read.result)

    def _read_linked(
        self, src: SourceFile, fn: Callable[[SourceFile, Callable[[str], SourceFile | None]], Any]
    ) -> LinkedRead:
        loaded: list[tuple[str, str]] = []

        def load(target: str) -> SourceFile | None:
            linked = self.source(target)
            loaded.append((target, linked.digest))
            return None if linked.problem and not linked.text else linked

        return LinkedRead(fn(src, load), tuple(loaded))

    def _unchanged(self, read: Any) -> bool:
        return isinstance(read, LinkedRead) and all(
            self.source(dep).digest == digest for dep, digest in read.deps
        )

    def invalidate(self) -> None:
        """Forget the assembled models (per-file results stay cached by content)."""
        self._plan = None
        self._code = None
        self._route_pass = None

    def invalidate_for(self, rel: str) -> None:
        """Forget what `rel` feeds: a source, migration or generated-types file never feeds the plan
        model (plan() reads plan documents and project rules only), so a code edit keeps it."""
        if self.files.kind_of(rel) in ("source", "migration", "types"):
            self._code = None
            self._route_pass = None
        else:
            self.invalidate()

    # -- editor and file-watcher updates (language server) ------------------------------------------

    def set_overlay(self, rel: str, text: str, version: int | None = None) -> None:
        """An editor buffer that takes precedence over the file on disk."""
        if self.overlays.get(rel) == text and self.overlay_versions.get(rel) == version:
            return
        self.overlays[rel] = text
        self._checked.pop(rel, None)
        self._note(rel)
        if version is None:
            self.overlay_versions.pop(rel, None)
        else:
            self.overlay_versions[rel] = version
        self.invalidate_for(rel)

    def drop_overlay(self, rel: str) -> None:
        """The buffer was closed: the file on disk counts again."""
        if self.overlays.pop(rel, None) is not None:
            self.invalidate_for(rel)
        self._checked.pop(rel, None)
        self._note(rel)
        self._overlay_sources.pop(rel, None)
        self.overlay_versions.pop(rel, None)
        self.trees.forget(rel)

    def forget(self, rel: str) -> None:
        """The file changed on disk: read it again next time."""
        self._sources.pop(rel, None)
        self._checked.pop(rel, None)
        self._fresh.discard(rel)
        self._note(rel)
        self._config_texts.pop(rel, None)
        self.invalidate_for(rel)

    def rediscover(self, settings: Settings | None = None) -> None:
        """Choose the files again (created, deleted or renamed files, new settings); caches stay."""
        if settings is not None:
            self.settings = settings
        self.files = discover(self.root, self.settings)
        self._real_dirs.clear()
        self._checked.clear()
        self._aggregates.clear()
        self._framework = None
        self._config_texts.clear()
        self.invalidate()

    def keep_routes_between_checks(self) -> None:
        """Reuse a route file's routes while its import closure is unchanged (code.route_memo): the
        language server's edits then re-analyse only the route files that reach the edited file."""

        self.route_memo = RouteMemo(self._source_facts, self._digest, lambda: self.store)

    def _source_facts(self, rel: str) -> ModuleFacts | None:
        """A source file's facts for the route memo (None for any other path)."""
        if rel not in self._source_set():  # a set per file list (a list lookup is O(files))
            return None
        found: ModuleFacts = self.cached("routes", rel, read_route_file)
        return found

    def _digest(self, rel: str) -> str:
        return self.source(rel).digest

    def quarantine(self, rel: str, digest: str, problem: str) -> None:
        """Read `rel` as empty (with `problem`, reported as SL903) until its content changes."""
        self.quarantined[rel] = (digest, problem)
        self._checked.pop(rel, None)
        self._note(rel)
        self.invalidate()

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
            if self._collect is not None:  # pending_reads: ask for every plan read before any is used
                self._ask_plan_reads()
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
                api_docs.append(self.cached_linked("api-plan", rel, read_api_plan))
            db_docs, db_documents = self._db_docs(issues)
            documents = [self._document(rel, "api") for rel in self.files.plans["api"]] + db_documents
            stage_docs = [
                self._read_plan("stage", rel, read_stage_plan, issues) for rel in self.files.plans["stage"]
            ]
            prd_docs = [self._read_plan("prd", rel, read_prd, issues) for rel in self.files.plans["prd"]]
            for kind in ("stage", "prd"):
                documents += [self._document(rel, kind) for rel in self.files.plans[kind]]
            model = assemble_plan(
                api_docs,
                db_docs,
                stage_docs,
                prd_docs,
                extra_issues=issues,
                stage=self.settings.stage,
                documents=documents,
                db_files=self.files.plans["db"],
                # a regex over text already in memory: cheaper than a cache entry
                story_refs={rel: read_story_refs(self.source(rel)) for rel in self.files.plans["api"]},
            )
            rules = tuple(
                r
                for rel in self.files.rules_files
                for r in self.cached("project-rules", rel, read_project_rules)
            )
            specs = tuple(
                e for rel in self.files.spec_files for e in self.cached("spec", rel, read_spec_endpoints)
            )
            self._plan = dataclasses.replace(model, project_rules=rules, spec_endpoints=specs)
        return self._plan

    def _ask_plan_reads(self) -> None:
        """The reads plan() makes, requested up front: the assembly stops at the first stand-in (the db
        plan's linked files are known only from its result), and the stage, prd, rules and spec files
        come after it."""
        for kind, reader in (("stage", read_stage_plan), ("prd", read_prd)):
            for rel in self.files.plans[kind]:
                self.cached(kind + "-plan", rel, reader)
        for rel in self.files.rules_files:
            self.cached("project-rules", rel, read_project_rules)
        for rel in self.files.spec_files:
            self.cached("spec", rel, read_spec_endpoints)

    def _read_plan(
        self, kind: str, rel: str, reader: Callable[[SourceFile], T], issues: list[ReaderIssue]
    ) -> T:
        problem = self._file_issue(self.source(rel))
        if problem:
            issues.append(problem)
        return self.cached(kind + "-plan", rel, reader)

    def _document(self, rel: str, kind: Literal["api", "db", "stage", "prd", "linked"]) -> PlanDocument:
        """Which file was read for a plan kind, its encoding, and the copies not used (SL005)."""
        others = tuple(s.file for s in self.files.shadowed if s.used == rel)
        return PlanDocument(rel, kind, self.source(rel).encoding, shadowed=others)

    def _db_docs(self, issues: list[ReaderIssue]) -> tuple[list[DbPlanDoc], list[PlanDocument]]:
        """The db plans and the per-table files they link (`[details](./tables/1-projects.md)`)."""
        docs: list[DbPlanDoc] = []
        documents: list[PlanDocument] = []
        seen: set[str] = set()
        queue = [(rel, False) for rel in self.files.plans["db"]]
        while queue:
            rel, linked = queue.pop(0)
            if rel in seen:
                continue
            seen.add(rel)
            if linked and (not rel.endswith(".md") or rel.startswith("../") or self.source(rel).problem):
                continue
            doc = self._read_plan("db", rel, read_db_plan, issues)
            docs.append(doc)
            documents.append(self._document(rel, "linked" if linked else "db"))
            queue.extend((target, True) for target in doc.linked_files if len(seen) < 200)
        return docs, documents

    def code(self) -> CodeModel:
        if self._code is None:
            framework = self.framework
            issues: list[ReaderIssue] = []
            route_pass: RoutePass | None = None
            if self._route_pass is not None:  # begun while files were still being read (begin_routes)
                route_pass, facts = self._route_pass
                self._route_pass = None
            else:
                facts = _RouteFacts(self)
            loaded, broken = facts.loaded, facts.broken

            if self._collect is not None:  # pending_reads: ask for every route file before any is used
                for rel in route_sources(framework, self.files.sources, self._text):
                    self._ask("routes", rel, read_route_file)
                self.types([])  # and the generated types (the schema's replay stops at a stand-in)
            schema = self.schema(issues)
            types = self.types(issues)
            model = assemble_code(
                framework,
                self.files.sources,
                facts,
                self._text,
                self._config_text,
                issues,
                schema,
                types,
                route_memo=self._routes_memo(),
                route_pass=route_pass,
            )
            problems = [i for rel in dict.fromkeys(loaded) if (i := self._file_issue(self.source(rel)))]
            problems += [
                ReaderIssue("SL903", Location(rel, Range(0, 0, 0, 0)), f"File not checked: {why}", (rel,))
                for rel, why in broken.items()
            ]
            if problems:
                model = replace(model, issues=(*model.issues, *problems))
            unread = tuple(
                rel
                for rel in dict.fromkeys([*loaded, *self.files.migrations])
                if rel in broken or (self.source(rel).problem and not self.source(rel).text)
            )
            if unread:
                model = replace(model, unread_files=unread)
            self._code = replace(model, secrets=self.secrets())
        return self._code

    def _text(self, rel: str) -> str:
        return self.source(rel).text

    def _routes_memo(self) -> RouteMemo | None:
        if self.route_memo is None and self.store is not None:  # the CLI: routes kept on disk
            self.route_memo = RouteMemo(self._source_facts, self._digest, lambda: self.store, facts_free=True)
        return self.route_memo

    def begin_routes(self) -> RoutePass | None:
        """code()'s route pass, begun ahead: the CLI's prefetch analyses route files with it while other
        files are still being read (`RoutePass.step`, once what the next file reaches is read:
        `read_result`), and code() finishes it. None when the code model is built already, or while the
        generated database types (an input of the pass) are not read yet."""
        if self._route_pass is not None:
            return self._route_pass[0]
        if self._code is not None or self._collect is not None:
            return None
        types_rel = self.files.types
        if types_rel is not None and self.read_result("db-types", types_rel) is MISSING:
            return None
        facts = _RouteFacts(self)
        route_pass = start_routes(
            self.framework,
            self.files.sources,
            facts,
            self._text,
            self._config_text,
            self.types([]),  # code() asks again, for its issues: the same cached result
            self._routes_memo(),
        )
        self._route_pass = (route_pass, facts)
        return route_pass

    def drop_routes(self) -> None:
        """Forget a pass begun by `begin_routes` (a step failed: code() runs the pass afresh, and meets
        the failure where a check without prefetch meets it)."""
        self._route_pass = None

    def read_result(self, reader: str, rel: str) -> Any:
        """The reader's cached result for the file as already loaded, without reading anything:
        `cache.MISSING` when the file is not loaded yet or no result for its content is held."""
        if rel not in self._sources:
            return MISSING
        hit = self._results.get((reader, rel))
        if hit is None or hit[0] != self.source(rel).digest:
            return MISSING
        return hit[1]

    def _config_text(self, rel: str) -> str | None:
        if rel not in self._config_texts:
            self._config_texts[rel] = self.source(rel).text if (self.root / rel).is_file() else None
        return self._config_texts[rel]

    def import_reads(self, modules: Iterable[Any]) -> list[PendingRead]:
        """The module reads the route pass is likely to ask for: the project files that `modules`
        import, when no cache holds their facts. The CLI runs them in parallel as the results come in
        (workspace.prefetch); a wrong guess costs a read, nothing else."""
        targets = import_targets(
            [m for m in modules if isinstance(m, ModuleFacts)], self.files.sources, self._config_text
        )
        self._collect = {}
        try:
            for rel in targets:
                self.cached("routes", rel, read_route_file)
            return list(self._collect.values())
        finally:
            self._collect = None

    def _source_set(self) -> frozenset[str]:
        known = self._sources_known
        if known[0] is not self.files.sources:
            known = self._sources_known = (self.files.sources, frozenset(self.files.sources))
        return known[1]

    def secret_scan_files(self) -> list[str]:
        """What `secrets` scans: every source, migration and plan."""
        return self.files.scanned_for_secrets()

    def scan_secrets_of(self, rels: list[str]) -> None:
        """Scan some of those files ahead (the CLI's prefetch, between other work); `secrets` reuses it."""
        self.cached_many("secrets", rels, scan_secrets)

    def secrets(self) -> tuple[SecretFinding, ...]:
        """The secret scan of every source, migration and plan (part of the code model; cached per file)."""
        scanned = self.secret_scan_files()
        return tuple(f for found in self.cached_all("secrets", scanned, scan_secrets) for f in found)

    def schema(self, issues: list[ReaderIssue]) -> Schema:
        """Replay the migrations (each file read once per content). The replay of a large history costs
        a few hundred ms, so it is redone only when a migration changed (in memory, and on disk when
        there is a store)."""
        files: list[MigrationFile] = []
        replayed: list[str] = []
        for rel in self.files.migrations:
            problem = self._file_issue(self.source(rel))
            if problem:
                issues.append(problem)
            files.append(self.cached("migration", rel, read_migration))
            replayed.append(rel)
        for rel in self.files.sources:
            typeorm = self._typeorm.get(rel)
            if typeorm is None:
                typeorm = self._typeorm[rel] = is_typeorm_migration(rel)
            if typeorm:
                files.append(self.cached("migration-typeorm", rel, read_typeorm_migration))
                replayed.append(rel)
        last = self._replayed
        if (
            last is not None
            and len(last[0]) == len(files)
            and all(a is b for a, b in zip(last[0], files, strict=True))
        ):
            return last[1]  # the same per-file results: the same final schema (an edit elsewhere)
        key = ""
        if self.store is not None:  # the disk cache keeps the final schema, keyed by every migration's digest
            inputs = "\0".join(f"{rel}\0{self.source(rel).digest}" for rel in replayed)
            key = hashlib.sha256(inputs.encode("utf-8", errors="surrogatepass")).hexdigest()
            stored = self.store.get("replay", "migrations", key)
            if isinstance(stored, Schema):
                self._replayed = (files, stored)
                return stored
        schema = replay(files)
        if key and self.store is not None:
            self.store.put("replay", "migrations", key, schema)
        self._replayed = (files, schema)
        return schema

    def types(self, issues: list[ReaderIssue]) -> TypesFile | None:
        rel = self.files.types
        if rel is None:
            return None
        problem = self._file_issue(self.source(rel))
        if problem:
            issues.append(problem)
        return self.cached("db-types", rel, read_types)
