"""Damaged db plans (SL004) and SQL that does not parse (SL007): reported, and the rest is read."""

from __future__ import annotations

from tests.plan.dbplan import names, read, rng, table

WRAPPED = """\
```markdown
# Database plan

## Tables

### users
- id: UUID PRIMARY KEY

```sql
create table public.decks (id uuid primary key);
```
```
"""


def test_a_document_wrapped_in_a_markdown_fence_is_reported_and_read() -> None:
    doc = read(WRAPPED)
    assert [(i.code, i.location.range) for i in doc.issues] == [("SL004", rng(0, 0, 11))]
    assert "wrapped" in doc.issues[0].message
    assert names(doc) == ["users", "decks"]
    assert table(doc, "users").location.range == rng(5, 4, 9)
    assert table(doc, "decks").location.range == rng(9, 13, 25)


STRAY = """\
## Tables

````
### users
- id: UUID PRIMARY KEY

### decks
- id: UUID PRIMARY KEY
"""


def test_a_stray_four_backtick_fence_is_reported_and_what_it_hid_is_read() -> None:
    doc = read(STRAY)
    assert [(i.code, i.location.range) for i in doc.issues] == [("SL004", rng(2, 0, 4))]
    assert names(doc) == ["users", "decks"]
    assert table(doc, "decks").columns[0].location.range == rng(7, 2, 4)


def test_a_closed_four_backtick_fence_is_not_damage() -> None:
    doc = read("## Tables\n\n````\n```sql\nselect 1;\n```\n````\n\n### users\n- id: UUID PRIMARY KEY\n")
    assert doc.issues == ()
    assert names(doc) == ["users"]


TRUNCATED = """\
# Plan bazy danych

...existing content...

## Tabele

### notes
- id: UUID PRIMARY KEY

## Polityki bezpieczeństwa (RLS)

- RLS włączone dla: `notes`.
"""


def test_a_truncated_document_is_reported_at_the_placeholder_and_the_rest_is_read() -> None:
    doc = read(TRUNCATED)
    assert [(i.code, i.location.range) for i in doc.issues] == [("SL004", rng(2, 0, 22))]
    assert "truncated" in doc.issues[0].message
    assert table(doc, "notes").rls is True


def test_a_placeholder_inside_a_code_fence_is_not_a_truncation() -> None:
    doc = read("## Tables\n\n```ts\n// ...existing code...\n```\n")
    assert doc.issues == ()


BAD_SQL = """\
## Tables

```sql
create table public.decks (id uuid primary key);
crate table cards (id uuid);
create table public.cards (id uuid primary key, deck_id uuid references decks(id));
```
"""


def test_sql_that_does_not_parse_is_reported_and_the_other_statements_are_read() -> None:
    doc = read(BAD_SQL)
    assert [(i.code, i.location.range) for i in doc.issues] == [("SL007", rng(4, 0, 5))]
    assert names(doc) == ["decks", "cards"]
    assert [c.name for c in table(doc, "cards").columns] == ["id", "deck_id"]


def test_pseudo_code_and_bare_expressions_are_not_reported() -> None:
    text = (
        "## Tables\n\n### briefs\n- id: UUID PRIMARY KEY\n\n"
        "```sql\nALTER TABLE <table> ENABLE ROW LEVEL SECURITY;\n```\n\n"
        "```sql\nEXISTS (SELECT 1 FROM briefs b WHERE b.id = brief_id)\n```\n\n"
        "**Example:**\n\n```sql\nCREATE POLICY p ON briefs FOR SELECT, DELETE USING (true);\n```\n"
    )
    doc = read(text)
    assert doc.issues == ()
    assert [(p.command, p.confidence) for p in table(doc, "briefs").policies] == [
        ("select", "low"),
        ("delete", "low"),
    ]
