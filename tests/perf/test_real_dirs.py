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


def test_read_source_with_real_dirs_reads_what_the_general_path_reads(tmp_path: Path) -> None:
    """The one-open path (`RealDirs.read`) gives the same SourceFile as the general path for every kind
    of path: plain files, links in and out, missing files and folders, `..`, a large file, a folder."""
    root = tree(tmp_path)
    (root / "src" / "big.ts").write_text("x" * 200)
    (root / "src" / "crlf.ts").write_bytes(b"\xef\xbb\xbfa\r\nb\r\n")
    extra = ["src/big.ts", "src/crlf.ts", "src/lib", "src"]
    dirs = RealDirs(root)
    for rel in RELS + extra:
        plain = read_source(root, rel, max_bytes=100)
        fast = read_source(root, rel, max_bytes=100, dirs=dirs)
        fields = ("text", "digest", "encoding", "crlf", "problem")
        assert [getattr(fast, f) for f in fields] == [getattr(plain, f) for f in fields], rel
    assert dirs.read("src/lib/a.ts", 100) is not None  # the common case takes the one-open path
    for rel in ("src/lib/leak.ts", "src/out/secret.ts", "src/b.ts", "src/lib/missing.ts", "src/./lib/a.ts"):
        assert dirs.read(rel, 100) is None, rel  # links, outside, missing, odd paths: the general path
    assert read_source(root, "src/big.ts", max_bytes=100, dirs=dirs).problem == (
        "file is too large to check (200 bytes)"
    )


def test_a_fifo_is_not_waited_on_by_the_one_open_path(tmp_path: Path) -> None:
    root = tree(tmp_path)
    os.mkfifo(root / "src" / "pipe.ts")
    assert RealDirs(root).read("src/pipe.ts", 100) is None  # O_NONBLOCK open, then not a regular file
