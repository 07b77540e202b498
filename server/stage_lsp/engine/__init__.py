"""Running the selected rules over a workspace: one engine for the CLI and the language server.

The names below are loaded on first use (PEP 562), so a light submodule (`engine.baseline`) can be imported
without the rules: the CLI's answer from the whole-check result cache (`cli.result_cache`) applies a
baseline without importing the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stage_lsp.engine.run import CheckResult, run_check
    from stage_lsp.engine.selection import Selection, select_rules

__all__ = ["CheckResult", "Selection", "run_check", "select_rules"]


def __getattr__(name: str) -> Any:
    if name in ("CheckResult", "run_check"):
        from stage_lsp.engine import run

        value = getattr(run, name)
    elif name in ("Selection", "select_rules"):
        from stage_lsp.engine import selection

        value = getattr(selection, name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
