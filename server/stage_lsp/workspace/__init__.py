"""A project's files and the models read from them, cached per file by content.

`Workspace` is loaded on first use (PEP 562), so `workspace.cache` and `workspace.check_results` can be
imported without the readers (the CLI's answer from the whole-check result cache needs only those).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stage_lsp.workspace.workspace import Workspace

__all__ = ["Workspace"]


def __getattr__(name: str) -> Any:
    if name != "Workspace":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from stage_lsp.workspace.workspace import Workspace

    globals()["Workspace"] = Workspace
    return Workspace
