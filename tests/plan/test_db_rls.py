"""RLS intent in db plans: enabled per table (SQL or prose) and policies (CREATE POLICY or prose)."""

from __future__ import annotations

from stage_lsp.plan.model import PlanPolicy
from tests.plan.dbplan import commands, read, rng, table


def pol(p: PlanPolicy) -> tuple[object, ...]:
    return (p.command, p.location.range.line, p.roles, p.using, p.with_check, p.name, p.confidence)


SQL = """\
## Tables

### notes
- id: UUID PRIMARY KEY
- user_id: UUID NOT NULL

### logs
- id: UUID PRIMARY KEY

## RLS

```sql
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_select ON public.notes FOR SELECT TO authenticated USING ((SELECT auth.uid()) = user_id);
CREATE POLICY notes_write ON notes FOR INSERT, UPDATE TO authenticated WITH CHECK (user_id = auth.uid()::uuid);
alter table logs disable row level security;
```
"""


def test_rls_and_policies_from_sql_normalised() -> None:
    doc = read(SQL)
    notes = table(doc, "notes")
    assert notes.rls is True
    assert notes.rls_location is not None and notes.rls_location.range == rng(12, 0, 50)
    assert [pol(p) for p in notes.policies] == [
        ("select", 13, ("authenticated",), "auth.uid() = user_id", None, "notes_select", "high"),
        ("insert", 14, ("authenticated",), None, "user_id = auth.uid()", "notes_write", "high"),
        ("update", 14, ("authenticated",), None, "user_id = auth.uid()", "notes_write", "high"),
    ]
    assert table(doc, "logs").rls is False


def test_a_multi_command_policy_is_split_and_reported_as_sql_that_does_not_parse() -> None:
    doc = read(SQL)
    assert [(i.code, i.location.range) for i in doc.issues] == [("SL007", rng(14, 45, 46))]
    assert "read once per command" in doc.issues[0].message


PROSE_TARGETS = """\
## Encje

### workouts
- id: UUID PRIMARY KEY
- user_id: UUID NOT NULL

### goals
- id: UUID PRIMARY KEY
- user_id: UUID NOT NULL

### training_types
- code: TEXT PRIMARY KEY

### ai_logs
- id: UUID PRIMARY KEY

## Zasady bezpieczeństwa (RLS)

- RLS włączone dla: `workouts`, `goals`.
- Polityki: SELECT/INSERT/UPDATE/DELETE wyłącznie gdy `user_id = auth.uid()` (USING i WITH CHECK).
- `ai_logs` — dostęp tylko dla service-role; dane techniczne, bez RLS.
"""


def test_prose_enables_rls_for_listed_tables_and_a_rule_without_a_table_applies_to_them() -> None:
    doc = read(PROSE_TARGETS)
    for name in ("workouts", "goals"):
        t = table(doc, name)
        assert t.rls is True
        assert t.rls_location is not None and t.rls_location.range == rng(18, 2, 40)
        assert [pol(p) for p in t.policies] == [
            ("select", 19, None, "user_id = auth.uid()", None, None, "low"),
            ("insert", 19, None, None, "user_id = auth.uid()", None, "low"),
            ("update", 19, None, "user_id = auth.uid()", None, None, "low"),
            ("delete", 19, None, "user_id = auth.uid()", None, None, "low"),
        ]
    assert table(doc, "training_types").rls is None
    assert table(doc, "training_types").policies == ()
    ai_logs = table(doc, "ai_logs")
    assert (ai_logs.rls, ai_logs.policies) == (False, ())


BLANKET = """\
## 1. Tables

### `auth.users`
- id: UUID PRIMARY KEY

### users
- id: UUID PRIMARY KEY

### decks
- id: UUID PRIMARY KEY

### props
- id: UUID PRIMARY KEY

## 4. RLS
- **Bez RLS** - props
- Enable RLS on all tables
"""


def test_rls_on_all_tables_skips_other_schemas_and_tables_switched_off_by_name() -> None:
    doc = read(BLANKET)
    assert {t.name: t.rls for t in doc.tables} == {
        "auth.users": None,
        "users": True,
        "decks": True,
        "props": False,
    }
    decks = table(doc, "decks")
    assert decks.rls_location is not None and decks.rls_location.range == rng(16, 2, 26)


