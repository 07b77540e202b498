"""Running the selected rules over a workspace: one engine for the CLI and the language server."""

from stage_lsp.engine.run import CheckResult, run_check
from stage_lsp.engine.selection import Selection, select_rules

__all__ = ["CheckResult", "Selection", "run_check", "select_rules"]
