"""Hypothesis strategies that break real inputs: cut, duplicate, reorder, splice, inject, flood, nest.

`mutated(seeds)` draws a real seed and applies one to four mutations; `encoded(text)` turns a text into
the bytes a file on disk could hold (UTF-8 with or without BOM, UTF-16 with BOM or without, Latin-1,
CRLF, torn multi-byte sequences). Every choice is a plain draw, so Hypothesis can shrink a failure to
the smallest seed slice and the fewest mutations.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Sequence

from hypothesis import strategies as st

from tests.reliability.seeds import Seed

# Characters and strings that trip up readers: Polish letters, emoji (astral, modifiers, ZWJ), RTL and
# bidi controls, combining marks, BOM and zero-width characters, the line breaks `str.splitlines` knows
# but LSP does not, NUL, lone surrogates (a Python str can hold them), full-width and typographic
# look-alikes of markdown and code punctuation.
UNICODE_BITS = (
    "zażółć gęślą jaźń",
    "ŻÓŁTA ĆMA",
    "🚀",
    "👍🏽",
    "👨\u200d👩\u200d👧",
    "\u202eשלום\u202c",
    "مرحبا بالعالم",
    "e\u0301\u0308",
    "\u0301",
    "\ufeff",
    "\u200b",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0b",
    "\x0c",
    "\x1c",
    "\r",
    "\r\n",
    "\t",
    "\x00",
    "\ud800",
    "\udfff",
    "\U0010ffff",
    "\uffff",
    "｛",
    "＂",
    "’",
    "“",
    "—",
    "…",
    "`",
    "```",
    "|",
    "$$",
    "/*",
    "--",
    "\\",
)

# Units a long line is made of (markdown, table, code and SQL syntax that invites backtracking).
FLOOD_UNITS = (
    "x",
    "| a ",
    "`",
    "[",
    "{",
    "(",
    "- ",
    "#",
    "*",
    "\\",
    "'",
    '"',
    "$$",
    "/*",
    "<a>",
    "ą",
    "🚀",
    " ",
)
FLOOD_SIZES = (100, 5_000, 100_000, 1_000_000)
# Source files get lines up to 100,000 characters: tree-sitter's error recovery costs 10-50 µs per
# character of garbage (a megabyte line of quotes takes 15-50 s to parse, linearly; see
# docs/reliability.md), which would spend the campaign's time on one known, unfixable-here cost.
CODE_FLOOD_SIZES = (100, 5_000, 100_000)
NEST_DEPTHS = (10, 100, 1_000, 10_000)


def _nest(kind: int, depth: int) -> str:
    """A deeply nested construct: brackets, lists, quotes, JSON, SQL and TSX."""
    if kind == 0:
        return "[" * depth + "]" * depth
    if kind == 1:
        return "{" * depth + "}" * depth
    if kind == 2:
        return "(" * depth + ")" * depth
    if kind == 3:
        return "\n".join("  " * min(i, 2_000) + "- item" for i in range(min(depth, 2_000)))
    if kind == 4:
        return "> " * depth + "quote"
    if kind == 5:
        return '{"a": ' * depth + "1" + "}" * depth
    if kind == 6:
        return "select " + "(" * depth + "1" + ")" * depth + ";"
    if kind == 7:
        return "<div>" * depth + "</div>" * depth
    if kind == 8:
        return "f(" * depth + ")" * depth
    return "1. " * depth + "x"


NEST_KINDS = 10


def _lines(text: str) -> list[str]:
    return text.split("\n")


@st.composite
def _mutate(draw: st.DrawFn, text: str, others: Sequence[Seed], floods: Sequence[int] = FLOOD_SIZES) -> str:
    """One mutation of `text`."""
    op = draw(st.integers(0, 10))
    lines = _lines(text)
    n = len(lines)
    if op == 0:  # cut a block of lines
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(a, min(n, a + 200)))
        return "\n".join(lines[:a] + lines[b:])
    if op == 1:  # cut characters (a torn token, a truncated file)
        a = draw(st.integers(0, len(text)))
        b = draw(st.integers(a, min(len(text), a + 2_000)))
        return text[:a] + text[b:]
    if op == 2:  # duplicate a block of lines somewhere else
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(a, min(n, a + 50)))
        at = draw(st.integers(0, n))
        return "\n".join(lines[:at] + lines[a:b] + lines[at:])
    if op == 3:  # reorder: swap two lines, or move a block
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(0, n - 1))
        lines[a], lines[b] = lines[b], lines[a]
        return "\n".join(lines)
    if op == 4:  # splice a block of another real document in
        other = _lines(draw(st.sampled_from(others)).text) if others else lines
        a = draw(st.integers(0, len(other) - 1))
        b = draw(st.integers(a, min(len(other), a + 40)))
        at = draw(st.integers(0, n))
        return "\n".join(lines[:at] + other[a:b] + lines[at:])
    if op == 5:  # inject a tricky character or string
        at = draw(st.integers(0, len(text)))
        bit = draw(st.sampled_from(UNICODE_BITS))
        return text[:at] + bit + text[at:]
    if op == 6:  # replace a line with arbitrary text
        a = draw(st.integers(0, n - 1))
        lines[a] = draw(st.text(max_size=80))
        return "\n".join(lines)
    if op == 7:  # a very long line
        unit = draw(st.sampled_from(FLOOD_UNITS))
        size = draw(st.sampled_from(floods))
        at = draw(st.integers(0, n))
        return "\n".join([*lines[:at], (unit * (size // len(unit) + 1))[:size], *lines[at:]])
    if op == 8:  # deep nesting
        kind = draw(st.integers(0, NEST_KINDS - 1))
        depth = draw(st.sampled_from(NEST_DEPTHS))
        at = draw(st.integers(0, n))
        return "\n".join([*lines[:at], _nest(kind, depth), *lines[at:]])
    if op == 9:  # other line ends everywhere
        return text.replace("\n", draw(st.sampled_from(("\r\n", "\r", "\u2028", "\n\n"))))
    # NUL bytes sprinkled over a line
    a = draw(st.integers(0, n - 1))
    lines[a] = "\x00".join(lines[a][i : i + 3] for i in range(0, max(len(lines[a]), 1), 3))
    return "\n".join(lines)


@st.composite
def mutate_text(
    draw: st.DrawFn,
    text: str,
    pool: Sequence[Seed],
    *,
    max_ops: int = 4,
    floods: Sequence[int] = FLOOD_SIZES,
) -> str:
    """`text` with zero to `max_ops` mutations (splices take blocks of the documents in `pool`)."""
    for _ in range(draw(st.integers(0, max_ops))):
        text = draw(_mutate(text, pool, floods))
    return text


@st.composite
def mutated(
    draw: st.DrawFn,
    seeds: Callable[[], Sequence[Seed]],
    *,
    max_ops: int = 4,
    floods: Sequence[int] = FLOOD_SIZES,
) -> tuple[Seed, str]:
    """(the seed, a mutated copy of its text): a real document with zero to `max_ops` mutations."""
    pool = seeds()
    seed = draw(st.sampled_from(pool))
    return seed, draw(mutate_text(seed.text, pool, max_ops=max_ops, floods=floods))


ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1250")


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """The bytes of `text` as a file could hold them, sometimes torn or with stray bytes."""
    encoding = draw(st.sampled_from(ENCODINGS))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if encoding == "utf-16-le" and draw(st.booleans()):
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le", errors="surrogatepass")
    else:
        data = text.encode(
            encoding, errors="replace" if encoding in ("latin-1", "cp1250") else "surrogatepass"
        )
    if data and draw(st.booleans()):  # tear the file at an arbitrary byte, or insert stray bytes
        at = draw(st.integers(0, len(data)))
        stray = draw(
            st.sampled_from((b"", b"\xff", b"\xc3", b"\xe2\x82", b"\x00", b"\x80\x80", b"\xef\xbb\xbf"))
        )
        data = data[:at] + stray + (data[at:] if draw(st.booleans()) else b"")
    return data
