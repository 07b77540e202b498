"""The check job of one root, run on the worker thread: apply pending changes, run the engine, convert.

Only this module touches a root's Workspace (one job at a time, see scheduler). It re-reads only what
changed: editor buffers become overlays, files changed on disk are forgotten, the file set is
rediscovered only when files were created or deleted or settings changed; the Workspace caches every
reader's result by content digest, so the engine's reassembly re-runs just the edited file's readers.

A reader that raises on a file does not take the check down: the file is quarantined (read as empty,
reported as SL903 through the workspace) until its content changes, and the check is run again.
"""

from __future__ import annotations

import operator
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import from_fs_path

from stage_lsp.config.problems import config_issue
from stage_lsp.config.project import load_config_lenient
from stage_lsp.config.settings import Settings
from stage_lsp.core.issue import ReaderIssue
from stage_lsp.core.violation import CreateFile, Violation
from stage_lsp.engine import CheckResult, run_check, select_rules
from stage_lsp.engine.reuse import RuleReuse
from stage_lsp.engine.selection import Selection
from stage_lsp.lsp import editor_settings
from stage_lsp.lsp.convert import Positions, to_diagnostic
from stage_lsp.lsp.nav_state import NavSnapshot, capture
from stage_lsp.lsp.roots import Converted, Pending, RootState
from stage_lsp.workspace import Workspace
from stage_lsp.workspace.cache import DiskCache, cache_directory

MAX_QUARANTINE_RETRIES = 20
# Without file watching, a check stats every file to see changes made on disk (about 7 ms for 2,300
# files). A keystroke reuses the last stat of each file; once the edits pause, a trailing check
# (scheduler) stats them, SWEEP_INTERVAL_S after the last check. While edits keep coming without a pause,
# a keystroke's check stats them at most every SWEEP_MAX_S.
SWEEP_INTERVAL_S = 1.0
SWEEP_MAX_S = 5.0


@dataclass(frozen=True)
class Outcome:
    """What one job produced, for the event loop to publish."""

    diagnostics: (
        dict[str, list[types.Diagnostic]] | None
    )  # by URI; None: the check failed, keep what is shown
    versions: dict[str, int]  # URI -> the document version the results were computed for
    errors: tuple[str, ...] = ()  # internal errors, for the log
    notices: tuple[str, ...] = ()  # problems in the editor settings, for the user
    debounce_ms: int = 150
    files: int = 0
    seconds: float = 0.0
    known_files: frozenset[str] = frozenset()  # the files the project reads (edits elsewhere need no check)


def _settings(state: RootState) -> tuple[Settings, list[ReaderIssue], list[str]]:
    project, errors = load_config_lenient(state.root)
    settings, problems = editor_settings.apply(project.settings, state.editor)
    issues = [config_issue(state.root, project.config_file, e) for e in errors]
    return settings, issues, problems


def _selection(settings: Settings) -> Selection:
    return select_rules(
        select=settings.select,
        extend_select=settings.extend_select,
        ignore=settings.ignore,
        severity=settings.severity,
    )


def apply_pending(state: RootState, pending: Pending, *, watching: bool) -> tuple[Workspace, list[str]]:
    """Bring the root's Workspace up to date with the pending changes (creating it on the first job)."""
    notices: list[str] = []
    if pending.editor is not None:
        state.editor = pending.editor
    ws = state.ws
    if ws is None or pending.reload_config or pending.editor is not None:
        settings, issues, notices = _settings(state)
        if ws is None:
            # The first check reads every file: the CLI's disk cache (`cache-dir`) makes a restart cheap.
            # It is written back and detached once the first results are out (scheduler.finish_index).
            store = open_store(state.root, settings)
            if store is None:
                notices.append("`cache-dir` points outside the project; the disk cache is not used")
            ws = state.ws = Workspace(state.root, settings, store=store)
            ws.keep_routes_between_checks()
        elif settings != ws.settings:
            ws.rediscover(settings)
        ws.config_issues = issues
    now = state.last_check = time.monotonic()
    sweep = not watching and (
        now - state.last_sweep >= SWEEP_MAX_S or pending.rediscover or pending.reload_config
    )
    if sweep:
        state.last_sweep = now
    state.unswept = not watching and not sweep
    ws.stat_files = sweep
    ws.begin_check()
    for rel in sorted(pending.disk):
        ws.forget(rel)
    if pending.rediscover:
        ws.rediscover()
    for rel, (text, version) in pending.overlays.items():
        if text is None:
            ws.drop_overlay(rel)
        else:
            ws.set_overlay(rel, text, version)
    return ws, notices


def open_store(root: Path, settings: Settings) -> DiskCache | None:
    """The CLI's disk cache, where `workspace.cache.cache_directory` allows it (never outside the project
    unless the machine says so); None: no disk cache."""
    directory = cache_directory(root, settings.cache_dir)
    return DiskCache(directory) if directory is not None else None