PER_OPERATION = """\
## 1. Tables

### questions
- id: UUID PRIMARY KEY
- user_id: UUID NOT NULL

### orders
- id: UUID PRIMARY KEY

### order_items
- id: UUID PRIMARY KEY

### profiles
- id: UUID PRIMARY KEY

### caches
- id: UUID PRIMARY KEY

## 4. Row-Level Security Policies for `questions`
1. **Enable RLS** on table.
2. **Select**: allow if `user_id = auth.uid()`.
3. **Insert**: allow if `auth.uid() = user_id`.
4. **Delete**: no policy (deletion disabled).

## 5. RLS – tabele domenowe

Przykładowo (pseudokodowo):

```sql
CREATE POLICY orders_select ON orders
FOR SELECT
USING (true);

CREATE POLICY orders_write ON orders
FOR INSERT, UPDATE, DELETE
USING (is_admin());
```

Analogiczne polityki mogą zostać zastosowane do `order_items`.

## 6. RLS – `profiles`

- RLS można wyłączyć (profil zarządzany przez administratora) lub:
  - `SELECT`: użytkownik może odczytać swój własny rekord.

## 7. Polityki

- **caches**
  - RLS włączone.
  - Polityki: publiczne odczyty (`using (true)`), modyfikacje tylko przez rolę serwisową.
"""


def test_prose_per_operation_statements_and_no_policy_statements() -> None:
    questions = table(read(PER_OPERATION), "questions")
    assert questions.rls is True
    assert questions.rls_location is not None and questions.rls_location.range == rng(19, 3, 27)
    assert [pol(p) for p in questions.policies] == [
        ("select", 20, None, "user_id = auth.uid()", None, None, "high"),
        ("insert", 21, None, None, "auth.uid() = user_id", None, "high"),
    ]
    assert questions.policies[0].location.range == rng(20, 3, 47)


def test_hedged_pseudo_code_is_low_confidence_intent_without_a_diagnostic() -> None:
    doc = read(PER_OPERATION)
    orders = table(doc, "orders")
    assert [pol(p) for p in orders.policies] == [
        ("select", 29, None, "true", None, "orders_select", "low"),
        ("insert", 33, None, "is_admin()", None, "orders_write", "low"),
        ("update", 33, None, "is_admin()", None, "orders_write", "low"),
        ("delete", 33, None, "is_admin()", None, "orders_write", "low"),
    ]
    assert orders.rls is True  # policies without an ENABLE statement mean RLS is on
    assert doc.issues == ()


def test_analogous_policies_are_copied_to_the_tables_named() -> None:
    items = table(read(PER_OPERATION), "order_items")
    assert commands(items) == {"select", "insert", "update", "delete"}
    assert {p.location.range for p in items.policies} == {rng(38, 0, 62)}


def test_a_hedged_rls_statement_leaves_rls_undecided() -> None:
    profiles = table(read(PER_OPERATION), "profiles")
    assert profiles.rls is None
    assert [pol(p) for p in profiles.policies] == [("select", 43, None, None, None, None, "low")]


def test_polish_free_form_policies_with_roles() -> None:
    caches = table(read(PER_OPERATION), "caches")
    assert caches.rls is True
    assert [pol(p) for p in caches.policies] == [
        ("select", 49, None, "true", None, None, "low"),
        ("all", 49, ("service_role",), None, None, None, "low"),
    ]


POLICY_TABLE = """\
## Tabele

### quests
| Kolumna | Typ | Ograniczenia |
|---|---|---|
| id | uuid | PRIMARY KEY |
| user_id | uuid | NOT NULL |

## 8. Row Level Security (RLS)

### Tabela: quests

| Polityka | Operacja | Warunek |
|----------|----------|---------|
| Users can view own quests | SELECT | user_id = auth.uid() |
| Users can insert own quests | INSERT | user_id = auth.uid() |
"""


def test_policy_tables() -> None:
    quests = table(read(POLICY_TABLE), "quests")
    assert [pol(p) for p in quests.policies] == [
        ("select", 14, None, "user_id = auth.uid()", None, "Users can view own quests", "high"),
        ("insert", 15, None, None, "user_id = auth.uid()", "Users can insert own quests", "high"),
    ]
    assert quests.policies[0].location.range == rng(14, 2, 59)


VALUE_NOT_CONDITION = """\
## Tables

### events
- `event_id` UUID PRIMARY KEY
- `user_id` UUID NULL

### notes
- `id` UUID PRIMARY KEY
- `owner_id` UUID NOT NULL

## Policies

- `events`
  - INSERT: allowed through the server function only; permits rows when `auth.uid()` is not required
  - SELECT: allowed when `user_id` equals `(select auth.uid())`
- `notes`
  - SELECT: allowed when `auth.uid()` matches, i.e. `owner_id = auth.uid()`
"""


def test_an_auth_function_alone_is_a_value_not_a_condition() -> None:
    doc = read(VALUE_NOT_CONDITION)
    assert [(p.command, p.using, p.with_check) for p in table(doc, "events").policies] == [
        ("insert", None, None),
        ("select", None, None),
    ]
    assert [(p.command, p.using) for p in table(doc, "notes").policies] == [
        ("select", "owner_id = auth.uid()")
    ]
