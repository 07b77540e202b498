"""Output of `stage-lsp check`: usage checks, rendering in every format, writing; and the answer for a
project without plans.

Import-light on purpose (the renderers of the CI formats are imported when used): `commands.check` answers a
project without plans from here without importing the engine, the readers or their parsers, which keeps
`stage-lsp --check` on such a project (pre-commit in an unrelated repository) near interpreter start-up.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from stage_lsp.cli.main import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS
from stage_lsp.config.project import ProjectConfig
from stage_lsp.core.rule_info import RuleInfo
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.render.json_check import render_json
from stage_lsp.render.statistics import (
    fix_hint,
    render_fix_list,
    render_statistics_json,
    render_statistics_text,
)
from stage_lsp.render.text import render_text


class UsageError(Exception):
    pass


def validate(args: argparse.Namespace) -> None:
    if args.baseline_update and not args.baseline:
        raise UsageError("--baseline-update needs --baseline FILE (the file to write)")
    if args.statistics and args.output_format not in ("text", "json"):
        raise UsageError("--statistics works with --output-format text or json")


def _error(message: str) -> int:
    print(f"stage-lsp: error: {message}", file=sys.stderr)
    return EXIT_ERROR


def no_plans(args: argparse.Namespace, project: ProjectConfig) -> int:
    """A project without plans: nothing to check; say so and write the empty output of the format."""
    try:
        validate(args)
    except UsageError as exc:
        return _error(str(exc))
    if not args.quiet:
        print(
            "stage-lsp: no plans found (api-plan.md, db-plan.md, ...); nothing to check. "
            "Set `api-plans`/`db-plans` in stage-lsp.toml if they have other names.",
            file=sys.stderr,
        )
    empty = "" if args.output_format == "text" and not args.statistics else None
    try:
        emit(args, empty if empty is not None else render(args, str(project.root), [], 0, frozenset()))
    except OSError as exc:
        return _error(f"cannot write the output: {exc}")
    return EXIT_CLEAN


def render(
    args: argparse.Namespace,
    root: str,
    violations: Sequence[Violation],
    files: int,
    touched: frozenset[str],
    rules: Mapping[str, RuleInfo] | None = None,
) -> str:
    """The report in `args.output_format`. `rules`: the RuleInfo of the codes found, when known without
    importing the rules (a cached answer); SARIF needs them."""
    fmt = args.output_format  # the CI formats are imported when used
    if args.statistics:
        return render_statistics_json(violations) if fmt == "json" else render_statistics_text(violations)
    if fmt == "json":
        return render_json(root, violations, files)
    if fmt == "sarif":
        from stage_lsp.render.sarif import render_sarif

        sarif = render_sarif(root, violations, rules=rules)
        for note in sarif.notes:
            if not args.quiet:
                print(f"stage-lsp: {note}", file=sys.stderr)
        return sarif.text
    if fmt == "github":
        from stage_lsp.render.github import render_github, render_step_summary

        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            try:
                with open(summary_file, "a", encoding="utf-8") as out:
                    out.write(render_step_summary(violations, files))
            except OSError as exc:
                print(f"stage-lsp: cannot write the job summary: {exc}", file=sys.stderr)
        return render_github(violations, files, touched=touched)
    if fmt == "gitlab":
        from stage_lsp.render.gitlab import render_gitlab

        return render_gitlab(violations)
    if fmt == "junit":
        from stage_lsp.render.junit import render_junit

        return render_junit(violations, fail_on=Severity(args.fail_on))
    text = render_text(violations, files, show_related=args.show_related)
    if args.quiet:
        return "".join(line + "\n" for line in text.splitlines()[:-1])
    if args.show_fixes:
        listed = render_fix_list(violations)
        if listed:
            text += "Fixes available:\n" + listed
    hint = fix_hint(violations, unsafe=args.unsafe_fixes)
    return text + (hint + "\n" if hint else "")


def exit_code(args: argparse.Namespace, reported: Sequence[Violation]) -> int:
    """1 when a reported finding is at least `--fail-on` severe (unless `--exit-zero`), else 0."""
    threshold = Severity(args.fail_on).rank
    failing = any(v.severity.rank >= threshold for v in reported)
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_CLEAN


def emit(args: argparse.Namespace, text: str) -> None:
    if args.output_file:
        path = Path(args.output_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    sys.stdout.write(text)
    sys.stdout.flush()
