"""Apply a WorkspaceEdit to files on disk the way an editor does (the tests' client side of code actions).

`documentChanges` in order: `CreateFile` honours `overwrite`/`ignoreIfExists` (and creates folders, as
VS Code does), a `TextDocumentEdit` applies its edits to the file's current text (positions in the
client's units, UTF-16 by default; LSP line breaks), refusing a versioned edit whose version is not the
one the test's open document has. Plain `changes` are applied the same way, unversioned.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class Refused(AssertionError):
    """The edit could not be applied as an editor would (a wrong version, an existing file)."""


def path_of(uri: str) -> Path:
    path = to_fs_path(uri)
    assert path is not None, uri
    return Path(path)


def offset(text: str, pos: types.Position, encoding: str) -> int:
    """The string index of an LSP position in `text`."""
    lines = _LINE.findall(text)
    if pos.line >= len(lines):
        assert pos.line == len(lines) and pos.character == 0, (pos, len(lines))
        return len(text)
    start = sum(len(line) for line in lines[: pos.line])
    line = lines[pos.line].rstrip("\r\n")
    units = 0
    for i, ch in enumerate(line):
        if units >= pos.character:
            return start + i
        if encoding == "utf-8":
            units += len(ch.encode("utf-8"))
        elif encoding == "utf-32":
            units += 1
        else:
            units += 2 if ord(ch) > 0xFFFF else 1
    return start + len(line)


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    spans = sorted(
        (
            (offset(text, e.range.start, encoding), offset(text, e.range.end, encoding), e.new_text)
            for e in edits
        ),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def _edit_file(uri: str, edits: list[types.TextEdit], encoding: str) -> None:
    path = path_of(uri)
    if not path.exists():
        raise Refused(f"{path} does not exist")
    text = path.read_bytes().decode("utf-8")
    path.write_bytes(apply_text_edits(text, edits, encoding).encode("utf-8"))


def apply_workspace_edit(
    edit: types.WorkspaceEdit, *, encoding: str = "utf-16", versions: Mapping[str, int] | None = None
) -> list[Path]:
    """Apply `edit` to disk; `versions` are the versions of the documents the test has open (by URI).
    Returns the files written, in order."""
    versions = versions or {}
    written: list[Path] = []
    for change in edit.document_changes or ():
        if isinstance(change, types.CreateFile):
            path = path_of(change.uri)
            options = change.options or types.CreateFileOptions()
            if path.exists() and not options.overwrite:
                if options.ignore_if_exists:
                    continue
                raise Refused(f"{path} exists")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"")
            written.append(path)
        elif isinstance(change, types.TextDocumentEdit):
            uri, version = change.text_document.uri, change.text_document.version
            if version is not None and versions.get(uri) != version:
                raise Refused(
                    f"{uri}: the edit is for version {version}, the document is at {versions.get(uri)}"
                )
            _edit_file(uri, [e for e in change.edits if isinstance(e, types.TextEdit)], encoding)
            written.append(path_of(uri))
        else:
            raise AssertionError(f"unexpected change {change!r}")
    for uri, edits in (edit.changes or {}).items():
        _edit_file(uri, list(edits), encoding)
        written.append(path_of(uri))
    return written
