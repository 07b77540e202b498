"""Plans written in words the corpus does not use: the reader follows the notation, not one project."""

from __future__ import annotations

from tests.plan.dbplan import commands, index_columns, names, read, table

ENGLISH = """\
# Data model

## Tables

### accounts
| Field | SQL type | Notes |
|---|---|---|
| id | uuid | primary key |
| owner_id | uuid | not null, fk → auth.users.id |
| balance | numeric(12,2) | default 0 |

### transfers
| Field | SQL type | Notes |
|---|---|---|
| id | uuid | primary key |
| account_id | uuid | not null, references accounts(id) |

## Indexes
- `transfers(account_id)` for account history
- unique index on accounts(owner_id)

## Security (RLS)
Row level security is enabled on both tables.

### accounts
- Owners can read and update their own account (`owner_id = auth.uid()`).
- Nobody can delete accounts.

### transfers
- Read: only the owner of the account.
- Insert: the owner of the account, via the transfer RPC.
"""


def test_an_english_plan_in_other_words() -> None:
    doc = read(ENGLISH)
    assert names(doc) == ["accounts", "transfers"]
    accounts = table(doc, "accounts")
    assert [
        (c.name, c.type, c.nullable, c.default, c.references, c.primary_key) for c in accounts.columns
    ] == [
        ("id", "uuid", False, None, None, True),
        ("owner_id", "uuid", False, None, "auth.users(id)", False),
        ("balance", "numeric(12,2)", None, "0", None, False),
    ]
    assert (accounts.rls, table(doc, "transfers").rls) == (True, True)
    assert commands(accounts) == {"select", "update"}  # "Nobody can delete" is not a policy
    assert {p.using for p in accounts.policies} == {"owner_id = auth.uid()"}
    assert commands(table(doc, "transfers")) == {"select", "insert"}
    assert index_columns(accounts) == {("owner_id",)}
    assert index_columns(table(doc, "transfers")) == {("account_id",)}


POLISH = """\
# Baza danych

## users
| Kolumna | Typ | Ograniczenia |
|---|---|---|
| id | uuid | PK |

## Tabela `orders`
Kolumny:
- `id` (uuid) – klucz główny
- `user_id` (uuid) – właściciel, FK do `users.id`
- `total` (numeric(10,2)) – suma, domyślnie 0

Relacje: `orders.user_id` → `users.id`.

## Polityki RLS
Na tabelach `users` i `orders` włączamy RLS.

```sql
create policy "own orders" on public.orders for all to authenticated using (user_id = (select auth.uid()));
```
"""


def test_a_polish_plan_in_other_words() -> None:
    doc = read(POLISH)
    assert names(doc) == ["users", "orders"]
    orders = table(doc, "orders")
    assert [(c.name, c.primary_key, c.references, c.default) for c in orders.columns] == [
        ("id", True, None, None),
        ("user_id", False, "users(id)", None),
        ("total", False, None, "0"),
    ]
    assert (table(doc, "users").rls, orders.rls) == (True, True)
    [policy] = orders.policies
    assert (policy.command, policy.roles, policy.using, policy.name) == (
        "all",
        ("authenticated",),
        "user_id = auth.uid()",
        "own orders",
    )
