"""Navigation's parts without a client: client columns to code points, positions across an unchecked
edit (TextShift), the snapshot a check job leaves, lens titles."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from stage_lsp.code.model import CodeField, FieldSet
from stage_lsp.config.settings import Settings
from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile
from stage_lsp.engine import run_check, select_rules
from stage_lsp.engine.link_build import build_links
from stage_lsp.engine.links import LinkIndex
from stage_lsp.lsp.checker import build_navigation, run_job
from stage_lsp.lsp.completion import holders, planned_fields
from stage_lsp.lsp.convert import client_column
from stage_lsp.lsp.nav_request import NavRequest, guarded
from stage_lsp.lsp.nav_state import NavSnapshot, TextShift, capture, code_point_column, lsp_text
from stage_lsp.lsp.nav_text import endpoint_lens, route_lens
from stage_lsp.lsp.roots import Pending, Roots, RootState
from stage_lsp.plan.model import PlanStatus
from stage_lsp.workspace import Workspace
from tests.conftest import EXAMPLE
from tests.lsp.demo import DECKS, write_demo
from tests.rules import builders

pytestmark = pytest.mark.lsp

LINE = "#### 🎉 Źródło: GET /api/źródła"  # emoji = 2 UTF-16 units, 4 UTF-8 bytes; Ź, ó, ł, ź = 2 bytes


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_code_point_column_inverts_client_column(encoding: str) -> None:
    for col in range(len(LINE) + 1):
        assert code_point_column(LINE, client_column(LINE, col, encoding), encoding) == col
    assert code_point_column(LINE, 10_000, encoding) == len(LINE)  # past the end: the end
    assert code_point_column(LINE, -3, encoding) == 0


def test_a_client_column_inside_a_character_is_that_character() -> None:
    # the emoji is at code point 5: UTF-16 units 5-6, UTF-8 bytes 5-8
    assert code_point_column(LINE, 6, "utf-16") == 6  # after the emoji's first unit: the next character
    assert code_point_column(LINE, 7, "utf-8") == 6


def test_text_shift_maps_around_one_edit() -> None:
    old = "a = z.object({\n  front: x,\n});\nexport const y = 1;\n"
    new = "a = z.object({\n  front: x,\n  de\n});\nexport const y = 1;\n"
    shift = TextShift(old, new)
    assert shift.to_old(0, 5) == (0, 5)  # before the edit
    assert shift.to_old(4, 7) == (3, 7)  # after it: one line up
    assert shift.to_old(2, 4) == (2, 0)  # inside it (the cursor after `de`): where the edit starts
    assert shift.to_new(3, 7) == (4, 7)
    assert shift.to_new(1, 2) == (1, 2)


def test_text_shift_of_a_deletion_and_of_equal_texts() -> None:
    shift = TextShift("a\nbbb\ncc\n", "a\ncc\n")
    assert shift.to_new(2, 1) == (1, 1)
    assert shift.to_new(1, 1) == (1, 0)  # deleted text maps to where the deletion was
    assert shift.to_old(1, 1) == (2, 1)
    same = TextShift("x\ny\n", "x\ny\n")
    assert same.to_old(1, 1) == (1, 1) and same.to_new(1, 1) == (1, 1)


def test_lsp_text_breaks_lines_like_the_readers() -> None:
    assert lsp_text("a\r\nb\rc\n") == "a\nb\nc\n"


def test_the_snapshot_of_a_check_holds_the_texts_it_points_into(tmp_path: Path) -> None:
    root = write_demo(tmp_path / "demo")
    state = RootState(root=root, uri=root.as_uri(), name="demo")
    run_job(state, Pending(), {}, "utf-16", False)
    assert state.nav_built is None, "the check job does not build the snapshot"
    snap, errors = build_navigation(state)
    assert isinstance(snap, NavSnapshot) and errors == []
    assert ".ai/api-plan.md" in snap.sources and "src/pages/api/decks/index.ts" in snap.sources
    # CRLF files are kept as the readers saw them (LF), so positions agree with the models
    export = snap.lines("src/pages/api/decks/export.ts")
    assert export is not None and "\r" not in export.text
    assert build_navigation(state) == (None, []), "no check since: nothing new to build"


def _decks_route_lines(snap: NavSnapshot) -> list[int]:
    return sorted(r.location.range.line for r in snap.code.routes if r.location.file == DECKS)


def test_the_snapshot_is_reused_while_the_check_changed_nothing_and_rebuilt_after_an_edit(
    tmp_path: Path,
) -> None:
    root = write_demo(tmp_path / "demo")
    state = RootState(root=root, uri=root.as_uri(), name="demo")
    run_job(state, Pending(), {}, "utf-16", False)
    first, _ = build_navigation(state)
    assert first is not None and _decks_route_lines(first) == [4, 6]
    run_job(state, Pending(), {}, "utf-16", False)  # nothing changed
    again, _ = build_navigation(state)
    assert again is first
    moved = "// a new first line\n" + (root / DECKS).read_text(encoding="utf-8")
    run_job(state, Pending(overlays={DECKS: (moved, 2)}), {}, "utf-16", False)
    edited, _ = build_navigation(state)
    assert edited is not None and edited is not first
    assert _decks_route_lines(edited) == [5, 7], "the routes as edited"
    src = edited.sources[DECKS]
    assert src.text == moved
    (anchor,) = [a for a in edited.links.in_file(DECKS) if a.location.range.line == 5]
    assert src.lines.line(5)[anchor.location.range.col :].startswith("GET")


def test_a_failed_check_builds_no_snapshot_from_older_models(tmp_path: Path) -> None:
    root = write_demo(tmp_path / "demo")
    state = RootState(root=root, uri=root.as_uri(), name="demo")
    run_job(state, Pending(), {}, "utf-16", False)
    assert state.nav_input is not None

    def boom(*args: object) -> None:
        raise RuntimeError("boom")

    assert state.ws is not None
    state.ws.plan = boom  # type: ignore[method-assign]
    outcome = run_job(state, Pending(overlays={DECKS: ("export const x = 1;\n", 2)}), {}, "utf-16", False)
    assert outcome.diagnostics is None and "boom" in outcome.errors[0]
    assert state.nav_input is None and build_navigation(state) == (None, [])


def test_lens_titles_on_the_example() -> None:
    ws = Workspace(EXAMPLE, Settings())
    result = run_check(ws, select_rules())
    assert result.context is not None
    snap = capture(ws, result.context)
    by_key = {e.key: e for e in snap.plan.endpoints}
    assert endpoint_lens(by_key["GET /api/decks"], snap) == (
        "implemented in src/pages/api/decks/index.ts · GET, POST · statuses 2/2"
    )
    assert endpoint_lens(by_key["GET /api/generations/{}"], snap) == "not implemented"
    (export,) = [r for r in snap.links.routes if r.key == "GET /api/flashcards/export"]
    assert route_lens(export, snap.links) == "not in the plan"


class FakeScheduler:
    closed = False


class FakeServer:
    """What NavRequest and `guarded` use of the server."""

    def __init__(self, roots: Roots) -> None:
        self.roots = roots
        self.scheduler = FakeScheduler()
        self.logs: list[tuple[str, bool]] = []

    def position_encoding(self) -> str:
        return "utf-16"

    def log(self, message: str, kind: object = None, *, once: bool = False) -> None:
        self.logs.append((message, once))


async def test_requests_before_the_first_check_answer_nothing(tmp_path: Path) -> None:
    roots = Roots()
    state = roots.add(tmp_path.as_uri())
    assert state is not None and state.navigation is None
    ls = FakeServer(roots)
    uri = (tmp_path / ".ai" / "api-plan.md").as_uri()
    assert await NavRequest.open(ls, uri) is None  # type: ignore[arg-type]
    outside = (tmp_path.parent / "x.ts").as_uri()
    assert await NavRequest.open(ls, outside) is None  # type: ignore[arg-type]


async def test_a_failing_handler_answers_nothing_and_logs_once(tmp_path: Path) -> None:
    ls = FakeServer(Roots())

    async def hover(ls: FakeServer, params: object) -> str:
        raise RuntimeError("boom")

    assert await guarded(hover)(ls, None) is None  # type: ignore[arg-type]
    ((message, once),) = ls.logs
    assert message.startswith("hover failed:") and "RuntimeError: boom" in message and once


@pytest.mark.parametrize(
    ("planned", "served", "complete", "title"),
    [
        ([201, 400, 404], [201, 400], True, "statuses 2/3"),
        ([200, 201, 400], [200, 400], True, "statuses 3/3"),  # 200 and 201: alternatives
        ([201, 400], [200, 400], True, "statuses 1/2"),  # success drift (SL203): 201 not seen
        ([200, 500], [200], True, "statuses 2/2"),  # any handler can answer 500
        ([200, 404], [200], False, "statuses ≥1/2"),  # an unresolved status may be the 404
    ],
)
def test_lens_status_counts_agree_with_sl202(
    planned: list[int], served: list[int], complete: bool, title: str
) -> None:
    e = builders.endpoint("POST /api/x", statuses=planned)
    r = builders.route("POST /api/x", statuses=served, complete=complete)
    ctx = builders.context([e], [r])
    snap = NavSnapshot(build_links(ctx), ctx.plan, ctx.code, {})
    assert (
        endpoint_lens(snap.plan.endpoints[0], snap) == f"implemented in src/pages/api/x.ts · POST · {title}"
    )


def test_lens_leaves_out_shared_and_conditional_statuses() -> None:
    e = builders.endpoint("GET /api/x", statuses=[200])
    shared = PlanStatus(409, e.location, shared=True)
    optional = PlanStatus(403, e.location, optional=True)
    e = dataclasses.replace(e, statuses=(*e.statuses, shared, optional))
    ctx = builders.context([e], [builders.route("GET /api/x", statuses=[200])])
    snap = NavSnapshot(build_links(ctx), ctx.plan, ctx.code, {})
    assert endpoint_lens(snap.plan.endpoints[0], snap).endswith("statuses 1/1")


TYPES = "export interface Dto {\n  id: string;\n  \n}\nreturn json({ id,\n  \n});\n"


def _snapshot_with_sources(interface_source: Location, literal_source: Location) -> NavSnapshot:
    e = builders.endpoint("GET /api/x", response=["id", "name", "created_at"], request=["q"])
    fields = (CodeField("id", interface_source),)
    typed = dataclasses.replace(
        builders.route("GET /api/x"), response_fields=FieldSet(fields, True, interface_source)
    )
    literal = dataclasses.replace(
        builders.route("GET /api/x", line=9), response_fields=FieldSet(fields, True, literal_source)
    )
    ctx = builders.context([e], [typed, literal])
    return NavSnapshot(
        build_links(ctx), ctx.plan, ctx.code, {"src/types.ts": SourceFile.from_text("src/types.ts", TYPES)}
    )


def test_completion_holders_are_schemas_and_types_not_literals() -> None:
    interface = Location("src/types.ts", Range(0, 21, 3, 1))  # `{ ... }` of `interface Dto`
    literal = Location("src/types.ts", Range(4, 12, 6, 1))  # `{ id, ... }` passed to json(...)
    snap = _snapshot_with_sources(interface, literal)
    found = holders(snap, "src/types.ts", 2, 2)
    assert [(h.source, h.side) for h in found] == [(interface, "response")]
    names = [f.name for f, _, _ in planned_fields(snap, found, frozenset())]
    assert names == ["name", "created_at"]  # `id` is written; request fields are not the type's
    assert [f.name for f, _, _ in planned_fields(snap, found, frozenset({"name"}))] == ["created_at"]
    assert holders(snap, "src/types.ts", 5, 2) == []  # inside the object literal: no
    assert holders(snap, "src/types.ts", 0, 10) == []  # before the type's `{`: no


def _column_names(links: LinkIndex) -> list[str]:
    return sorted(cl.planned.name for cl in links.column_links)


def test_kept_link_parts_follow_the_models_they_were_built_from() -> None:
    """The table side and the anchors are kept between builds while their inputs are the same objects;
    built from other models, and then from the first ones again, the index follows each time."""
    decks = builders.plan_table("decks", columns=[("id", "uuid", False)])
    schema = builders.schema_table("decks", columns=[("id", "uuid", False)])
    first = builders.context(
        [builders.endpoint("GET /api/x")], [builders.route("GET /api/x")], tables=(decks,)
    )
    first = dataclasses.replace(first, code=dataclasses.replace(first.code, tables=(schema,)))
    wider = dataclasses.replace(
        first,  # a new check: replace() starts an empty memo
        plan=dataclasses.replace(
            first.plan,
            tables=(builders.plan_table("decks", columns=[("id", "uuid", False), ("name", "text", False)]),),
        ),
        code=dataclasses.replace(
            first.code,
            tables=(
                builders.schema_table("decks", columns=[("id", "uuid", False), ("name", "text", False)]),
            ),
        ),
    )
    assert _column_names(build_links(first)) == ["id"]
    assert _column_names(build_links(wider)) == ["id", "name"]
    again = build_links(dataclasses.replace(first))  # the first models, a new check
    assert _column_names(again) == ["id"]
    assert [a.entity for a in again.in_file(builders.DB_PLAN)] == [decks, decks.columns[0]]
    moved = builders.route("GET /api/x", line=7)
    routes = build_links(dataclasses.replace(first, code=dataclasses.replace(first.code, routes=(moved,))))
    assert [a.location.range.line for a in routes.in_file(moved.location.file)] == [7]
    assert routes.column_links == again.column_links and _column_names(routes) == ["id"]
