"""The whole-check result store: the findings' JSON round trip, the key, racy files, bad entries."""

from __future__ import annotations

import json
import os
import pickle
import time
from pathlib import Path

import pytest

from stage_lsp.core.location import Location, Range
from stage_lsp.core.rule_info import RuleInfo
from stage_lsp.core.violation import (
    Applicability,
    CreateFile,
    Fix,
    Related,
    Severity,
    TextEdit,
    Violation,
)
from stage_lsp.workspace import check_results as cr
from stage_lsp.workspace.cache import DiskCache

HOUR_NS = 3600 * 10**9


def loc(file: str, line: int) -> Location:
    return Location(file, Range(line, 2, line, 9))


FULL = Violation(
    code="SL101",
    name="planned-endpoint-missing",
    severity=Severity.WARNING,
    message="Planned endpoint `GET /api/żółw` has no route",
    location=loc(".ai/api-plan.md", 3),
    fingerprint="1:abc",
    related=(Related(loc("src/pages/api/a.ts", 1), "the route"),),
    fix=Fix(
        "Create the route",
        Applicability.UNSAFE,
        (CreateFile("src/pages/api/x.ts", "export const GET = 1;\n"), TextEdit(loc("a.md", 0), "x")),
    ),
    entity=("endpoint", "GET /api/x"),
    alternatives=(Fix("Amend the plan", Applicability.DISPLAY_ONLY, (TextEdit(loc("a.md", 1), ""),)),),
)
PLAIN = Violation("SL903", "file-unreadable", Severity.ERROR, "m", loc("b.ts", 0), "1:def")


def fields(v: Violation) -> tuple[object, ...]:
    return (v, v.entity, v.alternatives)  # entity and alternatives are not compared by ==


def test_findings_round_trip_through_json_with_every_field() -> None:
    doc = json.loads(json.dumps([cr._violation(v) for v in (FULL, PLAIN)]))
    back = [cr._read_violation(x) for x in doc]
    assert [fields(v) for v in back] == [fields(FULL), fields(PLAIN)]
    assert isinstance(back[0].severity, Severity) and isinstance(back[0].fix, Fix)


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda x: x[:9],  # too short
        lambda x: [*x[:2], "fatal", *x[3:]],  # not a severity
        lambda x: [*x[:4], [".ai/api-plan.md", True, 2, 3, 9], *x[5:]],  # a bool for an int
        lambda x: [*x[:4], [".ai/api-plan.md", "3", 2, 3, 9], *x[5:]],  # a string for an int
        lambda x: [*x[:7], ["t", "safe", [["move", "a", "b"]]], *x[8:]],  # an unknown edit
        lambda x: [*x[:8], [1], *x[9:]],  # entity of ints
    ],
)
def test_the_decoder_refuses_values_of_the_wrong_shape(corrupt: object) -> None:
    assert callable(corrupt)
    with pytest.raises((ValueError, TypeError)):
        cr._read_violation(corrupt(cr._violation(FULL)))


def write_tree(root: Path, files: dict[str, str], *, age_ns: int = HOUR_NS) -> None:
    past = time.time_ns() - age_ns
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if age_ns:
            os.utime(path, ns=(past, past))


RULE = RuleInfo(
    "SL101",
    "planned-endpoint-missing",
    "a planned endpoint has no handler",
    "## What\n\nż",
    Severity.ERROR,
    "api",
)
RESULT = cr.StoredCheck((FULL, PLAIN), 7, ("SL101", "SL903"), (RULE,))


