"""SQL the PostgreSQL lexer cannot take in reasonable time, recognised before it sees it.

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

_MARKS = re.compile(r"/\*|\*/")
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