def finish_index(state: RootState) -> None:
    """After the first check: save what it read to the disk cache and stop consulting it (later checks
    keep everything in memory and never touch the disk for it)."""
    ws = state.ws
    if ws is None or ws.store is None:
        return
    store, ws.store = ws.store, None
    if isinstance(store, DiskCache):
        store.save()


def check_resilient(
    ws: Workspace, selection: Selection, reuse: RuleReuse | None = None
) -> tuple[CheckResult | None, list[str]]:
    """run_check, quarantining files whose reader raises; None when the models cannot be built at all.
    With `reuse`, rules whose inputs did not change since the last check are not run again."""
    errors: list[str] = []
    for _ in range(MAX_QUARANTINE_RETRIES):
        ws.reader_failures.clear()
        try:
            ws.plan()
            ws.code()
        except Exception:
            failures = list(ws.reader_failures)
            if not failures:
                errors.append(f"reading the workspace failed:\n{traceback.format_exc()}")
                return None, errors
            for reader, rel, digest, error in failures:
                errors.append(f"the {reader} reader failed on {rel}:\n{traceback.format_exc()}")
                ws.quarantine(
                    rel,
                    digest,
                    f"the {reader} reader failed on this file ({error}); it is skipped until it changes "
                    "(a bug in stage-lsp: please report it)",
                )
            continue
        result = run_check(ws, selection, reuse=reuse)
        return result, errors + list(result.internal_errors)
    return None, [*errors, "too many files failed to read; the check was abandoned"]


def to_diagnostics(
    state: RootState, ws: Workspace, result: CheckResult, uris: dict[str, str], encoding: str
) -> tuple[dict[str, list[types.Diagnostic]], dict[str, int]]:
    """Diagnostics by URI. A finding that is the same object as in the previous check, whose files are
    unchanged (URI, version, content), keeps its converted diagnostic (a keystroke converts the edited
    file's findings, not all); a file whose findings are all the same objects keeps its list without
    looking at each (a keystroke visits the files whose findings changed, not every finding)."""
    versions = dict(ws.overlay_versions)
    depends_memo: dict[str, tuple[str, str, int | None, str]] = {}

    file_uris = state.file_uris

    def uri_of(rel: str) -> str:
        uri = uris.get(rel)
        if uri is None:
            uri = file_uris.get(rel)
            if uri is None:
                uri = file_uris[rel] = from_fs_path(str(state.root / rel)) or ""
        return uri

    def depends(rel: str) -> tuple[str, str, int | None, str]:
        found = depends_memo.get(rel)
        if found is None:
            found = depends_memo[rel] = (rel, uri_of(rel), versions.get(rel), ws.source(rel).digest)
        return found

    def digest_of(rel: str) -> str | None:
        """The digest of the text a finding was computed from (None: the file does not exist)."""
        src = ws.source(rel)
        return None if src.problem else src.digest

    def line_text(rel: str, line: int) -> str:
        return ws.source(rel).lines.line(line)

    positions = Positions(encoding, line_text)
    by_file: dict[str, list[Violation]] = defaultdict(list)
    for v in result.violations:
        by_file[v.location.file].append(v)
    # Per file: the same finding objects as in the last check (a rule whose inputs did not change
    # returns the same objects, engine.reuse), whose files are all unchanged, keep the file's list.
    # Per finding otherwise: a finding seen in the last check keeps its diagnostic while the files it
    # mentions are unchanged. `cache` (id -> finding, its files, their state, diagnostic) holds the
    # findings of the files converted so far; entries of findings gone are dropped with them.
    cache: dict[int, tuple[Violation, tuple[str, ...], tuple[Any, ...], types.Diagnostic]]
    cache = state.converted_findings
    previous_files = state.converted
    converted: dict[str, Converted] = {}
    by_uri: dict[str, list[types.Diagnostic]] = {}
    for rel, found in by_file.items():
        findings = tuple(found)
        previous = previous_files.get(rel)
        if (
            previous is not None
            and len(previous.violations) == len(findings)
            and all(map(operator.is_, previous.violations, findings))
            and previous.depends[0] == encoding
            and all(depends(d[0]) == d for d in previous.depends[1:])
        ):
            converted[rel] = previous
            by_uri[uri_of(rel)] = previous.diagnostics
            continue
        diagnostics: list[types.Diagnostic] = []
        files: set[str] = set()
        for v in findings:
            seen = cache.get(id(v))
            if seen is not None and seen[0] is v:
                mentioned = seen[1]
                deps = (encoding, *(depends(m) for m in mentioned))
                diagnostic = seen[3] if seen[2] == deps else None
            else:
                mentioned = _mentioned(v)
                deps = (encoding, *(depends(m) for m in mentioned))
                diagnostic = None
            if diagnostic is None:
                diagnostic = to_diagnostic(v, positions, uri_of, versions, digest_of)
            cache[id(v)] = (v, mentioned, deps, diagnostic)
            files.update(mentioned)
            diagnostics.append(diagnostic)
        if previous is not None:
            _forget(cache, previous.violations, findings)
            if len(previous.diagnostics) == len(diagnostics) and all(
                map(operator.is_, previous.diagnostics, diagnostics)
            ):
                diagnostics = previous.diagnostics  # the same list: publishing compares it by identity
        file_deps = (encoding, *(depends(m) for m in sorted(files)))
        converted[rel] = Converted(findings, file_deps, diagnostics)
        by_uri[uri_of(rel)] = diagnostics
    for rel, gone in previous_files.items():
        if rel not in converted:
            _forget(cache, gone.violations, ())
    state.converted = converted
    return by_uri, {uri_of(rel): version for rel, version in versions.items()}


