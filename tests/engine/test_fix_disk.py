"""Fixes on disk: path safety, encodings and line ends kept, atomic replace, never overwriting."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stage_lsp.core.violation import CreateFile
from stage_lsp.engine.fix_disk import DiskAccess, write_changes
from stage_lsp.engine.fixes import FileChange, plan_fixes
from tests.findings import finding, replace


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "project"
    (r / "src").mkdir(parents=True)
    return r


def fix_files(root: Path, *violations: object) -> list[str]:
    access = DiskAccess(root)
    plan = plan_fixes(violations, access)  # type: ignore[arg-type]
    problems = write_changes(access, plan.changes)
    return [s.reason for s in plan.skipped] + problems


@pytest.mark.parametrize(
    "rel",
    ["../outside.ts", "/etc/passwd", "src/../../x.ts", "./src/a.ts", ".git/config", "src\\a.ts", "~/x.ts"],
)
def test_paths_outside_or_odd_are_refused(root: Path, rel: str) -> None:
    assert DiskAccess(root).path_problem(rel)
    reasons = fix_files(root, finding(edits=(CreateFile(rel, "x"),)))
    assert len(reasons) == 1
    assert not (root.parent / "outside.ts").exists()


def test_symlinks_out_of_the_root_are_refused(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "t.ts").write_text("secret\n")
    (root / "src" / "link").symlink_to(outside, target_is_directory=True)
    (root / "src" / "file-link.ts").symlink_to(outside / "t.ts")
    reasons = fix_files(
        root,
        finding("SL101", "a", edits=(CreateFile("src/link/new.ts", "x"),)),
        finding("SL102", "b", edits=(replace("src/link/t.ts", 0, 0, 0, 6, "public"),)),
        finding("SL103", "c", edits=(replace("src/file-link.ts", 0, 0, 0, 6, "public"),)),
    )
    assert len(reasons) == 3
    assert not (outside / "new.ts").exists()
    assert (outside / "t.ts").read_text() == "secret\n"


def test_crlf_bom_and_permissions_are_kept(root: Path) -> None:
    path = root / "src" / "a.ts"
    path.write_bytes(b"\xef\xbb\xbfconst a = 1;\r\nconst b = 2;\r\n")
    path.chmod(0o640)
    assert fix_files(root, finding(edits=(replace("src/a.ts", 1, 6, 1, 7, "beta"),))) == []
    assert path.read_bytes() == b"\xef\xbb\xbfconst a = 1;\r\nconst beta = 2;\r\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in (root / "src").iterdir()] == ["a.ts"]  # no temporary file left behind


@pytest.mark.parametrize(
    "data",
    [b"a\r\nb\nc\n", b"a\rb\r", "ä\n".encode("utf-16"), b"bad \xff byte\n"],
    ids=["mixed-line-ends", "cr-only", "utf-16", "invalid-utf-8"],
)
def test_files_that_cannot_be_written_back_faithfully_are_not_touched(root: Path, data: bytes) -> None:
    path = root / "src" / "a.ts"
    path.write_bytes(data)
    reasons = fix_files(root, finding(edits=(replace("src/a.ts", 0, 0, 0, 1, "Z"),)))
    assert len(reasons) == 1 and "by hand" in reasons[0]
    assert path.read_bytes() == data


def test_create_file_makes_folders_and_never_overwrites_a_file_that_appeared(root: Path) -> None:
    assert fix_files(root, finding(edits=(CreateFile("src/pages/api/new.ts", "export {};\n"),))) == []
    assert (root / "src/pages/api/new.ts").read_text() == "export {};\n"
    access = DiskAccess(root)
    late = FileChange("src/late.ts", None, "mine\n")
    (root / "src" / "late.ts").write_text("theirs\n")
    problems = write_changes(access, [late])
    assert problems and "never overwritten" in problems[0]
    assert (root / "src" / "late.ts").read_text() == "theirs\n"


def test_a_directory_is_not_a_file_to_edit_or_create(root: Path) -> None:
    os.mkdir(root / "src" / "dir.ts")
    reasons = fix_files(
        root,
        finding("SL101", "a", edits=(CreateFile("src/dir.ts", "x"),)),
        finding("SL102", "b", edits=(replace("src/dir.ts", 0, 0, 0, 0, "x"),)),
    )
    assert len(reasons) == 2
