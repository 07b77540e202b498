"""Fixes on disk (CLI `--fix`): which paths may be written, reading them, writing the results safely.

A path may be written only when it is relative, has no `..` part, resolves (symlinks followed) inside the
project root, and is not itself a symlink. A file is edited only when it was read as clean UTF-8 (with or
without BOM) with uniform line ends, so that writing it back changes nothing but the fixed ranges: the BOM
and CRLF line ends are restored. Files are replaced atomically (a temporary file, then rename) keeping
their permissions; new files are created exclusively (`O_EXCL`), so an existing file is never overwritten,
even one that appeared after the check.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from stage_lsp.core.text import MAX_FILE_BYTES, decode_bytes
from stage_lsp.engine.fixes import FileChange


@dataclass(frozen=True, slots=True)
class _Style:
    bom: bool
    crlf: bool


class DiskAccess:
    """`FileAccess` over the project directory."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._styles: dict[str, _Style] = {}
        self._problems: dict[str, str] = {}

    def path_problem(self, rel: str) -> str | None:
        pure = PurePosixPath(rel)
        if not rel or pure.is_absolute() or "\\" in rel or rel.startswith("~"):
            return f"`{rel}` is not a path relative to the project root"
        parts = rel.split("/")
        if any(part in ("..", ".", "") for part in parts) or parts[0] == ".git":
            return f"`{rel}` is not a plain path inside the project root"
        path = self.root / rel
        if path.is_symlink():
            return f"`{rel}` is a symlink; fixes never write through links"
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):
            return f"`{rel}` cannot be resolved"
        if not resolved.is_relative_to(self.root):
            return f"`{rel}` resolves outside the project root"
        return None

    def problem(self, rel: str) -> str | None:
        return self.path_problem(rel) or self._problems.get(rel)

    def read(self, rel: str) -> str | None:
        if self.path_problem(rel):
            return None
        path = self.root / rel
        try:
            if not path.exists():
                return None
            if not path.is_file():
                self._problems[rel] = f"`{rel}` is not a regular file"
                return ""
            data = path.read_bytes()
        except OSError as exc:
            self._problems[rel] = f"`{rel}` cannot be read: {exc.strerror or exc}"
            return ""
        decoded = decode_bytes(data, max_bytes=MAX_FILE_BYTES)
        body = data[3:] if decoded.encoding == "utf-8-sig" else data
        if decoded.problem or decoded.encoding not in ("utf-8", "utf-8-sig"):
            self._problems[rel] = f"`{rel}` is not clean UTF-8 text; fix it by hand"
        elif not _uniform_line_ends(body, decoded.crlf):
            self._problems[rel] = f"`{rel}` mixes line ends; fix it by hand"
        self._styles[rel] = _Style(decoded.encoding == "utf-8-sig", decoded.crlf)
        return decoded.text

    def encode(self, rel: str, text: str) -> bytes:
        style = self._styles.get(rel, _Style(False, False))
        if style.crlf:
            text = text.replace("\n", "\r\n")
        data = text.encode("utf-8")
        return b"\xef\xbb\xbf" + data if style.bom else data


def _uniform_line_ends(body: bytes, crlf: bool) -> bool:
    if not crlf:
        return b"\r" not in body
    return body.count(b"\r") == body.count(b"\r\n") == body.count(b"\n")


def write_changes(access: DiskAccess, changes: Sequence[FileChange]) -> list[str]:
    """Write the changes; return a problem line per file that could not be written (the rest are)."""
    problems: list[str] = []
    for change in changes:
        refused = access.problem(change.file)
        if refused:
            problems.append(refused)
            continue
        path = access.root / change.file
        try:
            if change.before is None:
                path.parent.mkdir(parents=True, exist_ok=True)
                if access.path_problem(change.file):  # a parent created above cannot be a link out
                    problems.append(f"`{change.file}`: refused after creating its folder")
                    continue
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                with os.fdopen(fd, "wb") as out:
                    out.write(access.encode(change.file, change.after))
            else:
                _replace(path, access.encode(change.file, change.after))
        except FileExistsError:
            problems.append(f"`{change.file}` appeared meanwhile; it is never overwritten")
        except OSError as exc:
            problems.append(f"`{change.file}` cannot be written: {exc.strerror or exc}")
    return problems


def _replace(path: Path, data: bytes) -> None:
    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=".stage-lsp-fix-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