def _forget(
    cache: dict[int, tuple[Violation, tuple[str, ...], tuple[Any, ...], types.Diagnostic]],
    old: tuple[Violation, ...],
    new: tuple[Violation, ...],
) -> None:
    """Drop the cached conversions of the findings of `old` that are not in `new` (by identity)."""
    kept = {id(v) for v in new}
    for v in old:
        entry = cache.get(id(v))
        if entry is not None and entry[0] is v and id(v) not in kept:
            del cache[id(v)]


def _mentioned(v: Violation) -> tuple[str, ...]:
    """The files a finding's diagnostic is converted from: its own, its counterparts', its fixes'."""
    mentioned = {v.location.file}
    mentioned.update(r.location.file for r in v.related)
    for fix in (v.fix, *v.alternatives) if v.fix is not None else v.alternatives:
        mentioned.update(e.file if isinstance(e, CreateFile) else e.location.file for e in fix.edits)
    return tuple(sorted(mentioned))


def known_files(ws: Workspace) -> frozenset[str]:
    files = ws.files
    known = {*files.all_plans, *files.sources, *files.migrations, *files.rules_files}
    known.update(s.file for s in files.shadowed)
    if files.types:
        known.add(files.types)
    return frozenset(known)


def build_navigation(state: RootState) -> tuple[NavSnapshot | None, list[str]]:
    """On the worker, when a navigation request asks after a check: the snapshot of the last completed
    check (`lsp.nav_state.capture`), or None when there is nothing new to build (no check since the last
    build, or the last check failed: navigation stays as it was). Not part of the check job, so an edit's
    diagnostics never wait for it; the last snapshot is reused while the check's models, settings, file
    set and every text it holds are the very same objects (a check that changed nothing it points into).
    A failure is returned for the log."""
    pending, state.nav_input = state.nav_input, None
    if pending is None:
        return None, []
    ws, ctx = pending
    key = (ctx.plan, ctx.code, ctx.settings, ctx.files)
    built = state.nav_built
    if (
        built is not None
        and all(a is b for a, b in zip(built[0], key, strict=True))
        and all(ws.source(rel) is src for rel, src in built[1].sources.items())
    ):
        return built[1], []
    try:
        snap = capture(ws, ctx)
    except Exception:
        return None, [f"building the navigation links failed:\n{traceback.format_exc()}"]
    state.nav_built = (key, snap)
    return snap, []


def run_job(
    state: RootState, pending: Pending, uris: dict[str, str], encoding: str, watching: bool
) -> Outcome:
    """The whole job; never raises (a bug here is an internal error, and what is shown stays)."""
    started = time.perf_counter()
    state.nav_input = None  # the Workspace changes now: an older check's models no longer match its texts
    try:
        ws, notices = apply_pending(state, pending, watching=watching)
        result, errors = check_resilient(ws, _selection(ws.settings), state.rule_reuse)
        debounce = ws.settings.debounce_ms
        if result is None:
            return Outcome(None, {}, tuple(errors), tuple(notices), debounce)
        diagnostics, versions = to_diagnostics(state, ws, result, uris, encoding)
        if result.context is not None:
            state.nav_input = (ws, result.context)  # built when navigation asks (build_navigation)
        return Outcome(
            diagnostics,
            versions,
            tuple(errors),
            tuple(notices),
            debounce,
            result.files_checked,
            time.perf_counter() - started,
            known_files(ws),
        )
    except Exception:
        return Outcome(None, {}, (f"the check job failed:\n{traceback.format_exc()}",), (), state.debounce_ms)


def describe(outcome: Outcome) -> dict[str, Any]:
    """A short summary for the log."""
    count = sum(len(d) for d in (outcome.diagnostics or {}).values())
    return {"files": outcome.files, "diagnostics": count, "ms": round(outcome.seconds * 1000, 1)}
