"""The CLI commands. Thin: resolve the project, run the engine, render."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from stage_lsp.cli.main import EXIT_CLEAN, EXIT_ERROR
from stage_lsp.config.project import ProjectConfig, find_root, load_config
from stage_lsp.config.settings import ConfigError, merge

if TYPE_CHECKING:
    from stage_lsp.cli.early_scan import EarlyScan
    from stage_lsp.config.discovery import FileSet
    from stage_lsp.workspace import Workspace

# The engine, readers and renderers are imported inside the commands that need them: `stage-lsp check` on
# a project without plans (or `--version`, `rule`) never pays for tree-sitter, pglast or markdown-it.


def _error(message: str) -> int:
    print(f"stage-lsp: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def _project(path_arg: str) -> ProjectConfig:
    path = Path(path_arg)
    if not path.exists():
        raise ConfigError(f"{path_arg}: no such file or directory")
    return load_config(find_root(path))


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def check(args: argparse.Namespace) -> int:
    try:
        project = _project(args.path)
    except ConfigError as exc:
        return _error(str(exc))
    if args.stage is not None:
        project = dataclasses.replace(
            project, settings=merge(project.settings, {"stage": args.stage}, "--stage")
        )
    settings = project.settings
    if args.show_settings:
        _write(
            json.dumps(
                {
                    "root": str(project.root),
                    "config_file": str(project.config_file) if project.config_file else None,
                    "settings": settings.to_public(),
                },
                indent=2,
            )
            + "\n"
        )
        return EXIT_CLEAN
    from stage_lsp.config.discovery import discover

    files = discover(project.root, settings)
    if not files.all_plans and args.output_format == "text" and not (args.statistics or args.show_files):
        if not args.quiet:
            print(
                "stage-lsp: no plans found (api-plan.md, db-plan.md, ...); nothing to check. "
                "Set `api-plans`/`db-plans` in stage-lsp.toml if they have other names.",
                file=sys.stderr,
            )
        return EXIT_CLEAN
    if not files.all_plans and not args.show_files:  # answered without importing the engine and readers
        from stage_lsp.cli.output import no_plans

        return no_plans(args, project)
    # the secret scan starts in a child now, beside the result cache's look-up and the imports
    early = None if args.show_files else _early_scan(args, project, files)
    try:
        from stage_lsp.cli.result_cache import try_answer  # nothing changed: answered without the engine

        answered, pending = try_answer(args, project, files)
        if answered is not None:
            return answered
        from stage_lsp.cli.checking import check_loaded, open_cache
        from stage_lsp.workspace import Workspace

        ws = Workspace(project.root, settings, files=files, store=open_cache(args, project))
        if args.show_files:
            _write(_files_report(ws))
            return EXIT_CLEAN
        return check_loaded(args, project, ws, pending=pending, early=early)
    finally:
        if early is not None:
            early.close()


def _early_scan(args: argparse.Namespace, project: ProjectConfig, files: FileSet) -> EarlyScan | None:
    """Start the secret scan in a child before the engine's imports (cli.early_scan), unless a
    disk cache may hold its results."""
    from stage_lsp.cli.early_scan import READERS, EarlyScan, usable
    from stage_lsp.workspace.cache import cache_directory, holds_results

    rels = files.scanned_for_secrets()
    if not usable(len(rels)):
        return None
    if not args.no_cache:
        directory = cache_directory(project.root, project.settings.cache_dir)
        if directory is not None and holds_results(directory, READERS[0]):
            return None
    return EarlyScan.start(project.root, rels)


def _files_report(ws: Workspace) -> str:
    files = ws.files
    out = [f"root: {ws.root}"]
    framework = ws.framework
    out.append(f"framework: {framework.name} ({framework.reason})")
    for name, reason in framework.all[1:]:
        out.append(f"framework: {name} ({reason})")
    if framework.found_instead:
        out.append(f"found instead: {', '.join(framework.found_instead)}")
    for kind in ("api", "db", "stage", "prd"):
        for rel in files.plans[kind]:
            out.append(f"{kind}-plan: {rel}  [{files.reasons.get(rel, '')}]")
    for rel in files.spec_files:
        out.append(f"spec: {rel}  [{files.reasons.get(rel, '')}]")
    for shadow in files.shadowed:
        out.append(f"ignored {shadow.kind}-plan: {shadow.file}  [another copy is used: {shadow.used}]")
    route_files = [r for r in files.sources if ws.code().route_files and r in ws.code().route_files]
    for rel in route_files:
        out.append(f"route: {rel}")
    out.append(f"sources: {len(files.sources)} files")
    for rel in files.migrations:
        out.append(f"migration: {rel}")
    if files.types:
        out.append(f"types: {files.types}")
    for rel in files.rules_files:
        out.append(f"rules: {rel}")
    return "\n".join(out) + "\n"


def dump(args: argparse.Namespace) -> int:
    try:
        project = _project(args.path)
    except ConfigError as exc:
        return _error(str(exc))
    from stage_lsp.render.dump import render_dump
    from stage_lsp.workspace import Workspace

    ws = Workspace(project.root, project.settings)
    ws.begin_check()  # one pass: each file stat'ed once
    _write(render_dump(str(project.root), ws.plan(), ws.code()))
    return EXIT_CLEAN


def rule(args: argparse.Namespace) -> int:
    from stage_lsp.rules import ALL_RULES, rule_for

    if args.all or not args.code:
        for r in ALL_RULES:
            _write(f"{r.code}  {r.name:<34} {r.severity.value:<8} {r.summary}\n")
        return EXIT_CLEAN
    found = rule_for(args.code.upper())
    if found is None:
        return _error(f"unknown rule `{args.code}` (run `stage-lsp rule --all`)")
    _write(
        f"# {found.code} {found.name}\n\n{found.summary}.\n\nDefault severity: {found.severity.value}\n\n{found.doc}\n"
    )
    return EXIT_CLEAN


def report(args: argparse.Namespace) -> int:
    from stage_lsp.engine.run import context_for
    from stage_lsp.render.report import build_report
    from stage_lsp.render.report.html import render_html
    from stage_lsp.render.report.json_report import render_report_json
    from stage_lsp.render.report.markdown import render_markdown

    try:
        project = _project(args.path)
    except ConfigError as exc:
        return _error(str(exc))
    settings = project.settings
    if args.stage is not None:
        settings = merge(settings, {"stage": args.stage}, "--stage")
    from stage_lsp.engine import run_check, select_rules
    from stage_lsp.workspace import Workspace

    ws = Workspace(project.root, settings)
    ws.begin_check()  # one pass: each file stat'ed once
    selection = select_rules(
        select=settings.select,
        extend_select=settings.extend_select,
        ignore=settings.ignore,
        severity=settings.severity,
    )
    result = run_check(ws, selection)
    for err in result.internal_errors:
        print(f"stage-lsp: internal error: {err}", file=sys.stderr)
    active = [r.code for r in selection.rules]
    built = build_report(context_for(ws), result.violations, str(project.root), args.stage, active)
    renderers = {"markdown": render_markdown, "html": render_html, "json": render_report_json}
    text = renderers[args.output_format](built)
    if args.output_file:
        out = Path(args.output_file)
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            return _error(f"cannot write {out}: {exc.strerror or exc}")
    else:
        _write(text)
    return EXIT_ERROR if result.internal_errors else EXIT_CLEAN
