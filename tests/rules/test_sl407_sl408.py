"""SL407 migration-syntax-error and SL408 migration-order, through the workspace and the engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from stage_lsp.config.settings import Settings
from stage_lsp.core.location import Range
from stage_lsp.core.violation import Violation
from stage_lsp.engine import run_check, select_rules
from stage_lsp.workspace import Workspace

Make = Callable[[dict[str, str]], Path]
M = "supabase/migrations/"


def check(root: Path, code: str) -> list[Violation]:
    result = run_check(Workspace(root, Settings()), select_rules([code]))
    assert result.internal_errors == ()
    return list(result.violations)


def test_sl407_reports_the_token_and_keeps_reading(make_project: Make) -> None:
    root = make_project(
        {
            M + "20250101000000_init.sql": "create table a (id int);\n\ncreate tabel b (id int);\n",
            M + "20250102000000_more.sql": "alter table a enable row level security;\n",
        }
    )
    (v,) = check(root, "SL407")
    assert (v.code, v.location.file, v.location.range) == (
        "SL407",
        M + "20250101000000_init.sql",
        Range(2, 7, 2, 12),
    )
    assert 'syntax error at or near "tabel"' in v.message
    code = Workspace(root, Settings()).code()
    assert [(t.name, t.rls) for t in code.tables] == [("a", True)]


def test_sl407_is_silent_on_valid_migrations_and_comments(make_project: Make) -> None:
    root = make_project(
        {
            M
            + "20250101000000_init.sql": "-- crate tabel nonsense\ncreate table a (id int);\n/* alter tabel */\n",
        }
    )
    assert check(root, "SL407") == []


def test_sl408_table_created_by_a_later_migration(make_project: Make) -> None:
    root = make_project(
        {
            M + "20250120120000_policies.sql": "create policy own on flashcards for select using (true);\n",
            M + "20251111130000_create.sql": "create table flashcards (id int);\n",
        }
    )
    (v,) = check(root, "SL408")
    assert (v.location.file, v.location.range) == (M + "20250120120000_policies.sql", Range(0, 0, 0, 55))
    assert v.related[0].location.file == M + "20251111130000_create.sql"


def test_sl408_duplicate_version(make_project: Make) -> None:
    root = make_project(
        {
            M + "20251109000000_cleanup.sql": "select 1;\n",
            M + "20251109000000_cleanup_SECURE.sql": "select 2;\n",
        }
    )
    (v,) = check(root, "SL408")
    assert v.location.file == M + "20251109000000_cleanup_SECURE.sql"
    assert "20251109000000" in v.message


@pytest.mark.parametrize(
    "files",
    [
        {
            M + "20250101000000_create.sql": "create table flashcards (id int);\n",
            M + "20250102000000_policies.sql": "create policy own on flashcards for select using (true);\n",
        },
        {M + "20250101000000_other.sql": "create policy p on storage.objects for select using (true);\n"},
    ],
)
def test_sl408_silent_in_order_and_for_tables_migrations_never_create(
    make_project: Make, files: dict[str, str]
) -> None:
    assert check(make_project(files), "SL408") == []


def test_migrations_are_read_once_per_content(make_project: Make, monkeypatch: pytest.MonkeyPatch) -> None:
    import stage_lsp.workspace.workspace as ws_module

    calls: list[str] = []
    original = ws_module.read_migration

    def counting(src):  # type: ignore[no-untyped-def]
        calls.append(src.rel)
        return original(src)

    monkeypatch.setattr(ws_module, "read_migration", counting)
    root = make_project(
        {
            M + "20250101000000_a.sql": "create table a (id int);\n",
            M + "20250102000000_b.sql": "alter table a enable row level security;\n",
        }
    )
    ws = Workspace(root, Settings())
    assert [t.rls for t in ws.code().tables] == [True]
    ws.invalidate()
    ws.overlays[M + "20250102000000_b.sql"] = "alter table a disable row level security;\n"
    assert [t.rls for t in ws.code().tables] == [False]
    assert sorted(calls) == [
        M + "20250101000000_a.sql",
        M + "20250102000000_b.sql",
        M + "20250102000000_b.sql",
    ]
