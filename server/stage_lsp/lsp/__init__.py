"""The language server (pygls 2): the only package that imports pygls and lsprotocol."""
