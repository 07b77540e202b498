"""The db-plan reader, notation by notation (FORMATS.md section b): tables, columns, enums, indexes."""

from __future__ import annotations

from stage_lsp.plan.model import PlanColumn
from tests.plan.dbplan import index_columns, names, read, rng, table


def col(name: str, line: int, col: int, **kw: object) -> tuple[object, ...]:
    return (name, rng(line, col, col + len(name)), *kw.values())


def view(c: PlanColumn) -> tuple[object, ...]:
    return (c.name, c.location.range, c.type, c.nullable, c.default, c.references, c.primary_key, c.unique)


MD_TABLES = """\
# Schemat bazy danych

## 1. Tabele

### users
| Kolumna | Typ | Ograniczenia | Opis |
|---|---|---|---|
| `id` | `uuid` | `PRIMARY KEY DEFAULT gen_random_uuid()` | identyfikator |
| `email` | `varchar(255)` | `NOT NULL UNIQUE` | adres |

### Orders
| Column | Data Type | Constraints | Description |
|--------|-----------|-------------|-------------|
| id | bigint | PRIMARY KEY | |
| user_id | uuid | NOT NULL, REFERENCES users(id) | owner |
| note | text | NULL | |

### camp_days
| Kolumna | Typ | Ograniczenia |
| id | uuid | PK DEFAULT gen_random_uuid() |
| day_number | int | NOT NULL |
"""


def test_markdown_column_tables_with_polish_and_english_headers() -> None:
    doc = read(MD_TABLES)
    assert names(doc) == ["users", "orders", "camp_days"]
    users = table(doc, "users")
    assert users.location.range == rng(4, 4, 9)
    assert [view(c) for c in users.columns] == [
        ("id", rng(7, 3, 5), "uuid", False, "gen_random_uuid()", None, True, False),
        ("email", rng(8, 3, 8), "varchar(255)", False, None, None, False, True),
    ]
    orders = table(doc, "orders")
    assert orders.location.range == rng(10, 4, 10)
    assert [view(c) for c in orders.columns] == [
        ("id", rng(13, 2, 4), "bigint", False, None, None, True, False),
        ("user_id", rng(14, 2, 9), "uuid", False, None, "users(id)", False, False),
        ("note", rng(15, 2, 6), "text", True, None, None, False, False),
    ]


def test_a_pipe_table_without_the_delimiter_row_is_still_a_column_table() -> None:
    camp = table(read(MD_TABLES), "camp_days")
    assert [(c.name, c.type, c.primary_key) for c in camp.columns] == [
        ("id", "uuid", True),
        ("day_number", "integer", False),
    ]
    assert camp.columns[1].location.range == rng(20, 2, 12)


BULLETS = """\
1. Tables

- `households`
  - `id UUID PRIMARY KEY DEFAULT gen_random_uuid()`
  - `user_id UUID NOT NULL UNIQUE REFERENCES auth.users(id) ON DELETE CASCADE`
- **profiles**
  - `display_name` (`text`, NULLABLE)
  - `auth_uid` uuid PRIMARY KEY NOT NULL — FK -> `auth.users(id)` (ON DELETE CASCADE)

## Other tables

### rates
- `daily_rate` DECIMAL(10,2) NOT NULL CHECK (`daily_rate` >= 0)
- id: UUID, PRIMARY KEY, NOT NULL, DEFAULT gen_random_uuid()
- `owner_id UUID PK` — **FK**→`auth.users(id)` (Supabase)
- **name**: `varchar(100)`
  - `NOT NULL`, `DEFAULT 'x'`
- UNIQUE (owner_id, name)
"""


def test_bullet_columns_in_every_sub_style() -> None:
    doc = read(BULLETS)
    assert names(doc) == ["households", "profiles", "rates"]
    assert table(doc, "households").location.range == rng(2, 3, 13)
    assert [view(c) for c in table(doc, "households").columns] == [
        ("id", rng(3, 5, 7), "uuid", False, "gen_random_uuid()", None, True, False),
        ("user_id", rng(4, 5, 12), "uuid", False, None, "auth.users(id)", False, True),
    ]
    assert [view(c) for c in table(doc, "profiles").columns] == [
        ("display_name", rng(6, 5, 17), "text", True, None, None, False, False),
        ("auth_uid", rng(7, 5, 13), "uuid", False, None, "auth.users(id)", True, False),
    ]
    assert [view(c) for c in table(doc, "rates").columns] == [
        ("daily_rate", rng(12, 3, 13), "numeric(10,2)", False, None, None, False, False),
        ("id", rng(13, 2, 4), "uuid", False, "gen_random_uuid()", None, True, False),
        ("owner_id", rng(14, 3, 11), "uuid", False, None, "auth.users(id)", True, False),
        ("name", rng(15, 4, 8), "varchar(100)", False, "'x'", None, False, False),
    ]


