"""One statement being read: its text, where it sits, its tokens, and offset -> Location helpers.

Statements are parsed with `pglast.parser.parse_sql_json` (libpg_query's JSON, about seven times faster
than building pglast's Python AST for every statement). Node locations in that JSON are offsets into the
statement's text, but an expression's location is its operator, not its start, and nothing gives its
end; so expression text is cut from the statement with the scanner's tokens (`group_after`,
`expression_at`) and normalised as text (`sql.normalise`, cached: the same predicates recur).
"""

from __future__ import annotations

from typing import Any

from pglast import parser as pg

from stage_lsp.core.location import Location
from stage_lsp.sql.guard import scan_tokens
from stage_lsp.sql.positions import Positions

Token = tuple[str, int, int]  # name, start, end (exclusive)
_OPEN = frozenset({"ASCII_40", "ASCII_91"})
_CLOSE = frozenset({"ASCII_41", "ASCII_93"})
_COMMENTS = frozenset({"SQL_COMMENT", "C_COMMENT"})
# Keywords that end a column DEFAULT expression (the next column constraint).
COLUMN_CONSTRAINT_WORDS = frozenset(
    {
        "NOT",
        "NULL_P",
        "CONSTRAINT",
        "PRIMARY",
        "UNIQUE",
        "REFERENCES",
        "CHECK",
        "GENERATED",
        "COLLATE",
        "DEFAULT",
        "DEFERRABLE",
        "INITIALLY",
    }
)


class ByteOffsets:
    """UTF-8 byte offsets -> code-point offsets of one text (libpg_query's JSON counts bytes)."""

    __slots__ = ("_chars",)

    def __init__(self, text: str) -> None:
        self._chars: list[int] | None = None
        if not text.isascii():
            chars: list[int] = []
            for i, ch in enumerate(text):
                n = len(ch.encode("utf-8", errors="surrogatepass"))
                chars.extend([i] * n)
            chars.append(len(text))
            self._chars = chars

    def char(self, byte_offset: int) -> int:
        if self._chars is None:
            return byte_offset
        return self._chars[max(0, min(byte_offset, len(self._chars) - 1))]


