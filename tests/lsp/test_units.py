"""The language server's parts without a client: conversion, editor settings, scheduling, the check job."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from lsprotocol import types

from stage_lsp.config.settings import Settings
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Applicability, CreateFile, Fix, Related, Severity, TextEdit, Violation
from stage_lsp.lsp import checker, editor_settings
from stage_lsp.lsp import scheduler as scheduler_module
from stage_lsp.lsp.checker import Outcome, run_job
from stage_lsp.lsp.convert import Positions, client_column, rule_url, to_diagnostic
from stage_lsp.lsp.roots import Pending, Roots, RootState
from stage_lsp.lsp.scheduler import Scheduler
from tests.lsp.demo import EXPORT, PLAN, write_demo

pytestmark = pytest.mark.lsp

LINE = "#### 🎉 Źródło: GET /api/źródła"  # emoji = 2 UTF-16 units, 4 UTF-8 bytes; Ź, ó, ł, ź = 2 bytes


@pytest.mark.parametrize(
    ("col", "utf16", "utf8"),
    [
        (0, 0, 0),
        (5, 5, 5),  # before the emoji
        (6, 7, 9),  # after it
        (15, 16, 21),  # "GET": after "Źródło: " (Ź, ó, ł)
        (len(LINE), len(LINE) + 1, len(LINE.encode())),
        (len(LINE) + 7, len(LINE) + 1, len(LINE.encode())),  # past the end: the end
    ],
)
def test_client_columns(col: int, utf16: int, utf8: int) -> None:
    assert client_column(LINE, col, "utf-16") == utf16
    assert client_column(LINE, col, "utf-8") == utf8
    assert client_column(LINE, col, "utf-32") == min(col, len(LINE))


def test_diagnostic_carries_code_link_related_and_fix() -> None:
    lines = {"a.md": [LINE], "b.ts": ["// ż", "x"]}
    pos = Positions("utf-8", lambda rel, n: lines[rel][n] if n < len(lines[rel]) else "")
    fix = Fix(
        "Add the handler",
        Applicability.SAFE,
        (
            TextEdit(Location("b.ts", Range(0, 4, 0, 4)), "\nexport const GET = 1;"),
            CreateFile("c.ts", "export {};\n"),
        ),
    )
    v = Violation(
        code="SL101",
        name="planned-endpoint-missing",
        severity=Severity.ERROR,
        message="Planned endpoint `GET /api/źródła` has no route",
        location=Location("a.md", Range(0, 15, 0, len(LINE))),
        fingerprint="1:abc",
        related=(Related(Location("b.ts", Range(0, 3, 0, 4)), "here"),),
        fix=fix,
    )
    d = to_diagnostic(v, pos, lambda rel: f"file:///p/{rel}", {"b.ts": 7})
    assert d.range == types.Range(
        start=types.Position(line=0, character=21), end=types.Position(line=0, character=len(LINE.encode()))
    )
    assert d.severity == types.DiagnosticSeverity.Error and d.code == "SL101" and d.source == "stage-lsp"
    assert d.code_description == types.CodeDescription(href=rule_url("SL101"))
    assert d.related_information is not None
    assert d.related_information[0].location.range.start.character == 3
    assert d.related_information[0].location.range.end.character == 5  # "ż" is 2 bytes
    assert d.data == {
        "fingerprint": "1:abc",
        "version": None,  # a.md is not open
        "fix": {
            "title": "Add the handler",
            "applicability": "safe",
            "edits": [
                {
                    "kind": "edit",
                    "uri": "file:///p/b.ts",
                    "version": 7,
                    "range": {"start": {"line": 0, "character": 5}, "end": {"line": 0, "character": 5}},
                    "newText": "\nexport const GET = 1;",
                },
                {"kind": "create", "uri": "file:///p/c.ts", "content": "export {};\n"},
            ],
        },
    }


def test_rule_url_matches_the_repository_in_pyproject() -> None:
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    repository = rule_url("SL101").split("/blob/")[0]
    assert f'Repository = "{repository}"' in pyproject
    assert rule_url("SL101").endswith("/blob/main/rules/SL101.md")
    assert (Path(__file__).resolve().parents[2] / "rules" / "SL101.md").is_file()


def test_editor_settings_are_normalised() -> None:
    raw = {
        "stageLsp": {
            "debounceMs": 0,
            "extendSelect": ["SL5"],
            "api-plans": ["x.md"],
            "path": "/bin/x",
            "select": None,
        }
    }
    assert editor_settings.normalise(raw) == {
        "debounce-ms": 0,
        "extend-select": ["SL5"],
        "api-plans": ["x.md"],
    }
    assert editor_settings.normalise({"ignore": ["SL1"]}) == {"ignore": ["SL1"]}
    assert editor_settings.normalise(None) == {} and editor_settings.normalise([1]) == {}


def test_editor_settings_override_key_by_key_and_bad_keys_are_dropped() -> None:
    base = Settings(ignore=["SL102"], select=["SL1"])
    merged, problems = editor_settings.apply(base, {"select": ["SL9"], "debounce-ms": -1})
    assert merged.select == ["SL9"] and merged.ignore == ["SL102"] and merged.debounce_ms == 150
    assert len(problems) == 1 and "debounce-ms" in problems[0]


def test_roots_route_documents_to_the_innermost_root(tmp_path: Path) -> None:
    roots = Roots()
    outer = roots.add(tmp_path.as_uri())
    inner = roots.add((tmp_path / "apps" / "web").as_uri())
    assert outer is not None and inner is not None
    assert roots.route((tmp_path / "apps" / "web" / "src" / "[id].ts").as_uri()) == (inner, "src/[id].ts")
    assert roots.route((tmp_path / "docs" / "api-plan.md").as_uri()) == (outer, "docs/api-plan.md")
    assert roots.route("untitled:Untitled-1") is None
    assert roots.route(Path("/elsewhere/x.ts").as_uri()) is None


def _state(root: Path) -> RootState:
    return RootState(root=root, uri=root.as_uri(), name=root.name, debounce_ms=0)


async def test_results_of_superseded_work_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    first_running, release = threading.Event(), threading.Event()
    seen: list[dict[str, tuple[str | None, int | None]]] = []

    def job(state: RootState, pending: Pending, uris: object, encoding: str, watching: bool) -> Outcome:
        seen.append(dict(pending.overlays))
        if len(seen) == 1:
            first_running.set()
            release.wait(30)
        return Outcome({}, {"version": len(seen)}, debounce_ms=0)

    monkeypatch.setattr(scheduler_module, "run_job", job)
    published: list[Outcome] = []
    sched = Scheduler(lambda state, outcome: published.append(outcome), lambda: "utf-16")
    state = _state(Path("/p"))
    state.pending.overlays["a.md"] = ("one", 1)
    sched.touch(state)
    await asyncio.get_running_loop().run_in_executor(None, first_running.wait, 30)
    state.pending.overlays["a.md"] = ("two", 2)  # a newer edit while the first check runs
    sched.touch(state)
    release.set()
    await asyncio.wait_for(state.settled.wait(), 30)
    assert seen == [{"a.md": ("one", 1)}, {"a.md": ("two", 2)}], "no change is lost"
    assert [o.versions for o in published] == [{"version": 2}], "only the newest results are published"
    assert sched.dropped == 1
    sched.shutdown()


async def test_edits_within_the_debounce_delay_make_one_check(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict[str, tuple[str | None, int | None]]] = []

    def job(state: RootState, pending: Pending, uris: object, encoding: str, watching: bool) -> Outcome:
        seen.append(dict(pending.overlays))
        return Outcome({}, {}, debounce_ms=50)

    monkeypatch.setattr(scheduler_module, "run_job", job)
    sched = Scheduler(lambda state, outcome: None, lambda: "utf-16")
    state = _state(Path("/p"))
    state.debounce_ms = 50
    for version in range(1, 6):
        state.pending.overlays["a.md"] = (f"text {version}", version)
        sched.touch(state)
    await asyncio.wait_for(state.settled.wait(), 30)
    assert seen == [{"a.md": ("text 5", 5)}]
    sched.shutdown()


def test_a_crashing_reader_becomes_sl903_on_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_demo(tmp_path / "demo")
    from stage_lsp.workspace import workspace as workspace_module

    real = workspace_module.read_route_file

    def fragile(src):  # type: ignore[no-untyped-def]
        if "BOOM" in src.text:
            raise ValueError("cannot read this")
        return real(src)

    monkeypatch.setattr(workspace_module, "read_route_file", fragile)
    state = _state(root)
    text = (root / EXPORT).read_bytes().decode() + "// BOOM\n"
    outcome = run_job(state, Pending(overlays={EXPORT: (text, 3)}), {}, "utf-16", False)
    assert outcome.diagnostics is not None
    by_file = {uri.split("/demo/")[1]: [d.code for d in ds] for uri, ds in outcome.diagnostics.items()}
    assert by_file[EXPORT] == ["SL903"], "the file is reported, not silently dropped"
    assert "SL101" in by_file[PLAN], "the rest of the project is still checked"
    assert any("cannot read this" in e for e in outcome.errors), "the error is logged"
    fixed = run_job(state, Pending(overlays={EXPORT: (text.replace("BOOM", "ok"), 4)}), {}, "utf-16", False)
    assert fixed.diagnostics is not None
    codes = [d.code for uri, ds in fixed.diagnostics.items() if uri.endswith(EXPORT) for d in ds]
    assert codes == ["SL102"], "a changed file is read again"


def test_a_failing_job_keeps_what_is_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(checker, "apply_pending", broken)
    outcome = run_job(_state(tmp_path), Pending(), {}, "utf-16", False)
    assert outcome.diagnostics is None and "bug" in outcome.errors[0]


def test_the_first_check_fills_the_disk_cache_and_then_detaches_it(tmp_path: Path) -> None:
    root = write_demo(tmp_path / "demo")
    state = _state(root)
    first = run_job(state, Pending(), {}, "utf-16", False)
    assert first.diagnostics is not None and state.ws is not None and state.ws.store is not None
    checker.finish_index(state)
    assert state.ws.store is None, "edits never consult the disk cache"
    assert any((root / ".stage-lsp-cache").rglob("*.pickle")), "a restart reads what the index parsed"
    again = _state(root)
    second = run_job(again, Pending(), {}, "utf-16", False)
    assert second.diagnostics == first.diagnostics
