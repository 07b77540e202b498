"""The controls on the database side, end to end through the CLI: SQL and markdown suppressions (next line
and whole file), SL901 for an unused one, and stage awareness (`--stage N`, later stages, `unchanged`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
Make = Callable[[dict[str, str]], Path]

DB_PLAN = """\
# Database plan

## Tables

### decks
| Column | Type | Constraints |
|---|---|---|
| id | uuid | PRIMARY KEY |
| user_id | uuid | NOT NULL |

### reports
| Column | Type | Constraints |
|---|---|---|
| id | uuid | PRIMARY KEY |

### audit
| Column | Type | Constraints |
|---|---|---|
| id | uuid | PRIMARY KEY |

### stats
| Column | Type | Constraints |
|---|---|---|
| id | uuid | PRIMARY KEY |

## Indexes

- index on `decks(user_id)`

## RLS

```sql
alter table decks enable row level security;
create policy decks_select on decks for select to authenticated using (auth.uid() = user_id);
```
"""

STAGES = """\
# Stages

## Stage 1 - Decks
- Table `decks` — new

## Stage 2 - Reports
- Table `reports` — new
- Table `audit` — unchanged

## Stage 3 - Stats
- Table `stats` — new
"""

CREATE = """\
create table public.decks (id uuid primary key, user_id uuid not null);
alter table public.decks enable row level security;
create policy decks_select on public.decks for select to authenticated using (auth.uid() = user_id);
"""

DISABLE = "alter table public.decks disable row level security;\n"


def _found(cli: Cli, root: Path, *args: str) -> list[tuple[str, str, int]]:
    doc = cli("--check", str(root), "--output-format", "json", "--select", "SL4,SL5,SL9", *args).json()
    assert isinstance(doc, dict)
    return [(d["code"], d["file"], d["line"]) for d in doc["diagnostics"]]


def _project(make: Make, plan: str = DB_PLAN, **migrations: str) -> Path:
    files = {".ai/db-plan.md": plan, ".ai/stages-plan.md": STAGES}
    files.update({f"supabase/migrations/{name}.sql": text for name, text in migrations.items()})
    return make(files)


def test_stages_decide_what_is_missing_yet(cli: Cli, make_project: Make) -> None:
    root = _project(make_project, **{"20250101000000_decks": CREATE})
    index = (("SL406", ".ai/db-plan.md", 28),)
    reports = (("SL401", ".ai/db-plan.md", 11),)
    audit = (("SL401", ".ai/db-plan.md", 16),)  # only "unchanged" in a stage: expected to exist already
    stats = (("SL401", ".ai/db-plan.md", 21),)
    # stage 1 is done (decks exists), so stage 2 is current: stage 3's table is not missing yet
    assert _found(cli, root) == sorted(index + reports + audit)
    # --stage N: N is current, and only findings about its items (and unstaged ones) are shown
    assert _found(cli, root, "--stage", "1") == sorted(index + audit)
    assert _found(cli, root, "--stage", "2") == sorted(reports + audit)
    assert _found(cli, root, "--stage", "3") == sorted(audit + stats)


def test_sql_and_markdown_suppressions(cli: Cli, make_project: Make) -> None:
    root = _project(make_project, **{"20250101000000_decks": CREATE, "20250102000000_dev": DISABLE})
    assert _found(cli, root, "--stage", "1") == [
        ("SL401", ".ai/db-plan.md", 16),
        ("SL406", ".ai/db-plan.md", 28),
        ("SL501", "supabase/migrations/20250102000000_dev.sql", 1),
    ]
    plan = DB_PLAN.replace(
        "- index on `decks(user_id)`",
        "<!-- stage-lsp: ignore[SL406] the primary key serves it -->\n- index on `decks(user_id)`",
    ).replace("### audit", "<!-- stage-lsp: ignore[SL401] created by the auth service -->\n### audit")
    root = _project(
        make_project,
        plan,
        **{
            "20250101000000_decks": CREATE,
            "20250102000000_dev": "-- stage-lsp: ignore[SL501] local development database only\n" + DISABLE,
        },
    )
    assert _found(cli, root, "--stage", "1") == []
    # a file-wide suppression, and a next-line one that has nothing left to suppress
    root = _project(
        make_project,
        plan,
        **{
            "20250101000000_decks": "-- stage-lsp: ignore[SL502] nothing to see here\n" + CREATE,
            "20250102000000_dev": "-- stage-lsp: ignore-file[SL5] local development database only\n"
            + "\n"
            + DISABLE,
        },
    )
    assert _found(cli, root, "--stage", "1") == [("SL901", "supabase/migrations/20250101000000_decks.sql", 1)]
    assert _found(cli, root, "--stage", "1", "--ignore", "SL502") == []
