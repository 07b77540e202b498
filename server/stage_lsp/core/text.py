"""Decoding files into text, and positions inside text.

Every position stage-lsp stores is (0-based line, 0-based column in Unicode code points). Parsers that
count differently convert at their edge: tree-sitter gives UTF-8 byte columns (`LineIndex.col_from_utf8`),
pglast gives character offsets (`LineIndex.position`). The language server converts to the client's
negotiated encoding (UTF-16 or UTF-8) only when it renders a Diagnostic.

Decoding sniffs what real projects contain: UTF-8 with or without BOM, UTF-16 LE/BE with BOM (Supabase
types generated from Windows PowerShell), UTF-16 without BOM (NUL-byte pattern), CRLF and lone CR line ends.
Line ends are normalised to LF in `DecodedText.text`; since an LSP client also treats CRLF as one line
break, (line, column) positions stay valid for the original file.
"""

from __future__ import annotations

import codecs
from bisect import bisect_right
from dataclasses import dataclass

# Files larger than this are not parsed; a diagnostic says so. Plans and route files are far smaller.
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class DecodedText:
    """The text of a file and what was learned while decoding it."""

    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16-le", "utf-16-be"
    crlf: bool
    problem: str | None = None  # set when the bytes are binary, undecodable or too large


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-heavy text has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > half * 0.4 and even_nuls < half * 0.05:
        return "utf-16-le"
    if even_nuls > half * 0.4 and odd_nuls < half * 0.05:
        return "utf-16-be"
    return None


def _normalise_newlines(text: str) -> tuple[str, bool]:
    if "\r" not in text:
        return text, False
    crlf = "\r\n" in text
    return text.replace("\r\n", "\n").replace("\r", "\n"), crlf


def decode_bytes(data: bytes, *, max_bytes: int = MAX_FILE_BYTES) -> DecodedText:
    """Decode file bytes; never raises. A problem is reported in `DecodedText.problem`."""
    if len(data) > max_bytes:
        return DecodedText("", "utf-8", False, f"file is too large to check ({len(data):,} bytes)")
    encoding = "utf-8"
    body = data
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8-sig", data[3:]
    elif data.startswith(codecs.BOM_UTF16_LE):
        encoding, body = "utf-16-le", data[2:]
    elif data.startswith(codecs.BOM_UTF16_BE):
        encoding, body = "utf-16-be", data[2:]
    else:
        sniffed = _looks_utf16(data)
        if sniffed:
            encoding = sniffed
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    if codec == "utf-8" and b"\x00" in body[:8000]:  # git's heuristic: a NUL early on means binary
        return DecodedText("", encoding, False, "binary file (NUL bytes); not checked")
    problem: str | None = None
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        text = body.decode(codec, errors="replace")
        problem = f"invalid {codec} at byte {exc.start}; undecodable bytes were replaced"
    if "\x00" in text:
        if codec != "utf-8" and text.count("\x00") > max(8, len(text) // 100):
            return DecodedText("", encoding, False, "binary file (NUL bytes); not checked")
        text = text.replace("\x00", "\ufffd")
        problem = problem or "NUL bytes replaced"
    text, crlf = _normalise_newlines(text)
    return DecodedText(text, encoding, crlf, problem)


class LineIndex:
    """Maps offsets in a text (code points, or UTF-8 bytes per line) to (line, column) positions."""

    __slots__ = ("_lines", "_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts
        self._lines: list[str] | None = None

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line(self, n: int) -> str:
        """The text of line `n` without its line break ('' past the end)."""
        if n < 0 or n >= len(self._starts):
            return ""
        start = self._starts[n]
        end = self._starts[n + 1] - 1 if n + 1 < len(self._starts) else len(self.text)
        return self.text[start:end]

    def offset(self, line: int, col: int) -> int:
        """Code-point offset of (line, col), clamped to the text."""
        if line >= len(self._starts):
            return len(self.text)
        if line < 0:
            return 0
        return min(self._starts[line] + max(col, 0), len(self.text))

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) of a code-point offset, clamped to the text."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self._starts, offset) - 1
        return line, offset - self._starts[line]

    def col_from_utf8(self, line: int, byte_col: int) -> int:
        """Code-point column of a UTF-8 byte column on `line` (tree-sitter points)."""
        text = self.line(line)
        if text.isascii():
            return min(byte_col, len(text))
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))

    def end(self) -> tuple[int, int]:
        return self.position(len(self.text))


def utf16_units(s: str) -> int:
    """Length of `s` in UTF-16 code units (what VS Code counts)."""
    if s.isascii():
        return len(s)
    return len(s.encode("utf-16-le")) // 2