PROSE = """\
## Plan bazy danych (MVP) — opis wysokopoziomowy

Ten dokument opisuje model danych w formie opisowej (bez SQL).

## Encje domenowe

### 1) workouts (plan i realizacja)
- Przeznaczenie: jednostka treningowa.
- Kluczowe atrybuty: `user_id`, `planned_date` (UTC), `distance_m` (100–100000).

### 2) user_goals (cele użytkownika)
- Kluczowe atrybuty: `goal_type`, `due_date` (data).

## Założenia
- Decyzja 1: jedna tabela `workouts` zamiast dwóch.
"""


def test_prose_entities_with_key_attribute_lists() -> None:
    doc = read(PROSE)
    assert names(doc) == ["workouts", "user_goals"]
    workouts = table(doc, "workouts")
    assert workouts.location.range == rng(6, 7, 15)
    assert [c.name for c in workouts.columns] == ["user_id", "planned_date", "distance_m"]
    assert workouts.columns[1].location.range == rng(8, 33, 45)


SQL_AND_NEGATION = """\
# Database Plan

## 0. Types

```sql
CREATE TYPE public.deck_status AS ENUM ('draft', 'published');
```

- **attribute_type_enum**: ('strength', 'defense', 'health')
- `side_enum` = ('long','short')

## 1. Tables

### users
This table is managed by Supabase Auth.
- id: UUID PRIMARY KEY
- email: VARCHAR(255) NOT NULL UNIQUE

### `auth.users`
- `id` UUID PRIMARY KEY

### Decks Table

```sql
CREATE TABLE public.decks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES auth.users(id),
  status deck_status NOT NULL DEFAULT 'draft'
);
CREATE INDEX idx_decks_user ON public.decks (user_id);
```

Not part of the MVP:
- ❌ **ingredients** table (not needed for MVP)

### Materialized View: `deck_stats`
- `deck_id` uuid

## 2. Indexes
- index on `users(email)`
- B-TREE na `decks(status, user_id DESC)`
- primary key on `users(id)`
- (opcjonalnie) GIN na `decks(lower(status))`

## 9. Future (post-MVP)

### tags
- id: UUID PRIMARY KEY
"""


def test_sql_ddl_fences_give_tables_columns_and_indexes() -> None:
    decks = table(read(SQL_AND_NEGATION), "decks")
    assert decks.location.range == rng(21, 4, 9)  # the heading names the table
    assert [view(c) for c in decks.columns] == [
        ("id", rng(25, 2, 4), "uuid", False, "gen_random_uuid()", None, True, False),
        ("user_id", rng(26, 2, 9), "uuid", False, None, "auth.users(id)", False, False),
        ("status", rng(27, 2, 8), "deck_status", False, "'draft'", None, False, False),
    ]
    first = decks.indexes[0]
    assert (first.columns, first.name, first.location.range.line) == (("user_id",), "idx_decks_user", 29)


def test_a_table_only_in_sql_is_located_at_its_create_table() -> None:
    doc = read(
        '## Table Definitions\n\n### AI Chat Sessions Table\n\n```sql\nCREATE TABLE "public"."ai_chat_sessions" (\n  "id" uuid NOT NULL\n);\n```\n'
    )
    assert names(doc) == ["ai_chat_sessions"]
    assert table(doc, "ai_chat_sessions").location.range == rng(5, 13, 40)


def test_users_and_auth_users_are_different_tables() -> None:
    doc = read(SQL_AND_NEGATION)
    assert names(doc) == ["users", "auth.users", "decks"]
    assert table(doc, "auth.users").location.range == rng(18, 5, 15)
    assert [c.name for c in table(doc, "users").columns] == ["id", "email"]


def test_an_explicit_negation_is_a_rejected_table_not_a_planned_one() -> None:
    doc = read(SQL_AND_NEGATION)
    ingredients = table(doc, "ingredients")
    assert ingredients.rejected
    assert ingredients.location.range == rng(33, 6, 17)
    assert "ingredients" not in names(doc)


def test_views_and_future_sections_define_no_table() -> None:
    doc = read(SQL_AND_NEGATION)
    assert "deck_stats" not in [t.name for t in doc.tables]
    assert "tags" not in [t.name for t in doc.tables]


