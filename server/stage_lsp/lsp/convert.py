"""Violations to LSP Diagnostics: the one place where positions meet the client's encoding.

Everything stage-lsp stores is (line, column in code points). The client counts columns in the
negotiated `positionEncoding`: UTF-16 code units (VS Code, Neovim 0.7), UTF-8 bytes (Neovim >= 0.10
offers it first) or code points (UTF-32). Columns are converted per line of the text the violation was
computed from (the editor buffer for open documents, the file otherwise); CRLF needs nothing, because
both sides treat it as one line break.

The diagnostic carries everything the code actions need in `data`, so they never re-run rules: the
fingerprint, the version (and content digest) of the document the finding was computed for, the fix and
the alternative fixes (each: title, applicability, edits with their target document's version and
digest) already converted to client positions. The "suppress here" edit is not converted here: the
code action computes it from the document when asked (`code_actions`), so a keystroke does not find
the comment's place for every finding it converts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lsprotocol import types

from stage_lsp.core.location import Location, Range
from stage_lsp.core.text import utf16_units
from stage_lsp.core.violation import CreateFile, Fix, Severity, TextEdit, Violation

REPOSITORY = "https://github.com/stage-lsp/stage-lsp"  # = [project.urls] Repository in pyproject.toml
SOURCE = "stage-lsp"

SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}

LineText = Callable[[str, int], str]  # (file relative to the root, 0-based line) -> text of that line
UriOf = Callable[[str], str]


def rule_url(code: str) -> str:
    """The rule's documentation page (rules/SLnnn.md, generated from the rule's docstring)."""
    return f"{REPOSITORY}/blob/main/rules/{code}.md"


def client_column(line: str, col: int, encoding: str) -> int:
    """Column `col` (code points) of `line` in the client's units ("utf-16", "utf-8" or "utf-32");
    past the end counts as the end."""
    if col <= 0:
        return 0
    prefix = line[:col]
    if prefix.isascii():
        return len(prefix)
    if encoding == "utf-8":
        return len(prefix.encode("utf-8", errors="surrogatepass"))
    if encoding == "utf-32":
        return len(prefix)
    return utf16_units(prefix)


class Positions:
    """Converts ranges of one workspace to client ranges, fetching line text only when it matters."""

    def __init__(self, encoding: str, line_text: LineText) -> None:
        self.encoding = encoding
        self._line_text = line_text

    def _col(self, rel: str, line: int, col: int) -> int:
        if col <= 0:
            return 0
        return client_column(self._line_text(rel, line), col, self.encoding)

    def range(self, rel: str, r: Range) -> types.Range:
        return types.Range(
            start=types.Position(line=r.line, character=self._col(rel, r.line, r.col)),
            end=types.Position(line=r.end_line, character=self._col(rel, r.end_line, r.end_col)),
        )

    def location(self, loc: Location, uri_of: UriOf) -> types.Location:
        return types.Location(uri=uri_of(loc.file), range=self.range(loc.file, loc.range))


def _json_range(r: types.Range) -> dict[str, Any]:
    return {
        "start": {"line": r.start.line, "character": r.start.character},
        "end": {"line": r.end.line, "character": r.end.character},
    }


DigestOf = Callable[[str], str | None]


def edit_data(
    edit: TextEdit | CreateFile,
    pos: Positions,
    uri_of: UriOf,
    versions: Mapping[str, int],
    digest_of: DigestOf | None = None,
) -> dict[str, Any]:
    """One edit as JSON. A text edit carries its target's version (None: computed from the file on
    disk) and the digest of the text it was computed from, so a code action can refuse a changed file."""
    if isinstance(edit, CreateFile):
        return {"kind": "create", "uri": uri_of(edit.file), "content": edit.content}
    rel = edit.location.file
    out: dict[str, Any] = {
        "kind": "edit",
        "uri": uri_of(rel),
        "version": versions.get(rel),
        "range": _json_range(pos.range(rel, edit.location.range)),
        "newText": edit.new_text,
    }
    if digest_of is not None:
        out["digest"] = digest_of(rel)
    return out


def fix_data(
    fix: Fix,
    pos: Positions,
    uri_of: UriOf,
    versions: Mapping[str, int],
    digest_of: DigestOf | None = None,
) -> dict[str, Any]:
    """The fix as JSON (title, applicability, edits)."""
    edits = [edit_data(e, pos, uri_of, versions, digest_of) for e in fix.edits]
    return {"title": fix.title, "applicability": fix.applicability.value, "edits": edits}


def to_diagnostic(
    v: Violation,
    pos: Positions,
    uri_of: UriOf,
    versions: Mapping[str, int],
    digest_of: DigestOf | None = None,
) -> types.Diagnostic:
    data: dict[str, Any] = {
        "fingerprint": v.fingerprint,
        "version": versions.get(v.location.file),
    }
    if digest_of is not None:
        data["digest"] = digest_of(v.location.file)
    if v.fix is not None:
        data["fix"] = fix_data(v.fix, pos, uri_of, versions, digest_of)
    if v.alternatives:
        data["alternatives"] = [fix_data(f, pos, uri_of, versions, digest_of) for f in v.alternatives]
    related = [
        types.DiagnosticRelatedInformation(location=pos.location(r.location, uri_of), message=r.message)
        for r in v.related
    ]
    return types.Diagnostic(
        range=pos.range(v.location.file, v.location.range),
        message=v.message,
        severity=SEVERITY[v.severity],
        code=v.code,
        code_description=types.CodeDescription(href=rule_url(v.code)),
        source=SOURCE,
        related_information=related or None,
        data=data,
    )
