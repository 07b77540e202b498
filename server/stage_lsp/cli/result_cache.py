"""`stage-lsp check` answered from the whole-check result cache (`workspace.check_results`).

After discovery, `try_answer` builds the check's key: the settings, the config file, the options that
change findings (`--select`, `--extend-select`, `--ignore`, `--stage`), every walked file's stat and the
framework detection's probe files. When the cache folder holds a result for that key, the stored findings
go through the same tail as a full check (baseline, rendering in any format, exit code) and the engine, the
rules and the readers are never imported; otherwise the full check runs as before and `remember` stores
its result under the key taken before it ran.

Modes that write files or depend on more than the working tree bypass the result cache: `--fix`, `--diff`,
`--since` (git history), `--baseline-update`, `--show-files`, `--no-cache`, and a walk cut short
(`FileSet.truncated`). `--baseline FILE` is applied to the stored findings on every run (the file is not
part of the key). A report written into the project (`--output-file report.sarif`) is left out of the
key. A check with internal errors is never stored.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from stage_lsp import __version__
from stage_lsp.cli.main import EXIT_ERROR
from stage_lsp.cli.output import UsageError, emit, exit_code, render, validate
from stage_lsp.code.framework import detection_inputs
from stage_lsp.config.discovery import FileSet
from stage_lsp.config.project import ProjectConfig
from stage_lsp.core.violation import Violation
from stage_lsp.workspace.cache import DiskCache, cache_directory
from stage_lsp.workspace.check_results import CheckKey, PendingStore, StoredCheck, lookup

if TYPE_CHECKING:
    from stage_lsp.engine import CheckResult, Selection
    from stage_lsp.workspace import Workspace

BYPASS = ("fix", "diff", "since", "baseline_update", "show_files", "no_cache")


def _inputs(args: argparse.Namespace, project: ProjectConfig) -> str:
    """A digest of what decides the findings besides the files: settings, config file, options."""
    config: list[str] | None = None
    if project.config_file is not None:
        try:
            content = hashlib.sha256(project.config_file.read_bytes()).hexdigest()
        except OSError:
            content = "unreadable"
        config = [str(project.config_file), content]
    doc = {
        "version": __version__,
        "settings": project.settings.to_public(),
        "config": config,
        "select": args.select,
        "extend_select": args.extend_select,
        "ignore": args.ignore,
        "stage": args.stage,
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def _walked(files: FileSet, root: Path, directory: Path) -> list[str] | None:
    """The walked files but the cache's own (None: the cache folder is the root itself)."""
    try:
        inner = directory.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return list(files.walked)
    if inner == ".":
        return None
    return [rel for rel in files.walked if not rel.startswith(inner + "/")]


# An `--output-file` inside the project with one of these suffixes is left out of the key (else writing it
# would make every next run a miss), unless the framework detection probes it (`pom.xml`, `package.json`).
# Discovery never chooses such a file; were the check to read it, it is among the files read outside the
# walk, which the key follows.
REPORT_SUFFIXES = frozenset({".json", ".sarif", ".xml", ".txt", ".log", ".html", ".csv"})


def _output_rel(args: argparse.Namespace, root: Path, probes: list[Path]) -> str | None:
    if not args.output_file:
        return None
    try:
        path = Path(args.output_file).resolve()
        rel = path.relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return None
    if path.suffix.lower() not in REPORT_SUFFIXES or path in probes:
        return None
    return rel.as_posix()


def _key(
    args: argparse.Namespace, project: ProjectConfig, files: FileSet, directory: Path
) -> CheckKey | None:
    root = project.root
    walked = _walked(files, root, directory)
    if walked is None:
        return None
    probes = detection_inputs(root) if project.settings.framework == "auto" else []
    output = _output_rel(args, root, probes)
    if output is not None:
        walked = [rel for rel in walked if rel != output]
    return CheckKey(root, _inputs(args, project), walked, probes)


def try_answer(
    args: argparse.Namespace, project: ProjectConfig, files: FileSet
) -> tuple[int | None, PendingStore | None]:
    """(exit code, None) when the stored result answered the check; (None, what to store after the full
    check) on a miss; (None, None) when this mode bypasses the result cache."""
    if any(getattr(args, name, None) for name in BYPASS) or files.truncated:
        return None, None
    try:
        validate(args)
    except UsageError:
        return None, None  # the full path reports it
    directory = cache_directory(project.root, project.settings.cache_dir)
    if directory is None:
        return None, None  # the full path says why the cache is off
    try:
        key = _key(args, project, files, directory)
        stored = lookup(DiskCache(directory), key) if key is not None else None
    except Exception:  # no cache problem ever fails a check: check in full
        return None, None
    if key is None:
        return None, None
    if stored is not None:
        answered = _answer(args, project, stored)
        if answered is not None:
            return answered, None
    return None, PendingStore(key)


def _answer(args: argparse.Namespace, project: ProjectConfig, stored: StoredCheck) -> int | None:
    """The tail of `checking._check` for stored findings (no `--since`, no fixes); None when the full
    path must answer (a baseline that cannot be read: it reports the error)."""
    reported: list[Violation] = list(stored.violations)
    notes: list[str] = []
    if args.baseline:
        from stage_lsp.engine import baseline as baselines

        try:
            loaded = baselines.load(Path(args.baseline))
        except (baselines.BaselineError, OSError):
            return None
        codes = frozenset(stored.codes)
        filtered = baselines.apply(loaded, reported, lambda e: e.code in codes)
        reported = list(filtered.new)
        if filtered.stale and not args.quiet:
            notes = baselines.stale_notes(filtered.stale)
    try:
        rules = {r.code: r for r in stored.rules}
        emit(args, render(args, str(project.root), reported, stored.files_checked, frozenset(), rules))
        return exit_code(args, reported)
    except OSError as exc:
        print(f"stage-lsp: error: cannot write: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        for text in notes:
            print(f"stage-lsp: {text}", file=sys.stderr)


def remember(
    pending: PendingStore, store: DiskCache, result: CheckResult, selection: Selection, ws: Workspace
) -> None:
    """After a full check that missed: store its findings under the key taken before it ran."""
    if result.internal_errors:
        return
    from stage_lsp.render.sarif import rule_infos  # the rules are imported already: the check ran them

    codes = tuple(r.code for r in selection.rules)
    with contextlib.suppress(Exception):  # never fails the check that just ran
        infos = rule_infos(sorted({v.code for v in result.violations}))
        stored = StoredCheck(result.violations, result.files_checked, codes, tuple(infos.values()))
        pending.store(store, stored, ws.read_stamps())
