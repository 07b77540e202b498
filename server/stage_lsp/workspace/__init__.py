"""A project's files and the models read from them, cached per file by content."""

from stage_lsp.workspace.workspace import Workspace

__all__ = ["Workspace"]
