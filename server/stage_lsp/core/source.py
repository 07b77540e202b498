"""Reading one project file safely: inside the root only, size-capped, decoded, never raising."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from stage_lsp.core.text import MAX_FILE_BYTES, LineIndex, decode_bytes


@dataclass(frozen=True, eq=False)
class SourceFile:
    """A decoded file. `problem` is set when it could not be read as text (the text is then empty)."""

    rel: str
    text: str
    digest: str
    encoding: str = "utf-8"
    crlf: bool = False
    problem: str | None = None
    _index: list[LineIndex] = field(default_factory=list, repr=False)

    @property
    def lines(self) -> LineIndex:
        if not self._index:
            self._index.append(LineIndex(self.text))
        return self._index[0]

    @staticmethod
    def from_text(rel: str, text: str) -> SourceFile:
        """An in-memory document (an editor buffer, a test string)."""
        decoded = decode_bytes(text.encode("utf-8", errors="surrogatepass"))
        digest = hashlib.sha1(text.encode("utf-8", errors="surrogatepass")).hexdigest()
        return SourceFile(rel, decoded.text, digest, "utf-8", decoded.crlf, decoded.problem)


def inside(root: Path, path: Path) -> bool:
    """True when `path` (symlinks resolved) lies inside `root`."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


class RealDirs:
    """`inside` for many files of one root, resolving each directory once.

    A file that is not itself a symbolic link resolves to its directory's real path joined with its name,
    so only the directories need `realpath` (each walks every component with `lstat`), and they are shared
    by many files. The owner clears the cache when the tree may have changed (a new check in the language
    server). Paths with `.` or `..` components are resolved in full, as `inside` does.
    """

    __slots__ = ("_dirs", "_root", "_root_real")

    def __init__(self, root: Path) -> None:
        self._root = root
        self._root_real: str | None = None
        self._dirs: dict[str, str] = {}

    def clear(self) -> None:
        self._root_real = None
        self._dirs.clear()

    def inside(self, rel: str) -> bool:
        parts = rel.split("/")
        if any(p in ("", ".", "..") for p in parts) or os.path.isabs(rel):
            return inside(self._root, self._root / rel)
        try:
            if self._root_real is None:
                self._root_real = os.path.realpath(self._root)
            full = os.path.join(self._root, rel)
            if os.path.islink(full):
                return inside(self._root, Path(full))
            parent = os.path.dirname(full)
            real_dir = self._dirs.get(parent)
            if real_dir is None:
                real_dir = self._dirs[parent] = os.path.realpath(parent)
        except (OSError, ValueError):
            return False
        return Path(real_dir, parts[-1]).is_relative_to(self._root_real)

    def read(self, rel: str, max_bytes: int) -> SourceFile | None:
        """The common case of `read_source` in one open: a plain relative path naming a regular file, not
        a link (`O_NOFOLLOW`), in a directory that resolves inside the root. None for anything else (a
        link, `..`, a missing or unreadable file, a directory outside): the general path decides and says
        why. The file is checked through the descriptor it is read from (fstat), so it cannot be swapped
        for a link in between."""
        if not _NOFOLLOW or "\\" in rel or any(p in ("", ".", "..") for p in rel.split("/")):
            return None
        try:
            if self._root_real is None:
                self._root_real = os.path.realpath(self._root)
            full = os.path.join(self._root, rel)
            parent = os.path.dirname(full)
            real_dir = self._dirs.get(parent)
            if real_dir is None:
                real_dir = self._dirs[parent] = os.path.realpath(parent)
            root_real = self._root_real
            if not (real_dir == root_real or real_dir.startswith(root_real.rstrip(os.sep) + os.sep)):
                return None
            fd = os.open(full, _FAST_OPEN)
        except (OSError, ValueError):
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return None
            if st.st_size > max_bytes:
                return _too_large(rel, st.st_size)
            with open(fd, "rb", closefd=False) as f:
                data = f.read()  # decode_bytes refuses it if it grew past max_bytes since fstat
        except OSError:
            return None
        finally:
            os.close(fd)
        return _decoded(rel, data, max_bytes)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # none on Windows: the general path runs there
_FAST_OPEN = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)


def _too_large(rel: str, size: int) -> SourceFile:
    return SourceFile(rel, "", f"size:{size}", problem=f"file is too large to check ({size:,} bytes)")


def _decoded(rel: str, data: bytes, max_bytes: int) -> SourceFile:
    decoded = decode_bytes(data, max_bytes=max_bytes)
    digest = hashlib.sha1(data).hexdigest()
    return SourceFile(rel, decoded.text, digest, decoded.encoding, decoded.crlf, decoded.problem)


def read_source(
    root: Path, rel: str, *, max_bytes: int = MAX_FILE_BYTES, dirs: RealDirs | None = None
) -> SourceFile:
    if dirs is not None:
        fast = dirs.read(rel, max_bytes)
        if fast is not None:
            return fast
    path = root / rel
    if dirs is not None and not os.path.islink(path):
        within = dirs.inside(rel)  # one realpath per directory, shared by its files
    else:
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):  # Python < 3.13 raises on a symlink loop
            return SourceFile(rel, "", "unresolvable", problem="a symlink loop; not read")
        within = inside(root, resolved)
    if not within:
        return SourceFile(rel, "", "outside", problem="path resolves outside the project; not read")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return _too_large(rel, size)
        data = path.read_bytes()
    except FileNotFoundError:
        return SourceFile(rel, "", "missing", problem="file not found")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return SourceFile(rel, "", "unresolvable", problem="a symlink loop; not read")
        return SourceFile(rel, "", "unreadable", problem=f"cannot read file: {exc.strerror or exc}")
    return _decoded(rel, data, max_bytes)
