from __future__ import annotations

import codecs

from stage_lsp.core.text import LineIndex, decode_bytes, utf16_units


def test_utf8_plain_and_bom() -> None:
    assert decode_bytes("zażółć".encode()).text == "zażółć"
    decoded = decode_bytes(codecs.BOM_UTF8 + "Ścieżka".encode())
    assert decoded.text == "Ścieżka"
    assert decoded.encoding == "utf-8-sig"


def test_utf16_with_bom_and_crlf() -> None:
    data = codecs.BOM_UTF16_LE + "export type Database = {\r\n  public: {}\r\n}\r\n".encode("utf-16-le")
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-16-le"
    assert decoded.crlf
    assert decoded.text.splitlines()[1] == "  public: {}"
    assert "\r" not in decoded.text


def test_utf16_without_bom_is_sniffed() -> None:
    decoded = decode_bytes("create table decks (id uuid);\n".encode("utf-16-be"))
    assert decoded.encoding == "utf-16-be"
    assert decoded.text.startswith("create table decks")


def test_binary_and_invalid_bytes() -> None:
    binary = decode_bytes(bytes(range(256)) * 20)
    assert binary.text == "" and binary.problem and "binary" in binary.problem
    broken = decode_bytes(b"GET /api/x \xff\xfe done")
    assert broken.problem and "invalid utf-8" in broken.problem
    assert broken.text.startswith("GET /api/x")


def test_too_large() -> None:
    decoded = decode_bytes(b"a" * 100, max_bytes=10)
    assert decoded.text == "" and decoded.problem and "too large" in decoded.problem


def test_line_index_positions_and_utf8_columns() -> None:
    text = "# Plan\n- Ścieżka: `/api/żółw`\nend"
    idx = LineIndex(text)
    assert idx.line_count == 3
    assert idx.line(1) == "- Ścieżka: `/api/żółw`"
    offset = text.index("/api")
    assert idx.position(offset) == (1, 12)
    byte_col = idx.line(1)[:12].encode().__len__()
    assert byte_col == 14  # Ś and ż are two bytes each
    assert idx.col_from_utf8(1, byte_col) == 12
    assert idx.offset(*idx.position(offset)) == offset
    assert idx.position(10_000) == (2, 3)


def test_utf16_units_counts_surrogate_pairs() -> None:
    assert utf16_units("abc") == 3
    assert utf16_units("ż") == 1
    assert utf16_units("🚀x") == 3
