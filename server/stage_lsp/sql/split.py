"""Splitting a SQL script into statements with their offsets, when the script as a whole does not parse.

`read_sql` first parses the whole script in one go (the common case: no syntax error, and the cheapest);
only when that fails is the script split here and parsed statement by statement.

`pglast.split(sql, with_parser=False)` silently drops a statement whose first word is not a keyword
(`crate table ...`, a stray `foo;`): exactly the statements that must be reported as syntax errors. So the
script is split here on pglast's own scanner tokens (`pglast.parser.scan`, the PostgreSQL lexer: it knows
comments, quoted identifiers, `'...'`, `E'...'` and `$tag$...$tag$` strings), at semicolons outside
parentheses and outside `BEGIN ATOMIC ... END` bodies. Each statement then parses on its own, so one
syntax error costs one statement. Comments never belong to a statement: commented-out DDL is not DDL.

When the lexer itself fails (an unterminated string or comment), everything before the statement that
holds the error is split as usual and the rest of the script is one broken statement with the lexer's
message and offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pglast import parser as pg

from stage_lsp.sql.guard import scan_tokens

_COMMENTS = frozenset({"SQL_COMMENT", "C_COMMENT"})


@dataclass(frozen=True, slots=True)
class Chunk:
    """One statement: offsets of its first token and after its last (comments excluded), and the
    range of its tokens in `Split.tokens`."""

    start: int
    end: int
    first_token: int = 0
    last_token: int = 0  # exclusive
    error: tuple[str, int] | None = None  # lexer message and absolute offset, when the lexer failed


@dataclass(frozen=True, slots=True)
class Split:
    chunks: list[Chunk]
    tokens: list[Any]  # pglast Tokens (name, start, end inclusive), comments removed


def _scan(text: str) -> tuple[list[Any], tuple[str, int] | None]:
    """Scanner tokens without comments; on a lexer error, the tokens before it and the error."""
    try:
        return [t for t in scan_tokens(text) if t.name not in _COMMENTS], None
    except pg.ParseError as exc:
        message = str(exc.args[0]) if exc.args else "syntax error"
        where = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
        where = max(0, min(where, len(text)))
        try:
            tokens = [t for t in scan_tokens(text[:where]) if t.name not in _COMMENTS]
        except pg.ParseError:
            tokens = []
        return tokens, (message, where)


def split_sql(text: str) -> Split:
    """The statements of `text`, in order; empty statements (`;;`, comments only) are skipped."""
    tokens, error = _scan(text)
    chunks: list[Chunk] = []
    first = -1
    depth = 0  # parentheses
    atomic = 0  # BEGIN ATOMIC ... END nesting (CASE ... END inside counts too)
    prev = ""
    for i, tok in enumerate(tokens):
        name = tok.name
        if name == "ASCII_59" and depth == 0 and atomic == 0:
            if first >= 0:
                chunks.append(Chunk(tokens[first].start, tokens[i - 1].end + 1, first, i))
            first = -1
            prev = name
            continue
        if first < 0:
            first = i
        if name == "ASCII_40":
            depth += 1
        elif name == "ASCII_41":
            depth = max(0, depth - 1)
        elif (name == "ATOMIC" and prev == "BEGIN_P") or (name == "CASE" and atomic):
            atomic += 1
        elif name == "END_P" and atomic:
            atomic -= 1
        prev = name
    if error is not None:
        message, where = error
        start = tokens[first].start if first >= 0 else where
        end = max(len(text.rstrip()), where)
        chunks.append(Chunk(start, end, max(first, 0), len(tokens), (message, where)))
    elif first >= 0:
        chunks.append(Chunk(tokens[first].start, tokens[-1].end + 1, first, len(tokens)))
    return Split(chunks, tokens)


def split_chunks(text: str) -> list[Chunk]:
    return split_sql(text).chunks
