"""Running the selected rules over a workspace: one engine for the CLI and the language server.

The names below are loaded on first use (PEP 562), so a light submodule (`engine.baseline`) can be imported
without the rules: the CLI's answer from the whole-check result cache (`cli.result_cache`) applies a
baseline without importing the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stage_lsp.engine.run import CheckResult, run_check
    from stage_lsp.engine.selection import Selection, select_rules

__all__ = ["CheckResult", "Selection", "run_check", "select_rules"]

_WHERE = {
    "CheckResult": "stage_lsp.engine.run",
    "run_check": "stage_lsp.engine.run",
    "Selection": "stage_lsp.engine.selection",
    "select_rules": "stage_lsp.engine.selection",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