class Stmt:
    __slots__ = ("_bytes", "_node_base", "_script_tokens", "_tokens", "base", "positions", "text")

    def __init__(
        self,
        text: str,
        base: int,
        positions: Positions,
        script_tokens: Any = None,
        *,
        script_bytes: ByteOffsets | None = None,
    ) -> None:
        self.text = text  # the statement's own text; `char()` maps node locations into it
        self.base = base  # offset of `text` in the script
        self.positions = positions
        self._script_tokens = script_tokens  # this statement's scanner tokens, offsets in the script
        self._tokens: list[Token] | None = None
        # Node locations are UTF-8 byte offsets: into the whole script when it parsed in one go
        # (`script_bytes` given), else into this statement's text.
        self._bytes = script_bytes
        self._node_base = base if script_bytes is not None else 0

    def char(self, location: Any) -> int | None:
        """A JSON node location (bytes) -> code-point offset in this statement's text."""
        if not isinstance(location, int) or location < 0:
            return None
        if self._bytes is None:
            self._bytes = ByteOffsets(self.text)
        return self._bytes.char(location) - self._node_base

    @property
    def location(self) -> Location:
        return self.positions.location(self.base, self.base + len(self.text))

    def at(self, start: int | None, end: int | None = None) -> Location:
        """Location of [start, end) given as offsets in the statement; the statement when unknown."""
        if start is None or start < 0:
            return self.location
        stop = end if end is not None and end >= start else self.name_end(start)
        return self.positions.location(self.base + start, self.base + stop)

    def name_end(self, start: int) -> int:
        """End of a (possibly qualified, possibly quoted) name starting at `start`."""
        text = self.text
        i = start
        n = len(text)
        while i < n:
            if text[i] == '"':
                j = text.find('"', i + 1)
                while j != -1 and j + 1 < n and text[j + 1] == '"':
                    j = text.find('"', j + 2)
                i = n if j == -1 else j + 1
            else:
                while i < n and (text[i].isalnum() or text[i] in "_$"):
                    i += 1
            if i < n and text[i] == "." and i + 1 < n and (text[i + 1].isalnum() or text[i + 1] in '_"'):
                i += 1
                continue
            break
        return max(i, start)

    # -- tokens -----------------------------------------------------------------------------------------

    @property
    def tokens(self) -> list[Token]:
        if self._tokens is None and self._script_tokens is not None:
            base = self.base
            self._tokens = [(t.name, t.start - base, t.end + 1 - base) for t in self._script_tokens]
        if self._tokens is None:
            try:
                self._tokens = [
                    (t.name, t.start, t.end + 1) for t in scan_tokens(self.text) if t.name not in _COMMENTS
                ]
            except pg.ParseError:
                self._tokens = []
        return self._tokens

    def _index_at(self, offset: int) -> int:
        """Index of the token that contains `offset` or is the first after it."""
        for i, (_, _, end) in enumerate(self.tokens):
            if end > offset:
                return i
        return len(self.tokens)

    def group_after(self, names: tuple[str, ...], start: int = 0) -> str | None:
        """Text inside the parentheses that follow the token sequence `names` (`USING (...)`)."""
        toks = self.tokens
        n = len(names)
        for i in range(self._index_at(start), len(toks) - n):
            if tuple(t[0] for t in toks[i : i + n]) != names or toks[i + n][0] != "ASCII_40":
                continue
            depth = 0
            for j in range(i + n, len(toks)):
                if toks[j][0] in _OPEN:
                    depth += 1
                elif toks[j][0] in _CLOSE:
                    depth -= 1
                    if depth == 0:
                        return self.text[toks[i + n][2] : toks[j][1]]
            return None
        return None

    def first_group(self, start: int) -> str | None:
        """Text inside the first parentheses that open at or after offset `start`."""
        toks = self.tokens
        depth = 0
        open_end = -1
        for name, t_start, t_end in toks:
            if t_start < start:
                continue
            if name == "ASCII_40":
                if depth == 0:
                    open_end = t_end
                depth += 1
            elif name == "ASCII_41" and depth:
                depth -= 1
                if depth == 0:
                    return self.text[open_end:t_start]
        return None

    def expression_at(self, start: int, stop_words: frozenset[str] = frozenset()) -> str | None:
        """The expression starting at offset `start`: up to a comma or closing parenthesis at its own
        depth, a `stop_words` keyword at depth 0, or the end of the statement."""
        toks = self.tokens
        i = self._index_at(start)
        first = i
        depth = 0
        end = None
        while i < len(toks):
            name, _, t_end = toks[i]
            if depth == 0 and (name in ("ASCII_44", "ASCII_59") or name in _CLOSE):
                break
            if depth == 0 and i > first and name in stop_words:
                break
            if name in _OPEN:
                depth += 1
            elif name in _CLOSE:
                depth -= 1
            end = t_end
            i += 1
        if end is None or first >= len(toks):
            return None
        return self.text[toks[first][1] : end]

    def token_after(self, offset: int) -> Token | None:
        """The first token that starts at or after `offset`."""
        for tok in self.tokens:
            if tok[1] >= offset:
                return tok
        return None


# -- JSON node helpers ------------------------------------------------------------------------------------


def unwrap(value: Any) -> tuple[str, dict[str, Any]]:
    """`{"Type": {...}}` -> ("Type", {...}); anything else -> ("", {})."""
    if isinstance(value, dict) and len(value) == 1:
        kind, inner = next(iter(value.items()))
        if isinstance(inner, dict):
            return kind, inner
    return "", {}


def strings(items: Any) -> list[str]:
    """Values of a JSON list of String nodes (`[{"String": {"sval": "x"}}]`)."""
    out: list[str] = []
    for item in items or ():
        kind, inner = unwrap(item)
        if kind == "String":
            out.append(str(inner.get("sval", "")))
    return out
