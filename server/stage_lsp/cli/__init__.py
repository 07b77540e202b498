"""The `stage-lsp` command line. Imports pygls/lsprotocol only for `stage-lsp server`."""