def test_a_stored_result_keeps_the_rule_descriptions(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write_tree(root, {"a.md": "plan", "b.ts": "code"})
    cache = DiskCache(tmp_path / "cache")
    stored_key(root, cache)
    back = cr.lookup(cache, key(root))
    assert back is not None and back.rules == (RULE,) and isinstance(back.rules[0].severity, Severity)


def stored_key(root: Path, cache: DiskCache, stamps: dict[str, cr.Stamp] | None = None) -> cr.PendingStore:
    pending = cr.PendingStore(key(root))
    assert pending.store(cache, RESULT, stamps or {})
    return pending


def key(root: Path, inputs: str = "inputs") -> cr.CheckKey:
    return cr.CheckKey(root, inputs, ["a.md", "b.ts"], [root / "probe.json"])


def test_an_unchanged_tree_finds_the_stored_result_and_any_change_misses(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write_tree(root, {"a.md": "plan", "b.ts": "code"})
    cache = DiskCache(tmp_path / "cache")
    stored_key(root, cache)
    found = cr.lookup(cache, key(root))
    assert found is not None
    assert [fields(v) for v in found.violations] == [fields(FULL), fields(PLAIN)]
    assert (found.files_checked, found.codes) == (7, ("SL101", "SL903"))
    assert cr.lookup(cache, key(root, "other inputs")) is None
    (root / "probe.json").write_text("{}")  # a probe path appears
    assert cr.lookup(cache, key(root)) is None
    (root / "probe.json").unlink()
    assert cr.lookup(cache, key(root)) is not None
    os.utime(root / "b.ts")  # touched: a new mtime
    assert cr.lookup(cache, key(root)) is None


def test_a_same_size_rewrite_with_the_mtime_put_back_is_seen(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write_tree(root, {"a.md": "plan", "b.ts": "GET"}, age_ns=0)  # just written: racy
    cache = DiskCache(tmp_path / "cache")
    pending = stored_key(root, cache)
    assert pending.racy == ["a.md", "b.ts"]
    assert cr.lookup(cache, key(root)) is not None  # unchanged: the digests match
    st = (root / "b.ts").stat()
    (root / "b.ts").write_text("PUT")
    os.utime(root / "b.ts", ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cr.lookup(cache, key(root)) is None


def test_files_read_outside_the_walk_are_part_of_the_key(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write_tree(root, {"a.md": "plan", "b.ts": "code", "ignored/t.md": "table"})
    st = (root / "ignored/t.md").stat()
    cache = DiskCache(tmp_path / "cache")
    stored_key(
        root, cache, {"a.md": (1, 1), "ignored/t.md": (st.st_mtime_ns, st.st_size), "x.json": "not-a-file"}
    )
    assert cr.lookup(cache, key(root)) is not None
    (root / "ignored/t.md").write_text("table, changed")
    assert cr.lookup(cache, key(root)) is None
    (root / "ignored/t.md").write_text("table")
    os.utime(root / "ignored/t.md", ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cr.lookup(cache, key(root)) is not None
    (root / "x.json").write_text("{}")  # the config file looked up now exists
    assert cr.lookup(cache, key(root)) is None


def test_a_recent_file_read_outside_the_walk_or_an_editor_buffer_is_not_stored(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write_tree(root, {"a.md": "plan", "b.ts": "code"})
    cache = DiskCache(tmp_path / "cache")
    pending = cr.PendingStore(key(root))
    now = time.time_ns()
    assert not pending.store(cache, RESULT, {"other.md": (now, 3)})
    assert not pending.store(cache, RESULT, {"other.md": "overlay"})
    assert cr.lookup(cache, key(root)) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: b"\x00garbage",
        lambda data: b"",
        lambda data: data.split(b"\n")[0] + b"\n[1, 2",
        lambda data: data.split(b"\n")[0] + b'\n{"files": "7", "codes": [], "violations": []}\n',
        lambda data: data.split(b"\n")[0] + b'\n{"files": 7, "codes": [], "violations": [[1]]}\n',
        lambda data: data.replace(f'"format":{cr.RESULT_FORMAT}'.encode(), b'"format":99'),
        lambda data: (
            data.split(b"\n")[0] + b'\n{"files": 7, "codes": [], "violations": [], "rules": [[1]]}\n'
        ),
        lambda data: (
            data.split(b"\n")[0]
            + b'\n{"files": 7, "codes": [], "violations": [], "rules": [["SL1", "n", "s", "d", "loud", "api"]]}\n'
        ),
        lambda data: pickle.dumps(("anything", os.system)),
    ],
)
def test_a_damaged_entry_is_a_miss_never_an_error(tmp_path: Path, damage: object) -> None:
    assert callable(damage)
    root = tmp_path / "p"
    write_tree(root, {"a.md": "plan", "b.ts": "code"})
    cache = DiskCache(tmp_path / "cache")
    stored_key(root, cache)
    path = cache.folder / cr.entry_name(root)
    before = path.read_bytes()
    path.write_bytes(damage(before))
    assert path.read_bytes() != before  # each case really damages the entry
    assert cr.lookup(cache, key(root)) is None


def test_entries_of_two_roots_sharing_a_cache_folder_are_kept_apart(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "cache")
    for name in ("one", "two"):
        write_tree(tmp_path / name, {"a.md": "plan", "b.ts": "code"})
        stored_key(tmp_path / name, cache)
    assert cr.lookup(cache, key(tmp_path / "one")) is not None
    assert cr.lookup(cache, key(tmp_path / "two")) is not None
    assert (cache.directory / "CACHEDIR.TAG").is_file()  # the folder is marked like the shards' folder
