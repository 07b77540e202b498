"""The link index (engine.links) on small projects written per test: what it pairs, both ways, and that it
agrees with the rules about what is implemented (SL101 missing, SL102 unplanned, SL401 table missing,
SL503 policy missing)."""

from __future__ import annotations

from pathlib import Path

from stage_lsp.code.model import Route, SchemaIndex, SchemaPolicy, SchemaTable
from stage_lsp.config.settings import Settings
from stage_lsp.core.location import Location, Range
from stage_lsp.engine import run_check, select_rules
from stage_lsp.engine.link_build import build_links
from stage_lsp.engine.links import LinkIndex
from stage_lsp.plan.model import PlanEndpoint, PlanIndex, PlanPolicy, PlanTable, StageItem
from stage_lsp.workspace import Workspace
from tests.conftest import EXAMPLE

API_PLAN = """# API

Base URL: `/api`

#### GET /decks
Lists decks.

#### POST /decks
Creates a deck.

#### PUT /decks/{id}
Replaces a deck.

#### GET /tags
Later.
"""

STAGES = """# Stages

## Stage 1 — Decks

- `GET /api/decks` (new)
- `POST /api/decks` (new)
- `PUT /api/decks/{id}` (new)
- Table: `decks` (new)

## Stage 2 — Tags

- `GET /api/tags` (new)
"""

DB_PLAN = """# DB

## Tables

### decks

| Column | Type | Constraints |
|--------|------|-------------|
| `id` | `uuid` | `PRIMARY KEY` |
| `user_id` | `uuid` | `NOT NULL` |

## Indexes

- index on `decks(user_id)`

## Row-level security

```sql
alter table decks enable row level security;
create policy decks_select on decks for select to authenticated using (auth.uid() = user_id);
create policy decks_delete on decks for delete to authenticated using (auth.uid() = user_id);
```
"""

MIGRATION = """create table decks (
  id uuid primary key,
  user_id uuid not null
);
create index decks_user_created on decks (user_id, id);
alter table decks enable row level security;
create policy decks_all on decks for all to authenticated using (auth.uid() = user_id);
create table notes (id uuid primary key);
"""

DECKS_ROUTE = """import type { APIRoute } from "astro";
export const prerender = false;
export const GET: APIRoute = async () => new Response("[]", { status: 200 });
export const POST: APIRoute = async () => new Response("{}", { status: 201 });
"""

DECK_ROUTE = """import type { APIRoute } from "astro";
export const prerender = false;
export const PATCH: APIRoute = async () => new Response(null, { status: 204 });
"""

EXTRA_ROUTE = """import type { APIRoute } from "astro";
export const prerender = false;
export const GET: APIRoute = async () => new Response("[]", { status: 200 });
"""

ALL_ROUTE = """import type { APIRoute } from "astro";
export const prerender = false;
export const ALL: APIRoute = async () => new Response("{}", { status: 200 });
"""


