"""The API plan reader's parts (see `stage_lsp.plan.api_reader.read_api_plan`, the entry point).

- `text`: the document as lines, with markdown damage undone and every line classified (fence, heading,
  table row, text) from one markdown-it parse (`plan.markdown`).
- `vocab`: the words plans use (English and Polish labels, HTTP reason phrases).
- `definitions`: where an endpoint is defined, in every notation, and which mentions are not definitions.
- `sections`: the lines that belong to each definition, and the text a section shares.
- `statuses`, `codes`: statuses, error codes and success codes, and the codes a document declares.
- `labels`, `bodies`, `jsonish`: request and response fields from example bodies, types, lists and tables.
- `params`: query and path parameters, Idempotency-Key, pagination and its limit.
- `marks`: post-MVP / optional / external endpoints and the base path.
- `links`: multi-file plans, an index that links one file per endpoint.
- `issues`: what cannot be read (SL001, SL002, SL003; SL006 is raised in `build`).
- `build`: assembles the `ApiPlanDoc`.
"""
