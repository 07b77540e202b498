"""The db-plan reader's parts: words (English and Polish), names, columns, indexes, RLS and SQL fences.

`plan.db_reader.read_db_plan` walks a document's outline and uses these modules; nothing here reads files.
"""
