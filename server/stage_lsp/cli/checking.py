"""`stage-lsp check` after the project is loaded: PR scope, baseline, fixes, cache, output formats.

Order of work: read the models (parsing in parallel processes when many files need it, the disk cache
answering the rest), run the rules, keep the findings in scope (`--since`: files changed since REF), drop
the baselined ones (`--baseline`), apply or show fixes for what remains (`--fix`, `--diff`, re-checking
after each pass), update the baseline (`--baseline-update`), render (`--output-format`, `--statistics`,
`--show-fixes`) to stdout or `--output-file`, and compute the exit code from what is reported.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stage_lsp.cli.early_scan import EarlyScan
from stage_lsp.cli.main import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS
from stage_lsp.cli.output import UsageError, no_plans
from stage_lsp.cli.output import emit as _emit
from stage_lsp.cli.output import exit_code as _exit_code
from stage_lsp.cli.output import render as _render
from stage_lsp.cli.output import validate as _validate
from stage_lsp.cli.result_cache import remember
from stage_lsp.config.project import ProjectConfig
from stage_lsp.context import ChangeSet
from stage_lsp.core.gc_pause import long_lived
from stage_lsp.core.violation import Violation
from stage_lsp.engine import CheckResult, Selection, run_check, select_rules
from stage_lsp.engine import baseline as baselines
from stage_lsp.engine.since import SinceError
from stage_lsp.workspace import Workspace
from stage_lsp.workspace.cache import CACHE_ENV, DiskCache, cache_directory
from stage_lsp.workspace.check_results import PendingStore

FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit")
MAX_FIX_PASSES = 10


@dataclass
class Run:
    """What one check run carries from step to step."""

    args: argparse.Namespace
    project: ProjectConfig
    store: DiskCache | None
    selection: Selection
    changes: ChangeSet | None = None
    baseline: baselines.Baseline | None = None
    notes: list[str] = field(default_factory=list)
    pending: PendingStore | None = None  # store the result for the next run (cli.result_cache)
    early: EarlyScan | None = None  # the secret scan started before the imports (cli.early_scan)

    @property
    def root(self) -> Path:
        return self.project.root

    def note(self, text: str) -> None:
        if not self.args.quiet:
            self.notes.append(text)


def open_cache(args: argparse.Namespace, project: ProjectConfig) -> DiskCache | None:
    """The parse cache (`workspace.cache.cache_directory` says where, and refuses a place outside)."""
    if getattr(args, "no_cache", False):
        return None
    directory = cache_directory(project.root, project.settings.cache_dir)
    if directory is None:
        if not getattr(args, "quiet", False):
            print(
                f"stage-lsp: `cache-dir` points outside the project; the parse cache is off "
                f"(set {CACHE_ENV} to keep it outside)",
                file=sys.stderr,
            )
        return None
    return DiskCache(directory)


def _error(message: str) -> int:
    print(f"stage-lsp: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def check_loaded(
    args: argparse.Namespace,
    project: ProjectConfig,
    ws: Workspace,
    *,
    pending: PendingStore | None = None,
    early: EarlyScan | None = None,
) -> int:
    """Everything after the project and its workspace exist (commands.check calls this; `pending`: the
    whole-check result cache missed, store this check's result; `early`: the secret scan runs in a
    child already, the check takes its results)."""
    try:
        _validate(args)
    except UsageError as exc:
        return _error(str(exc))
    settings = project.settings
    if not ws.files.all_plans:
        return no_plans(args, project)
    selection = select_rules(
        select=args.select if args.select is not None else settings.select,
        extend_select=[*settings.extend_select, *args.extend_select],
        ignore=[*settings.ignore, *args.ignore],
        severity=settings.severity,
    )
    run = Run(
        args,
        project,
        ws.store if isinstance(ws.store, DiskCache) else None,
        selection,
        pending=pending,
        early=early,
    )
    try:
        return _check(run, ws)
    except (SinceError, baselines.BaselineError) as exc:
        return _error(str(exc))
    except OSError as exc:
        return _error(f"cannot write: {exc}")
    finally:
        if run.store is not None:
            run.store.save()
        for text in run.notes:
            print(f"stage-lsp: {text}", file=sys.stderr)


def _evaluate(run: Run, ws: Workspace) -> CheckResult:
    """The check, its models built with the cyclic collector out of the way: this process exits once it
    has printed them, so nothing it builds needs collecting (core/gc_pause.long_lived)."""
    from stage_lsp.workspace.prefetch import MIN_READS, prefetch  # cold runs only need it

    ws.begin_check()  # one check: each file is stat'ed once, when first read (not on every look at it)
    with long_lived():
        if len(ws.files.sources) + len(ws.files.all_plans) + len(ws.files.migrations) >= MIN_READS:
            prefetch(ws, scan_secrets=run.early is None)
        if run.early is not None:
            run.early.finish(ws)
        return run_check(ws, run.selection, changes=run.changes, stage=run.args.stage)


def _collect(ws: Workspace, ref: str) -> ChangeSet:
    from stage_lsp.engine.since import collect  # runs git: imported only in PR mode

    return collect(ws, ref)


def _in_scope(run: Run, v: Violation) -> bool:
    """PR mode: the finding's file changed, or its counterpart in code did (a planned endpoint whose route
    file the change deleted). A counterpart in a plan does not count: every route points at the plan."""
    changes = run.changes
    if changes is None or changes.touches(v.location.file):
        return True
    return any(changes.touches(r.location.file) and not r.location.file.endswith(".md") for r in v.related)


def _entry_in_scope(run: Run) -> Callable[[baselines.Entry], bool]:
    codes = {r.code for r in run.selection.rules}
    changes = run.changes
    return lambda e: e.code in codes and (changes is None or changes.touches(e.file))


def _reported(run: Run, result: CheckResult) -> tuple[list[Violation], baselines.Filtered | None]:
    scoped = [v for v in result.violations if _in_scope(run, v)]
    if run.baseline is None:
        return scoped, None
    filtered = baselines.apply(run.baseline, scoped, _entry_in_scope(run))
    return list(filtered.new), filtered


def _check(run: Run, ws: Workspace) -> int:
    args = run.args
    if args.since:
        run.changes = _collect(ws, args.since)
    if args.baseline:
        path = Path(args.baseline)
        if not (args.baseline_update and not path.exists()):
            run.baseline = baselines.load(path)
    result = _evaluate(run, ws)
    if run.pending is not None and run.store is not None:  # a miss of the whole-check result cache
        remember(run.pending, run.store, result, run.selection, ws)
    for err in result.internal_errors:
        print(f"stage-lsp: internal error: {err}", file=sys.stderr)
    reported, filtered = _reported(run, result)
    if args.diff:
        return _diff(run, reported, internal=bool(result.internal_errors))
    if args.fix:
        ws, result, reported, filtered = _fix(run, ws, result, reported)
    if args.baseline_update:
        _update_baseline(run, result)
        reported, filtered = _reported(run, result)
    elif filtered is not None and filtered.stale:
        _note_stale(run, filtered.stale)
    touched = run.changes.changed if run.changes else frozenset()
    _emit(args, _render(args, str(run.root), reported, result.files_checked, touched))
    if result.internal_errors:
        return EXIT_ERROR
    return _exit_code(args, reported)


def _diff(run: Run, reported: Sequence[Violation], *, internal: bool) -> int:
    from stage_lsp.engine.fix_disk import DiskAccess
    from stage_lsp.engine.fixes import plan_fixes, unified_diff

    plan = plan_fixes(reported, DiskAccess(run.root), unsafe=run.args.unsafe_fixes)
    _emit(run.args, unified_diff(plan.changes))
    n = len(plan.applied)
    run.note(f"{n} fix{'es' if n != 1 else ''} would be applied (--fix writes them)")
    for s in plan.skipped:
        run.note(f"not fixed: {_where(s.violation)}: {s.violation.code}: {s.reason}")
    if internal:
        return EXIT_ERROR
    return EXIT_FINDINGS if plan.changes and not run.args.exit_zero else EXIT_CLEAN


def _fix(
    run: Run, ws: Workspace, result: CheckResult, reported: list[Violation]
) -> tuple[Workspace, CheckResult, list[Violation], baselines.Filtered | None]:
    from stage_lsp.engine.fix_disk import DiskAccess, write_changes
    from stage_lsp.engine.fixes import plan_fixes

    fixed: list[Violation] = []
    filtered: baselines.Filtered | None = None
    skipped: dict[str, str] = {}
    for _ in range(MAX_FIX_PASSES):
        plan = plan_fixes(reported, DiskAccess(run.root), unsafe=run.args.unsafe_fixes)
        skipped = {
            s.violation.fingerprint: f"{_where(s.violation)}: {s.violation.code}: {s.reason}"
            for s in plan.skipped
        }
        if not plan.changes:
            break
        access = DiskAccess(run.root)
        for change in plan.changes:  # the writer needs each file's encoding and line ends
            access.read(change.file)
        for problem in write_changes(access, plan.changes):
            run.note(f"not written: {problem}")
        fixed.extend(plan.applied)
        ws = Workspace(run.root, run.project.settings, store=run.store)
        ws.begin_check()
        if run.args.since:
            run.changes = _collect(ws, run.args.since)
        result = run_check(ws, run.selection, changes=run.changes, stage=run.args.stage)
        reported, filtered = _reported(run, result)
    else:
        run.note(f"stopped fixing after {MAX_FIX_PASSES} passes; fixes keep producing new fixable findings")
    n = len(fixed)
    run.note(f"fixed {n} finding{'s' if n != 1 else ''}; {len(reported)} remain")
    if run.args.show_fixes and not run.args.quiet:
        for v in fixed:
            assert v.fix is not None
            run.notes.append(f"fixed: {_where(v)}: {v.code} {v.fix.title}")
    for reason in skipped.values():
        run.note(f"not fixed: {reason}")
    return ws, result, reported, filtered


def _update_baseline(run: Run, result: CheckResult) -> None:
    path = Path(run.args.baseline)
    scope = _entry_in_scope(run)
    scoped = [v for v in result.violations if _in_scope(run, v)]
    new = baselines.updated(run.baseline, scoped, scope)
    old_prints = run.baseline.fingerprints if run.baseline else frozenset()
    added = len(new.fingerprints - old_prints)
    pruned = len(old_prints - new.fingerprints)
    baselines.save(path, new)
    run.baseline = new
    run.note(f"wrote {path}: {len(new.entries)} entries ({added} added, {pruned} pruned)")


def _note_stale(run: Run, stale: Sequence[baselines.Entry]) -> None:
    for text in baselines.stale_notes(stale):
        run.note(text)


def _where(v: Violation) -> str:
    r = v.location.range
    return f"{v.location.file}:{r.line + 1}:{r.col + 1}"