def project(root: Path, files: dict[str, str]) -> Path:
    base = {
        "package.json": '{ "dependencies": { "astro": "^5.0.0" } }\n',
        ".ai/api-plan.md": API_PLAN,
        ".ai/stages-plan.md": STAGES,
        ".ai/db-plan.md": DB_PLAN,
        "supabase/migrations/20250101000000_decks.sql": MIGRATION,
        "src/pages/api/decks/index.ts": DECKS_ROUTE,
        "src/pages/api/decks/[id].ts": DECK_ROUTE,
        "src/pages/api/extra.ts": EXTRA_ROUTE,
    }
    for rel, text in {**base, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def check(root: Path) -> tuple[LinkIndex, set[tuple[str, str]]]:
    result = run_check(Workspace(root, Settings()), select_rules(extend_select=["SL"]))
    assert result.context is not None
    findings = {(v.code, v.location.file) for v in result.violations}
    return build_links(result.context), {(v.code, v.message) for v in result.violations} | findings


def endpoint(links: LinkIndex, key: str) -> PlanEndpoint:
    (found,) = [e for e in links.endpoints if e.key == key]
    return found


def test_endpoints_pair_with_handlers_through_the_base_path_and_drift(tmp_path: Path) -> None:
    links, _ = check(project(tmp_path, {}))
    pairs = sorted((link.endpoint.key, link.route.key, link.kind) for link in links.route_links)
    assert pairs == [
        ("GET /decks", "GET /api/decks", "match"),
        ("POST /decks", "POST /api/decks", "match"),
        ("PUT /decks/{}", "PATCH /api/decks/{}", "method-drift"),
    ]
    get = endpoint(links, "GET /decks")
    (link,) = links.routes_of(get)
    assert link.route.location == Location("src/pages/api/decks/index.ts", Range(2, 13, 2, 16))
    assert links.definitions(get) == (link.route.location,)
    assert links.definitions(link.route) == (get.location,)
    assert links.endpoint_state(get) == "implemented"
    # stage 1 is done (the PUT counts, with its method drift), so stage 2 is current: `GET /tags` is due
    assert links.endpoint_state(endpoint(links, "GET /tags")) == "missing"


def test_link_states_agree_with_the_rules(tmp_path: Path) -> None:
    for root in (project(tmp_path / "small", {}), EXAMPLE):
        result = run_check(Workspace(root, Settings()), select_rules())
        assert result.context is not None
        links = build_links(result.context)
        sl101 = {v.entity[0] for v in result.violations if v.code == "SL101"}
        sl102 = {(v.location.file, v.location.range.line) for v in result.violations if v.code == "SL102"}
        missing = {e.key for e in links.endpoints if links.endpoint_state(e) == "missing"}
        assert missing == sl101
        implemented = {e.key for e in links.endpoints if links.endpoint_state(e) == "implemented"}
        assert not implemented & sl101
        unplanned = {
            (r.location.file, r.location.range.line) for r in links.routes if id(r) in links.unplanned
        }
        assert unplanned == sl102
        linked = {(r.location.file, r.location.range.line) for r in links.routes if links.endpoints_of(r)}
        assert not linked & sl102


def test_without_route_files_no_endpoint_is_missing(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    for rel in ("src/pages/api/decks/index.ts", "src/pages/api/decks/[id].ts", "src/pages/api/extra.ts"):
        (root / rel).unlink()
    links, findings = check(root)
    assert not any(code == "SL101" for code, _ in findings)
    assert {links.endpoint_state(e) for e in links.endpoints} == {"unknown"}


def test_tables_policies_indexes_and_columns_both_ways(tmp_path: Path) -> None:
    links, findings = check(project(tmp_path, {}))
    (table,) = [t for t in links.plan_tables if t.name == "decks"]
    tl = links.table_link(table)
    assert tl is not None and tl.actual.name == "decks"
    assert links.definitions(table) == (tl.actual.name_location,)
    assert links.definitions(tl.actual) == (table.location,)
    migration = "supabase/migrations/20250101000000_decks.sql"
    # one `for all` policy grants both planned policies (rules._policies.covering)
    select, delete = table.policies
    for planned in (select, delete):
        pl = links.policy_link(planned)
        assert pl is not None and [p.name for p in pl.actual] == ["decks_all"]
    (all_policy,) = tl.actual.policies
    assert sorted(pl.planned.command for pl in links.planned_policies(all_policy)) == ["delete", "select"]
    assert links.definitions(all_policy) == tuple(sorted((select.location, delete.location)))
    assert not any(code == "SL503" for code, _ in findings)
    # `notes` is not planned (SL403): known as such; `decks` is not
    notes = next(t for t in links.schema_tables if t.name == "notes")
    assert links.unplanned_tables == frozenset({id(notes)}) and any(c == "SL403" for c, _ in findings)
    # the planned index on (user_id) is served by the index on (user_id, id): a prefix, as SL406 says
    (planned_index,) = table.indexes
    il = links.index_link(planned_index)
    assert il is not None and [i.name for i in il.actual] == ["decks_user_created"]
    assert links.definitions(planned_index) == (Location(migration, il.actual[0].location.range),)
    # columns by name
    user_id = next(c for c in table.columns if c.name == "user_id")
    (target,) = links.definitions(user_id)
    assert target.file == migration and target.range.line == 2


def test_a_missing_policy_links_to_nothing(tmp_path: Path) -> None:
    migration = MIGRATION.replace("for all", "for select")
    links, findings = check(project(tmp_path, {"supabase/migrations/20250101000000_decks.sql": migration}))
    (table,) = [t for t in links.plan_tables if t.name == "decks"]
    select, delete = table.policies
    assert [p.name for p in links.policy_link(select).actual] == ["decks_all"]  # type: ignore[union-attr]
    assert links.policy_link(delete).actual == ()  # type: ignore[union-attr]
    assert links.definitions(delete) == ()
    assert any(code == "SL503" for code, _ in findings)


def test_positions_find_the_innermost_anchor(tmp_path: Path) -> None:
    links, _ = check(project(tmp_path, {}))
    migration = "supabase/migrations/20250101000000_decks.sql"
    # inside CREATE TABLE on a column name: the column; elsewhere in the statement: the table
    column = links.at(migration, 2, 3)
    assert column is not None and column.entity.name == "user_id"  # type: ignore[union-attr]
    statement = links.at(migration, 0, 2)
    assert statement is not None and isinstance(statement.entity, SchemaTable)
    rls = links.at(migration, 5, 10)  # `alter table decks enable row level security`
    assert rls is not None and rls.entity is statement.entity
    assert links.definitions(rls.entity) == (
        next(t for t in links.plan_tables if t.name == "decks").location,
    )
    policy = links.at(migration, 6, 10)
    assert policy is not None and isinstance(policy.entity, SchemaPolicy)
    index = links.at(migration, 4, 10)
    assert index is not None and isinstance(index.entity, SchemaIndex)
    # the end of a handler name still counts (the cursor after the word)
    handler = links.at("src/pages/api/decks/index.ts", 2, 16)
    assert handler is not None and isinstance(handler.entity, Route)
    assert links.at("src/pages/api/decks/index.ts", 2, 30) is None
    heading = links.at(".ai/api-plan.md", 4, 8)
    assert heading is not None and isinstance(heading.entity, PlanEndpoint)
    plan_policy = links.at(".ai/db-plan.md", 20, 20)
    assert plan_policy is not None and isinstance(plan_policy.entity, PlanPolicy)
    plan_index = links.at(".ai/db-plan.md", 13, 15)
    assert plan_index is not None and isinstance(plan_index.entity, PlanIndex)
    assert isinstance(links.at(".ai/db-plan.md", 4, 5).entity, PlanTable)  # type: ignore[union-attr]


def test_stage_items_resolve_to_plan_entities(tmp_path: Path) -> None:
    links, _ = check(project(tmp_path, {}))
    item = links.at(".ai/stages-plan.md", 4, 6)
    assert item is not None and isinstance(item.entity, StageItem)
    get = endpoint(links, "GET /decks")
    assert links.definitions(item.entity) == (get.location,)  # `GET /api/decks` names `GET /decks`
    refs = links.references(get)
    assert refs == tuple(
        sorted(
            (
                get.location,
                item.location,
                links.routes_of(get)[0].route.location,
            )
        )
    )
    assert links.references(get, include_declaration=False) == tuple(
        sorted((item.location, links.routes_of(get)[0].route.location))
    )
    assert links.references(item.entity) == refs
    table_item = links.at(".ai/stages-plan.md", 7, 12)
    assert table_item is not None and isinstance(table_item.entity, StageItem)
    (decks,) = [t for t in links.plan_tables if t.name == "decks"]
    assert links.definitions(table_item.entity) == (decks.location,)


def test_an_all_handler_is_one_anchor_per_method(tmp_path: Path) -> None:
    links, _ = check(project(tmp_path, {"src/pages/api/extra.ts": ALL_ROUTE}))
    anchors = links.all_at("src/pages/api/extra.ts", 2, 14)
    assert len(anchors) > 1
    assert {a.location for a in anchors} == {anchors[0].location}
    assert all(isinstance(a.entity, Route) for a in anchors)


def test_unreadable_schema_links_no_tables(tmp_path: Path) -> None:
    root = project(tmp_path, {})
    (root / "supabase/migrations/20250102000000_blob.sql").write_bytes(b"\x00\x01\x02binary\x00migration\x00")
    links, _ = check(root)
    assert links.table_links == () and links.policy_links == ()
    (table,) = [t for t in links.plan_tables if t.name == "decks"]
    assert links.definitions(table) == ()
    assert id(table) not in links.missing_tables
    assert links.unplanned_tables == frozenset()  # nothing is "not in the plan" while the schema is unknown


def test_a_multi_file_plan_links_from_the_index_and_from_the_linked_file(tmp_path: Path) -> None:
    index = "# API\n\n### Create a deck\n\n[See details](./specs/create-deck.md)\n"
    spec = "# Create a deck\n\n**Endpoint:** `POST /api/decks`\n\n**Success Response (201 Created)**\n"
    root = project(tmp_path, {".ai/api-plan.md": index, ".ai/specs/create-deck.md": spec})
    links, _ = check(root)
    (post,) = [e for e in links.endpoints if e.key == "POST /api/decks"]
    assert post.def_location is not None and post.def_location.file == ".ai/specs/create-deck.md"
    (route,) = [link.route for link in links.routes_of(post)]
    for where in (post.location, post.def_location):
        anchor = links.at(where.file, where.range.line, where.range.col)
        assert anchor is not None and anchor.entity is post
        assert links.definitions(anchor.entity) == (route.location,)
    (staged,) = links.stage_mentions("endpoint", ("POST /api/decks",))  # `- POST /api/decks (new)`
    assert links.references(route) == tuple(
        sorted((post.location, post.def_location, staged, route.location))
    )
