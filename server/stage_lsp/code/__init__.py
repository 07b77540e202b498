"""Code readers: route files (tree-sitter), migrations (pglast), generated types -> CodeModel."""
