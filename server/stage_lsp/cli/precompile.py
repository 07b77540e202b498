"""`python -m stage_lsp.cli.precompile [FILE]`: compile ahead what every fresh `stage-lsp` process would compile.

Python's bytecode (`.pyc`) covers the modules, and pip writes it on install; it does not cover the
methods `dataclasses` writes for each class when a module is imported (~90 ms of a check's start-up on
Python 3.11: `core.dataclass_code`). This command imports the modules of every command (the check, the
fixes, the report, the language server) with the code cache installed and writes every code object
compiled on the way to the package's `__pycache__`. Run it after installing or upgrading stage-lsp (the
Makefile does, and so does the benchmark harness); stage-lsp works the same without it, only slower to
start. A class whose source changed since is compiled at run time as before. FILE: write there instead
(tests).
"""

from __future__ import annotations

import sys

from stage_lsp.core import dataclass_code


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    dataclass_code.install()  # before the imports below define their classes
    import stage_lsp.cli.checking
    import stage_lsp.cli.commands
    import stage_lsp.cli.early_scan
    import stage_lsp.cli.output
    import stage_lsp.engine.fix_disk
    import stage_lsp.engine.fixes
    import stage_lsp.engine.since
    import stage_lsp.lsp.server
    import stage_lsp.render.dump
    import stage_lsp.render.github
    import stage_lsp.render.gitlab
    import stage_lsp.render.json_check
    import stage_lsp.render.junit
    import stage_lsp.render.report.html
    import stage_lsp.render.report.json_report
    import stage_lsp.render.report.markdown
    import stage_lsp.render.sarif
    import stage_lsp.render.statistics
    import stage_lsp.render.text
    import stage_lsp.workspace.prefetch  # noqa: F401  (the imports are the point)

    path = args[0] if args else dataclass_code.default_path()
    try:
        written = dataclass_code.write(path)
    except OSError as exc:
        print(f"stage-lsp precompile: cannot write {path}: {exc}", file=sys.stderr)
        return 1
    print(f"stage-lsp precompile: {written} dataclass methods compiled into {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
