"""`RealDirs.inside` (one realpath per directory) agrees with `inside` (a full resolve per file)."""

from __future__ import annotations

import os
from pathlib import Path

from stage_lsp.core.source import RealDirs, inside, read_source


def tree(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    outside = tmp_path / "outside"
    (root / "src" / "lib").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.ts").write_text("export const x = 1;\n")
    (root / "src" / "lib" / "a.ts").write_text("export const a = 1;\n")
    os.symlink(outside, root / "src" / "out")  # a directory link leaving the root
    os.symlink(outside / "secret.ts", root / "src" / "lib" / "leak.ts")  # a file link leaving the root
    os.symlink(root / "src" / "lib", root / "src" / "alias")  # a directory link staying inside
    os.symlink(root / "src" / "lib" / "a.ts", root / "src" / "b.ts")  # a file link staying inside
    return root


RELS = [
    "src/lib/a.ts",
    "src/out/secret.ts",
    "src/lib/leak.ts",
    "src/alias/a.ts",
    "src/b.ts",
    "src/missing/x.ts",
    "src/lib/missing.ts",
    "../outside/secret.ts",
    "src/../src/lib/a.ts",
    "src/./lib/a.ts",
    "src/out/../lib/a.ts",
]


def test_real_dirs_agrees_with_a_full_resolve(tmp_path: Path) -> None:
    root = tree(tmp_path)
    dirs = RealDirs(root)
    for rel in RELS * 2:  # the second round answers from the cache
        assert dirs.inside(rel) == inside(root, root / rel), rel
    assert not dirs.inside("src/out/secret.ts")
    assert not dirs.inside("src/lib/leak.ts")
    assert dirs.inside("src/alias/a.ts")


def test_clear_sees_a_directory_replaced_by_a_link(tmp_path: Path) -> None:
    root = tree(tmp_path)
    dirs = RealDirs(root)
    (root / "src" / "gen").mkdir()
    (root / "src" / "gen" / "x.ts").write_text("")
    assert dirs.inside("src/gen/x.ts")
    (root / "src" / "gen" / "x.ts").unlink()
    (root / "src" / "gen").rmdir()
    os.symlink(tmp_path / "outside", root / "src" / "gen")
    (tmp_path / "outside" / "x.ts").write_text("")
    dirs.clear()
    assert not dirs.inside("src/gen/x.ts")


def test_read_source_refuses_a_file_outside_the_root_either_way(tmp_path: Path) -> None:
    root = tree(tmp_path)
    for rel in ("src/out/secret.ts", "src/lib/leak.ts"):
        plain = read_source(root, rel)
        cached = read_source(root, rel, dirs=RealDirs(root))
        assert (plain.text, plain.digest, plain.problem) == (cached.text, cached.digest, cached.problem)
        assert plain.problem is not None
