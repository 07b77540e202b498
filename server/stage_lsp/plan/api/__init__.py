"""The API plan reader's parts (see `stage_lsp.plan.api_reader.read_api_plan`, the entry point).

- `text`: the document as lines, with markdown damage undone and every line classified (fence, heading,
  table row, text) from one markdown-it parse.
- `vocab`: the words plans use (English and Polish labels, HTTP reason phrases).
- `definitions`: where an endpoint is defined, in every notation, and which mentions are not definitions.
- `sections`: the part of the document that belongs to each definition, and text shared by a section.
- `statuses`, `bodies`, `params`: what a section says about statuses, error codes, fields and parameters.
- `links`: multi-file plans, an index that links one file per endpoint.
"""