def test_enums_from_sql_and_from_bullets() -> None:
    doc = read(SQL_AND_NEGATION)
    assert [(e.name, e.values, e.location.range.line) for e in doc.enums] == [
        ("deck_status", ("draft", "published"), 5),
        ("attribute_type_enum", ("strength", "defense", "health"), 8),
        ("side_enum", ("long", "short"), 9),
    ]
    assert doc.enums[1].location.range == rng(8, 4, 23)


def test_indexes_from_prose_and_sql_primary_keys_excluded() -> None:
    doc = read(SQL_AND_NEGATION)
    assert index_columns(table(doc, "users")) == {("email",)}
    assert table(doc, "users").indexes[0].location.range == rng(39, 12, 24)
    decks = table(doc, "decks")
    assert index_columns(decks) == {("user_id",), ("status", "user_id"), ("lower(status)",)}
    optional = [i for i in decks.indexes if i.optional]
    assert [(i.columns, i.location.range) for i in optional] == [(("lower(status)",), rng(42, 24, 44))]


INDEX_PROSE = """\
## 1. Tables

### questions
- id: UUID PRIMARY KEY
- user_id: UUID NOT NULL

### plans
- id: UUID PRIMARY KEY
- trainer_id: UUID NOT NULL
- status: TEXT NOT NULL

## 3. Indeksy

- index on `questions(user_id)`
- primary key on `questions(id)`

### Indeksy dla tabeli plans
- B-TREE na `plans(trainer_id)`
- `INDEX` na `status`
- ~~`GIN INDEX` na `status`~~ — usunięty
- Indeks na kolumnie `trainer_id` w tabeli plans.
"""


def test_prose_index_forms() -> None:
    doc = read(INDEX_PROSE)
    questions = table(doc, "questions")
    assert [(i.columns, i.location.range) for i in questions.indexes] == [(("user_id",), rng(13, 12, 30))]
    plans = table(doc, "plans")
    assert [(i.columns, i.location.range) for i in plans.indexes] == [
        (("trainer_id",), rng(17, 13, 30)),
        (("status",), rng(18, 14, 20)),
    ]


DECISIONS = """\
# Plan bazy danych

<conversation_summary>
<decisions>
1. Użycie jednej tabeli `users` z kolumną `role`.
2. Tabela `plans` z kolumnami: `id`, `trainer_id`, `name`.
3. ❌ Tabela `exercises` nie jest potrzebna w MVP.
4. RLS włączone dla `plans`.
</decisions>

<matched_recommendations>
1. Tabela `sessions` dla historii; RLS wyłączone dla `plans`.
</matched_recommendations>
</conversation_summary>
"""


def test_a_planning_summary_decides_tables_and_its_recommendations_do_not() -> None:
    doc = read(DECISIONS)
    assert names(doc) == ["users", "plans"]
    assert table(doc, "users").location.range == rng(4, 25, 30)
    assert [(c.name, c.location.range) for c in table(doc, "plans").columns] == [
        ("id", rng(5, 32, 34)),
        ("trainer_id", rng(5, 38, 48)),
        ("name", rng(5, 52, 56)),
    ]
    assert table(doc, "exercises").rejected
    assert table(doc, "plans").rls is True  # the recommendation to switch it off is not a decision


def test_design_decisions_in_a_schema_plan_explain_and_define_nothing() -> None:
    text = "## Tables\n\n### profiles\n- id: UUID PRIMARY KEY\n\n## Design Decisions\n\n- Uses the built-in `auth.users` table\n"
    assert names(read(text)) == ["profiles"]


ENUM_FORMS = """\
## Enums
- `reservation_status`: ENUM ('aktywna', 'anulowana')
- `voice_slot_enum` ∈ {`EN1`,`EN2`}
- `workout_status`: planned | completed | skipped
- **press_review_status** – enum accepting values: `pending`, `success`, `failed`.

### quest_status
**Typ:** ENUM
**Wartości:** `saved`, `started`, `completed`

## Tables
### users
- role: ENUM('admin','trainer','client') NOT NULL
- status: reservation_status NOT NULL
"""


def test_enum_notations_and_an_inline_enum_column_is_a_column() -> None:
    doc = read(ENUM_FORMS)
    assert [(e.name, e.values, e.location.range) for e in doc.enums] == [
        ("reservation_status", ("aktywna", "anulowana"), rng(1, 3, 21)),
        ("voice_slot_enum", ("EN1", "EN2"), rng(2, 3, 18)),
        ("workout_status", ("planned", "completed", "skipped"), rng(3, 3, 17)),
        ("press_review_status", ("pending", "success", "failed"), rng(4, 4, 23)),
        ("quest_status", ("saved", "started", "completed"), rng(6, 4, 16)),
    ]
    users = table(doc, "users")
    assert [(c.name, c.type, c.nullable) for c in users.columns] == [
        ("role", "enum", False),
        ("status", "reservation_status", False),
    ]


