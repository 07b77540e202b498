"""SL911-SL913 (PR mode) on hand-built models: silent without `--since`, what counts as removed."""

from __future__ import annotations

from stage_lsp.code.model import CodeModel
from stage_lsp.config.discovery import FileSet
from stage_lsp.config.settings import Settings
from stage_lsp.context import ChangeSet, CheckContext
from stage_lsp.core.issue import ReaderIssue
from stage_lsp.plan.model import (
    PlanColumn,
    PlanEndpoint,
    PlanField,
    PlanModel,
    PlanPolicy,
    PlanStatus,
    PlanTable,
)
from stage_lsp.rules import sl911_plan_changed_without_code as sl911
from stage_lsp.rules import sl912_code_changed_without_plan as sl912
from stage_lsp.rules import sl913_breaking_plan_change as sl913
from tests.findings import at

API = ".ai/api-plan.md"
DB = ".ai/db-plan.md"


def endpoint(
    method: str,
    path: str,
    line: int,
    *,
    fields: tuple[str, ...] = (),
    statuses: tuple[int, ...] = (),
    external: bool = False,
) -> PlanEndpoint:
    return PlanEndpoint(
        method,
        path,
        path,
        f"{method} {path.replace('{id}', '{}')}",
        at(API, line, 5),
        external=external,
        statuses=tuple(PlanStatus(s, at(API, line + 1)) for s in statuses),
        response_fields=tuple(PlanField(f, at(API, line + 2)) for f in fields),
        request_fields=(PlanField("name", at(API, line + 3)),) if method == "POST" else (),
    )


def table(name: str, line: int, columns: tuple[str, ...], policies: tuple[PlanPolicy, ...] = ()) -> PlanTable:
    return PlanTable(
        name, at(DB, line), tuple(PlanColumn(c, at(DB, line + 1)) for c in columns), policies=policies
    )


def files() -> FileSet:
    fs = FileSet()
    fs.plans["api"] = [API]
    fs.plans["db"] = [DB]
    fs.sources = ["src/pages/api/decks.ts"]
    return fs


def context(
    plan: PlanModel, changes: ChangeSet | None, route_files: tuple[str, ...] = ("src/pages/api/decks.ts",)
) -> CheckContext:
    code = CodeModel(framework="astro", route_files=route_files)
    return CheckContext(plan=plan, code=code, settings=Settings(), files=files(), changes=changes)


OLD = PlanModel(
    api_files=(API,),
    db_files=(DB,),
    endpoints=(
        endpoint("GET", "/api/decks", 10, fields=("id", "name"), statuses=(200, 404)),
        endpoint("POST", "/api/decks", 20, statuses=(201,)),
        endpoint("DELETE", "/api/decks/{id}", 30),
        endpoint("POST", "/auth/v1/token", 40, external=True),
    ),
    tables=(
        table(
            "decks",
            5,
            ("id", "name", "color"),
            (PlanPolicy("select", at(DB, 9), name="own"), PlanPolicy("delete", at(DB, 10), confidence="low")),
        ),
        table("tags", 20, ("id",)),
    ),
)
NEW = PlanModel(
    api_files=(API,),
    db_files=(DB,),
    endpoints=(
        endpoint("GET", "/api/decks", 12, fields=("id",), statuses=(200,)),
        endpoint("POST", "/api/decks", 22, statuses=(201,)),
    ),
    tables=(table("decks", 5, ("id", "name")),),
)


def messages(rule_check, ctx: CheckContext) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(f"{v.location.file}:{v.location.range.line + 1}: {v.message}" for v in rule_check(ctx))


def test_silent_without_pr_mode() -> None:
    ctx = context(NEW, None)
    assert [list(m.check(ctx)) for m in (sl911, sl912, sl913)] == [[], [], []]


def test_breaking_changes_are_listed_item_by_item() -> None:
    ctx = context(NEW, ChangeSet("main", "abc", frozenset({API, DB}), OLD, frozenset({API, DB})))
    assert messages(sl913.check, ctx) == sorted(
        [
            ".ai/api-plan.md:1: Endpoint `DELETE /api/decks/{id}` was removed from the plan since `main` (it was at .ai/api-plan.md:31)",
            ".ai/api-plan.md:13: Response field `name` of `GET /api/decks` was removed from the plan since `main`",
            ".ai/api-plan.md:13: Status 404 of `GET /api/decks` was removed from the plan since `main`",
            ".ai/db-plan.md:1: Table `tags` was removed from the plan since `main` (it was at .ai/db-plan.md:21)",
            ".ai/db-plan.md:6: Column `decks.color` was removed from the plan since `main`",
            ".ai/db-plan.md:6: RLS policy `own` (select) on `decks` was removed from the plan since `main`",
        ]
    )
    prints = [v.fingerprint for v in sl913.check(ctx)]
    assert len(set(prints)) == len(prints)


def test_nothing_is_removed_from_a_plan_that_cannot_be_read_now() -> None:
    unreadable = ReaderIssue("SL903", at(API, 0), "File not checked: binary", (API,))
    plan = PlanModel(api_files=(API,), db_files=(DB,), tables=NEW.tables, issues=(unreadable,))
    ctx = context(plan, ChangeSet("main", "abc", frozenset({API}), OLD, frozenset({API, DB})))
    assert all("Endpoint" not in m and "field" not in m for m in messages(sl913.check, ctx))


def test_plan_only_and_code_only_changes() -> None:
    plan_only = context(NEW, ChangeSet("main", "abc", frozenset({API, "README.md"}), OLD))
    assert messages(sl911.check, plan_only) == [
        ".ai/api-plan.md:1: This plan changed since `main` but no route, migration or types file did"
    ]
    assert messages(sl912.check, plan_only) == []
    both = context(NEW, ChangeSet("main", "abc", frozenset({API, "src/pages/api/decks.ts"}), OLD))
    assert messages(sl911.check, both) == messages(sl912.check, both) == []
    code_only = context(
        NEW,
        ChangeSet(
            "main",
            "abc",
            frozenset(
                {
                    "src/pages/api/decks.ts",
                    "src/pages/api/gone.ts",
                    "supabase/migrations/1_x.sql",
                    "src/lib/util.ts",
                }
            ),
            OLD,
        ),
    )
    assert messages(sl912.check, code_only) == [
        "src/pages/api/decks.ts:1: This file changed since `main` (and 2 other route, migration or types files) but no plan did"
    ]
    assert messages(sl911.check, code_only) == []
    helper_only = context(NEW, ChangeSet("main", "abc", frozenset({"src/lib/util.ts"}), OLD))
    assert messages(sl912.check, helper_only) == []
