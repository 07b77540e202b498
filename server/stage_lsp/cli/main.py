"""`stage-lsp` entry point: argument parsing and dispatch.

stage-lsp --check [PATH] | check [PATH]     check a project (exit 0 clean, 1 findings, 2 error)
stage-lsp dump [PATH]                       the plan and code models as JSON
stage-lsp rule SLnnn | rule --all           a rule's documentation
stage-lsp server [--stdio]                  the language server (imports pygls only here)
stage-lsp --version
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from stage_lsp import __version__
from stage_lsp.core import dataclass_code

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.split(",") if c.strip()]


def _add_target(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", default=".", help="project directory or a file inside it (default: .)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stage-lsp",
        description="Keeps a web project's code honest to its markdown plans (api-plan.md, db-plan.md, ...).",
        epilog="Run `stage-lsp check --help` for the checker's options. Documentation: README.md and rules/.",
    )
    parser.add_argument("--version", action="version", version=f"stage-lsp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check a project against its plans (same as --check)")
    _add_target(check)
    check.add_argument(
        "--output-format",
        choices=("text", "json", "sarif", "github", "gitlab", "junit"),
        default="text",
        help="text (default), json, sarif (code scanning), github (annotations), gitlab (Code Quality), junit",
    )
    check.add_argument(
        "--select",
        type=_codes,
        action="extend",
        default=None,
        metavar="CODES",
        help="only these rule codes or prefixes (replaces the config's select)",
    )
    check.add_argument(
        "--extend-select",
        type=_codes,
        action="extend",
        default=[],
        metavar="CODES",
        help="add rule codes or prefixes to the selection",
    )
    check.add_argument(
        "--ignore",
        type=_codes,
        action="extend",
        default=[],
        metavar="CODES",
        help="skip these rule codes or prefixes",
    )
    check.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default="warning",
        help="lowest severity that makes the exit code 1 (default: warning)",
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument(
        "--stage",
        type=int,
        default=None,
        metavar="N",
        help="check one stage: stage N is current, and only findings about its items are shown",
    )
    check.add_argument("--show-files", action="store_true", help="list the files chosen and why, then exit")
    check.add_argument("--show-settings", action="store_true", help="print the resolved settings, then exit")
    check.add_argument(
        "--show-related", action="store_true", help="text output: also print related locations"
    )
    check.add_argument("--output-file", metavar="FILE", help="write the output to FILE instead of stdout")
    check.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="only the findings: no summary line, hints or notices (errors still go to stderr)",
    )
    check.add_argument(
        "--statistics",
        action="store_true",
        help="print how many findings each rule code has, not the findings",
    )
    check.add_argument(
        "--show-fixes", action="store_true", help="list the fixes on offer (or, with --fix, applied)"
    )
    check.add_argument("--fix", action="store_true", help="apply safe fixes, then check again")
    check.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply unsafe fixes"
    )
    check.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff; write nothing (exit 1 if any)"
    )
    check.add_argument(
        "--baseline", metavar="FILE", help="report only findings whose fingerprint is not in this baseline"
    )
    check.add_argument(
        "--baseline-update",
        action="store_true",
        help="write the current findings to the --baseline file (pruning stale entries)",
    )
    check.add_argument(
        "--since",
        metavar="REF",
        help="PR mode: only findings on files changed since the merge base with REF, plus plan-change checks",
    )
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the parse cache")

    dump = sub.add_parser("dump", help="print the plan and code models as JSON")
    _add_target(dump)

    report = sub.add_parser(
        "report", help="stage report: done, drifted and missing per stage; next work items"
    )
    _add_target(report)
    report.add_argument(
        "--stage", type=int, default=None, metavar="N", help="report on stage N only (N is current)"
    )
    report.add_argument("--output-format", choices=("markdown", "html", "json"), default="markdown")
    report.add_argument(
        "--output-file", default=None, metavar="FILE", help="write the report here instead of stdout"
    )

    rule = sub.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", nargs="?", help="a rule code such as SL101")
    rule.add_argument("--all", action="store_true", help="list every rule")

    server = sub.add_parser("server", help="run the language server (LSP over stdio)")
    server.add_argument(
        "--stdio", action="store_true", help="talk LSP over stdin/stdout (the default and only transport)"
    )
    server.add_argument(
        "--log-level",
        choices=("error", "warning", "info", "debug"),
        default="warning",
        help="what the server logs to stderr (default: warning)",
    )

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    dataclass_code.install()  # before the commands' imports define their dataclasses
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        build_parser().print_help()
        return EXIT_CLEAN
    if args_list[0] == "--check":
        args_list[0] = "check"
    elif "--check" in args_list and args_list[0].startswith("-"):
        args_list.remove("--check")
        args_list.insert(0, "check")
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code) if isinstance(exc.code, int) else EXIT_ERROR
    if args.command == "server":
        from stage_lsp.lsp.server import serve

        return serve(args)
    from stage_lsp.cli import commands

    try:
        if args.command == "check":
            return commands.check(args)
        if args.command == "dump":
            return commands.dump(args)
        if args.command == "rule":
            return commands.rule(args)
        if args.command == "report":
            return commands.report(args)
    except BrokenPipeError:
        return EXIT_CLEAN
    parser.print_help()
    return EXIT_CLEAN


def entry() -> NoReturn:
    """The `stage-lsp` command (and `python -m stage_lsp`): `main`, then exit at once. Tearing the
    interpreter down frees every object a check built, one by one (~20 ms after a large check), for
    nothing; the output is flushed first (mypy ends the same way). An exception from `main` propagates as
    usual (traceback, exit 1)."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`): nothing more to write
            stream.flush()
    os._exit(code)
