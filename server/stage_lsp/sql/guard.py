"""SQL the PostgreSQL lexer (through pglast) cannot take in reasonable time, and the way around it.

`scan_tokens(text)`: pglast's `scan` maps each token's byte offset to a character offset by walking a list of
every multi-byte character, so it takes time proportional to tokens × non-ASCII characters: seconds for
a migration with a few thousand Polish letters after a syntax error, minutes for a megabyte. The lexer
treats every non-ASCII character as a letter (PostgreSQL's `ident_cont` includes all bytes >= 0x80), so
each one is replaced by `x` before scanning: the tokens are the same, their offsets are character
offsets of the original text already, and the mapping is skipped. A lexer error is raised from the
original text, so its message quotes what the user wrote.

PostgreSQL comments nest (`/* a /* b */ c */`), and libpg_query's lexer (used by pglast to scan and to
parse) takes time quadratic in the nesting depth: 20,000 nested `/*` take six seconds, a megabyte of them
hours. No real script nests comments more than a few levels, so a text nested deeper than
`MAX_COMMENT_DEPTH` is not given to the parser at all; the reader reports it as a syntax error instead.

The depth is counted over the whole text, strings included (a string holding a hundred unclosed `/*` is
not a real case either, and counting through strings also covers function bodies, which the PL/pgSQL
parser lexes again).
"""

from __future__ import annotations

import re

from pglast import parser as pg

_MARKS = re.compile(r"/\*|\*/")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
MAX_COMMENT_DEPTH = 100


def deep_comment(text: str, limit: int = MAX_COMMENT_DEPTH) -> int | None:
    """Offset of the first `/*` that opens a comment nested deeper than `limit`, or None. Linear time."""
    if text.count("/*") <= limit:
        return None
    depth = 0
    for m in _MARKS.finditer(text):
        if m.group() == "/*":
            depth += 1
            if depth > limit:
                return m.start()
        elif depth:
            depth -= 1
    return None


def scan_tokens(text: str) -> list[pg.Token]:
    """`pglast.parser.scan` in time linear in the text (see the module docstring); raises ParseError."""
    if text.isascii():
        return list(pg.scan(text))
    try:
        return list(pg.scan(_NON_ASCII.sub("x", text)))
    except pg.ParseError:
        return list(pg.scan(text))  # the same error; its message quotes the original text