LABELS_AND_DIAGRAMS = """\
1. Lista tabel

- **profiles**
  - `id` (`uuid`, PRIMARY KEY)
  - Ograniczenia: `PRIMARY KEY (id)`
- **favorites**
  - `id` (`uuid`, PRIMARY KEY)
  - `status` (`text`, NULLABLE): rejected or accepted

## Encje

#### 1.12 `user_profiles` – profile
### ta tabela będzie zarządzana przez Supabase Auth
- **email**: `varchar(320)`
  - adres e-mail, `NOT NULL`, `UNIQUE`

### workouts
- Kluczowe atrybuty realizacji (wymagane dla `status=completed`):
  - `distance_m` (100–100000), `completed_at` (UTC).
- Dane początkowe (seed): `easy`, `tempo`.

```mermaid
erDiagram
  WORKOUTS {
    uuid id PK
  }
  AUTH_USERS {
    uuid id PK
  }
```
"""


def test_labels_apply_to_their_own_list_and_subtitles_keep_the_table() -> None:
    doc = read(LABELS_AND_DIAGRAMS)
    assert names(doc) == ["profiles", "favorites", "user_profiles", "workouts"]
    assert [c.name for c in table(doc, "favorites").columns] == ["id", "status"]
    email = table(doc, "user_profiles").columns[0]
    assert (email.name, email.type, email.nullable, email.unique) == ("email", "varchar(320)", False, True)


def test_nested_attribute_lists_and_a_mermaid_diagram_give_columns_but_no_table() -> None:
    doc = read(LABELS_AND_DIAGRAMS)
    workouts = table(doc, "workouts")
    assert [(c.name, c.location.range) for c in workouts.columns] == [
        ("distance_m", rng(18, 5, 15)),
        ("completed_at", rng(18, 32, 44)),
        ("id", rng(24, 9, 11)),
    ]
    assert workouts.columns[2].primary_key
    assert "auth_users" not in [t.name for t in doc.tables]
    assert not any(t.rejected for t in doc.tables)  # "rejected" in a column note rejects nothing


OPTIONAL_SQL_INDEXES = """\
### activities
| Kolumna | Typ | Ograniczenia |
|---|---|---|
| id | uuid | PK |
| group_id | uuid | NOT NULL |
| title | text | NOT NULL |
| status | text | NOT NULL |

## Indeksy

```sql
CREATE INDEX idx_activities_group ON activities(group_id);
CREATE INDEX idx_activities_fts ON activities USING GIN (to_tsvector('simple', title)); -- (opcjonalnie, można usunąć)
-- Optional: when status filters become slow
CREATE INDEX idx_activities_status
  ON activities(status);
-- status lookups
CREATE INDEX idx_activities_title ON activities(title);
```
"""


def test_sql_indexes_marked_optional_in_their_comments() -> None:
    indexes = table(read(OPTIONAL_SQL_INDEXES), "activities").indexes
    assert [(i.columns, i.optional) for i in indexes] == [
        (("group_id",), False),
        (("to_tsvector('simple', title)",), True),
        (("status",), True),
        (("title",), False),
    ]


def test_index_access_methods_and_operator_classes() -> None:
    cols = "| Column | Type |\n|---|---|\n| id | uuid |\n| title | text |\n| tags | text[] |\n| at | timestamptz |\n"
    doc = read(
        "# DB\n\n"
        + "".join(f"### {t}\n\n{cols}\n" for t in ("notes", "decks", "cards", "reviews", "sessions"))
        + "## Indexes\n\n"
        "- GIN index on notes(tags)\n"
        "- `CREATE INDEX decks_trgm ON decks USING gin (title gin_trgm_ops);`\n"
        "- cards(at DESC) for the list; the hash of a password is never stored\n"
        "- indeks GIST na reviews(at), B-tree na reviews(title)\n\n"
        "```sql\ncreate index sessions_idx on public.sessions using gin (title gin_trgm_ops, tags);\n```\n"
    )
    seen = {(t.name, i.columns): (i.method, i.opclasses) for t in doc.tables for i in t.indexes}
    assert seen == {
        ("notes", ("tags",)): ("gin", ()),
        ("decks", ("title",)): ("gin", ("gin_trgm_ops",)),
        ("cards", ("at",)): (None, ()),  # "hash" is a method only after `using`
        ("reviews", ("at",)): ("gist", ()),
        ("reviews", ("title",)): (None, ()),  # the nearest method word before it: B-tree
        ("sessions", ("title", "tags")): ("gin", ("gin_trgm_ops", None)),
    }
