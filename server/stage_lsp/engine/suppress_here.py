"""The "suppress here" edit: a `stage-lsp: ignore[SLnnn]` comment that covers one finding. Pure.

The comment is written in the file kind's syntax (see `engine.suppressions`): `<!-- ... -->` in markdown,
`//` in TypeScript/JavaScript, `--` in SQL, `#` in Python and TOML. It goes alone on a new line above the
finding's line, with that line's indentation, so it covers exactly that line. Where a line of its own
would change what the file means, the comment follows the line instead: a markdown table row (a line
between rows would end the table). Inside a markdown fence it uses the fence language's comment
(`//` in a JSON-by-example body, which the plan readers skip as a comment; `--` in SQL); a fence whose
language has no known comment, a binary or unreadable file, YAML front matter, and unknown file kinds
get no suppression; neither do the findings about stage-lsp's own input (SL901-SL903). In TypeScript and
JavaScript a comment line must land where the parser sees trivia: not inside a string or template literal
(it would change the text) nor among JSX children or attributes (it would render as text); such lines get
no suppression.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import PurePosixPath

import tree_sitter as ts

from stage_lsp.code.treesitter import dialect_for, parse
from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile
from stage_lsp.core.violation import TextEdit, Violation

_LINE_COMMENT = {
    ".ts": "//",
    ".tsx": "//",
    ".mts": "//",
    ".cts": "//",
    ".js": "//",
    ".jsx": "//",
    ".mjs": "//",
    ".cjs": "//",
    ".sql": "--",
    ".py": "#",
    ".toml": "#",
}
_MARKDOWN = frozenset({".md", ".mdc", ".markdown"})
_FENCE_COMMENT = {
    "": "//",
    "json": "//",
    "jsonc": "//",
    "json5": "//",
    "js": "//",
    "javascript": "//",
    "ts": "//",
    "typescript": "//",
    "jsx": "//",
    "tsx": "//",
    "sql": "--",
    "pgsql": "--",
    "postgresql": "--",
    "plpgsql": "--",
    "python": "#",
    "py": "#",
    "toml": "#",
    "yaml": "#",
    "yml": "#",
    "sh": "#",
    "bash": "#",
}
# findings about stage-lsp's own input, where a comment is not the way out: an unused suppression (remove
# it), a configuration problem (fix the config), an unreadable file (nothing to put a comment in)
_META = frozenset({"SL901", "SL902", "SL903"})
_FENCE = re.compile(r"^ {0,3}(?:>\s*)*(`{3,}|~{3,})\s*([\w+-]*)")


def comment(codes: str, marker: str) -> str:
    if marker == "<!--":
        return f"<!-- stage-lsp: ignore[{codes}] -->"
    return f"{marker} stage-lsp: ignore[{codes}]"


def fence_language(lines: Sequence[str], line: int) -> str | None:
    """The info string of the fence holding `line` ("" for a bare fence), or None outside fences (the
    fence lines themselves are outside)."""
    if not 0 <= line < len(lines):
        return None
    return _fence_languages(lines)[line]


@lru_cache(maxsize=16)
def _fences_of(text: str) -> tuple[str | None, ...]:
    """`_fence_languages` of a file's text, once per text (a file's findings ask one after the other)."""
    return _fence_languages(_lines(text))


def _fence_languages(lines: Sequence[str]) -> tuple[str | None, ...]:
    """Per line, the language of the fence holding it, in one pass."""
    out: list[str | None] = []
    opened: tuple[str, str] | None = None  # (marker, language)
    for text in lines:
        m = _FENCE.match(text)
        if m is None:
            out.append(opened[1] if opened is not None else None)
            continue
        out.append(None)
        marker = m.group(1)
        if opened is None:
            opened = (marker, m.group(2).lower())
        elif marker[0] == opened[0][0] and len(marker) >= len(opened[0]) and not m.group(2):
            opened = None
    return tuple(out)


@lru_cache(maxsize=16)
def _lines(text: str) -> tuple[str, ...]:
    return tuple(text.split("\n"))


# nodes in which a new line of `//` comment is not trivia
_NOT_TRIVIA = frozenset(
    {
        "string",
        "template_string",
        "string_fragment",
        "regex",
        "comment",
        "jsx_element",
        "jsx_fragment",
        "jsx_opening_element",
        "jsx_self_closing_element",
        "jsx_closing_element",
        "jsx_text",
    }
)


_MAX_DEPTH = 2000


@lru_cache(maxsize=8)
def _tree_of(rel: str, text: str) -> ts.Tree | None:
    dialect = dialect_for(rel)
    return parse(SourceFile.from_text(rel, text), dialect) if dialect is not None else None


def _comment_fits(src: SourceFile, line: int, indent: str) -> bool:
    """Whether a comment line inserted before `line`'s first token is trivia to the parser."""
    tree = _tree_of(src.rel, src.text)
    if tree is None:
        return True
    point = (line, len(indent.encode("utf-8")))
    # down from the root to the innermost node the insertion point lies strictly inside (a cursor: a
    # node's `parent` walks from the root each time, quadratic on a pathologically deep tree)
    cursor = tree.walk()
    inner: ts.Node | None = None
    for _ in range(_MAX_DEPTH):
        node = cursor.node
        if node is None or tuple(node.start_point) >= point:
            break
        if point < tuple(node.end_point):
            inner = node
        if cursor.goto_first_child_for_point(point) is None:
            break
    else:
        return False  # nested too deep to tell: no comment
    return inner is None or inner.type not in _NOT_TRIVIA


def suppress_edit(src: SourceFile, violation: Violation) -> TextEdit | None:
    """The edit that suppresses `violation` (on its first line), or None when no comment can."""
    if violation.location.file != src.rel:
        return None
    return suppress_at(src, violation.code, violation.location.range.line)


def suppress_at(src: SourceFile, code: str, line: int) -> TextEdit | None:
    """The edit that suppresses a `code` finding starting on `line` of `src`, or None when no comment
    can. The language server asks this when the user asks for code actions, from the text the finding
    was computed from (not for every finding of every check: it may parse the file)."""
    suffix = PurePosixPath(src.rel).suffix.lower()
    if src.problem or code in _META:
        return None
    lines = _lines(src.text)
    if not 0 <= line < len(lines):
        return None
    text = lines[line]
    if suffix in _MARKDOWN:
        if line == 0 and text.strip() == "---":
            return None  # YAML front matter must stay the first line
        language = _fences_of(src.text)[line]
        if language is not None:
            marker = _FENCE_COMMENT.get(language.split("{")[0])
            if marker is None:
                return None
        elif text.lstrip().startswith("|"):
            end = Location(src.rel, Range(line, len(text), line, len(text)))
            return TextEdit(end, " " + comment(code, "<!--"))
        else:
            marker = "<!--"
    else:
        marker = _LINE_COMMENT.get(suffix, "")
        if not marker:
            return None
    indent = text[: len(text) - len(text.lstrip())]
    if marker == "//" and suffix not in _MARKDOWN and not _comment_fits(src, line, indent):
        return None
    return TextEdit(Location(src.rel, Range(line, 0, line, 0)), indent + comment(code, marker) + "\n")
