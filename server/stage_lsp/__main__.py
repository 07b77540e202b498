"""`python -m stage_lsp` runs the command line."""

from stage_lsp.cli.main import entry

entry()
