"""Multi-file plans: an index plan that links one file per endpoint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from stage_lsp.config.settings import Settings
from stage_lsp.core.location import Location, Range
from stage_lsp.workspace import Workspace
from tests.plan.api_helpers import PLAN, keys, one, read

INDEX = (
    "# API\n\n"
    "### 2.1 Sign Up\n\n[See details →](./specs/2.1-signup.md)\n\nRegister a user.\n\n"
    "### 9.1 Telemetry\n\n[See details →](./specs/9.1-telemetry.md)\n\n"
    "## 15. Edge functions\n| Endpoint | Method |\n|---|---|\n"
    "| `/functions/v1/signup` | POST |\n| `/functions/v1/health` | GET |\n"
)
SIGNUP = (
    "# 2.1 Sign Up\n\n**Endpoint:** `POST /functions/v1/signup` (Edge Function)  \n\n"
    '**Request Body:**\n\n```json\n{ "email": "a@b.c", "password": "x" }\n```\n\n'
    "**Success Response (200 OK):**\n\n**409 Conflict (Email Already Exists):**\n"
)
TELEMETRY = "# 9.1 Telemetry\n\n**Endpoint:** `RPC list_telemetry_events`\n"
SPEC = ".ai/specs/2.1-signup.md"


def test_an_index_link_is_followed_and_located_at_the_index_heading() -> None:
    doc = read(INDEX, {SPEC: SIGNUP, ".ai/specs/9.1-telemetry.md": TELEMETRY})
    assert keys(doc) == ["POST /functions/v1/signup", "GET /functions/v1/health"]
    signup = one(doc, "POST /functions/v1/signup")
    assert signup.location == Location(PLAN, Range(2, 0, 2, 15))
    assert signup.def_location == Location(SPEC, Range(2, 15, 2, 40))
    assert signup.status_codes == (200, 409)
    assert [f.name for f in signup.request_fields] == ["email", "password"]
    assert signup.request_fields[0].location.file == SPEC
    assert (signup.external, signup.title) == (True, "2.1 Sign Up")
    # the summary row repeats the linked definition; the health row is the only definition of its endpoint
    health = one(doc, "GET /functions/v1/health")
    assert (health.location.range.line, health.def_location) == (16, None)
    assert doc.linked_files == (SPEC, ".ai/specs/9.1-telemetry.md")
    assert doc.issues == ()


def test_a_missing_or_outside_linked_file_is_a_broken_link() -> None:
    doc = read(
        "### 2.1 Sign Up\n[details](./specs/nope.md)\n\n### 2.2 Out\n[details](../../../etc/x.md)\n", {}
    )
    assert keys(doc) == []
    assert [(i.code, i.location) for i in doc.issues] == [
        ("SL006", Location(PLAN, Range(1, 0, 1, 26))),
        ("SL006", Location(PLAN, Range(4, 0, 4, 28))),
    ]
    assert "`./specs/nope.md`" in doc.issues[0].message


def test_without_a_loader_links_are_recorded_but_not_followed() -> None:
    doc = read(INDEX)
    assert keys(doc) == ["POST /functions/v1/signup", "GET /functions/v1/health"]
    assert one(doc, "POST /functions/v1/signup").location.range.line == 15  # the summary row
    assert doc.linked_files == (SPEC, ".ai/specs/9.1-telemetry.md") and doc.issues == ()


def test_links_of_a_section_that_defines_an_endpoint_are_not_followed() -> None:
    doc = read("#### GET /api/books\nSee [the implementation plan](./impl/books.md).\n", {})
    assert keys(doc) == ["GET /api/books"]
    assert (doc.linked_files, doc.issues) == ((), ())


def test_workspace_rereads_an_index_when_a_linked_file_changes(
    make_project: Callable[[dict[str, str]], Path],
) -> None:
    root = make_project({".ai/api-plan.md": INDEX, SPEC: SIGNUP, ".ai/specs/9.1-telemetry.md": TELEMETRY})
    ws = Workspace(root, Settings(api_plans=[".ai/api-plan.md"]))
    ws.plan()
    first = ws._results[("api-plan", ".ai/api-plan.md")]
    ws.invalidate()
    ws.plan()
    # nothing changed: the cached read is reused (assembly builds new endpoints: it sets their stage)
    assert ws._results[("api-plan", ".ai/api-plan.md")] is first
    ws.overlays[SPEC] = SIGNUP.replace("409 Conflict", "422 Unprocessable Entity")
    ws.invalidate()
    signup = next(e for e in ws.plan().endpoints if e.key == "POST /functions/v1/signup")
    assert signup.status_codes == (200, 422)


def test_the_disk_cache_keeps_linked_reads_until_a_linked_file_changes(
    make_project: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    from stage_lsp.workspace.cache import DiskCache

    root = make_project({".ai/api-plan.md": INDEX, SPEC: SIGNUP, ".ai/specs/9.1-telemetry.md": TELEMETRY})

    def signup_statuses() -> tuple[int, ...]:
        store = DiskCache(tmp_path / "cache")
        ws = Workspace(root, Settings(api_plans=[".ai/api-plan.md"]), store=store)
        endpoint = next(e for e in ws.plan().endpoints if e.key == "POST /functions/v1/signup")
        store.save()
        return endpoint.status_codes

    assert signup_statuses() == (200, 409)
    assert signup_statuses() == (200, 409)  # from the store
    (root / SPEC).write_text(SIGNUP.replace("409 Conflict", "422 Unprocessable Entity"), encoding="utf-8")
    assert signup_statuses() == (200, 422)  # the index did not change, a linked file did
