"""Top-level keys of JSON-by-example and TypeScript-ish object types, as plans write them.

Plan bodies are rarely valid JSON: `// comments`, `/* ... */`, `...` and `"...": "..."` placeholders,
`}, ...` ellipses, trailing commas, unquoted keys (`{ email: string, password?: string }`), several
alternative bodies one after the other (`// OR`), `interface X { ... }` blocks. So this is not a parser:
one pass over the characters tracks strings (which never span lines), comments and bracket depth, and
records a key wherever a quoted string or an identifier is followed by `:` (or `?:`) directly inside a
top-level object. A top-level array gives the keys of the objects it holds (the element of a list
body). Several top-level values give the union of their keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_IDENT = re.compile(r"[A-Za-z_$@][\w$\-]*")
_VALUE_END = re.compile(r"[,}\]\n]")
# Tokens that matter: strings (never spanning lines), comments, brackets, separators, identifiers. Any
# other character (digits, operators, prose) is skipped by the regex engine, not by Python.
_TOKEN = re.compile(r"\"(?:[^\"\\]|\\.)*\"?|'(?:[^'\\]|\\.)*'?|//.*|/\*|\*/|[{}\[\],;:?]|[A-Za-z_$@][\w$\-]*")


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    line: int
    col: int
    end_col: int
    value: str  # the value as written, trimmed (a type hint in plans), "" for objects and arrays


def top_level_keys(lines: Iterable[tuple[int, str]], *, shorthand: bool = False) -> list[Key]:
    """Keys of the top-level object(s) in the given (line number, text) pairs, in order, deduplicated.
    `shorthand`: also `{ a, b }` (JavaScript shorthand), for inline bodies only: in a fence `{id}` is
    more often a placeholder in an example."""
    keys: list[Key] = []
    seen: set[str] = set()
    stack: list[str] = []
    root_kind = ""  # "{" or "[": the kind of the first top-level container seen
    expect_key = False  # at key level, after `{`, `,` or `;` (not inside a value)
    in_block_comment = False
    for no, text in lines:
        pos = 0
        if in_block_comment:
            end = text.find("*/")
            if end == -1:
                continue
            in_block_comment = False
            pos = end + 2
        for m in _TOKEN.finditer(text, pos):
            if in_block_comment:
                if m.group() == "*/":
                    in_block_comment = False
                continue
            tok = m.group()
            first = tok[0]
            if tok == "/*":
                in_block_comment = True
                continue
            if tok.startswith("//"):
                break
            at_key_level = _key_level(root_kind, stack)
            if first in "{[":
                if not stack and not root_kind:
                    root_kind = first
                stack.append(first)
                expect_key = _key_level(root_kind, stack)
            elif first in "}]":
                if stack:
                    stack.pop()
                expect_key = False
            elif not at_key_level:
                continue
            elif first in ",;":
                expect_key = True
            elif first == ":":
                expect_key = False
            elif first in "\"'":
                j = _skip_space(text, m.end())
                if j < len(text) and text[j] == ":":
                    _add(
                        keys,
                        seen,
                        tok[1:-1] if tok[-1] == first and len(tok) > 1 else tok[1:],
                        no,
                        m.start() + 1,
                        m.end() - 1,
                        _value(text, j + 1),
                    )
            elif first.isalpha() or first in "_$@":
                j = _skip_space(text, m.end())
                if j < len(text) and text[j] == "?":
                    j = _skip_space(text, j + 1)
                if j < len(text) and text[j] == ":":
                    _add(keys, seen, tok, no, m.start(), m.end(), _value(text, j + 1))
                elif shorthand and expect_key and (j >= len(text) or text[j] in ",;}"):
                    _add(keys, seen, tok, no, m.start(), m.end(), "")  # shorthand `{ a, b }`
    return keys


def _key_level(root_kind: str, stack: list[str]) -> bool:
    return (root_kind == "{" and stack == ["{"]) or (root_kind == "[" and stack == ["[", "{"])


def _add(keys: list[Key], seen: set[str], name: str, line: int, col: int, end_col: int, value: str) -> None:
    if not _IDENT.fullmatch(name) or name in seen or name.strip(".") == "":
        return
    seen.add(name)
    keys.append(Key(name, line, col, end_col, value))


def _string_end(text: str, i: int) -> int:
    quote = text[i]
    j = i + 1
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == quote:
            return j + 1
        j += 1
    return len(text)


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _value(text: str, i: int) -> str:
    rest = text[i:].strip()
    if not rest or rest[0] in "{[":
        return ""
    if rest[0] in "\"'":
        end = _string_end(rest, 0)
        return rest[1 : end - 1].strip()
    m = _VALUE_END.search(rest)
    return (rest[: m.start()] if m else rest).strip()


def json_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of balanced `{...}` / `[...]` spans in one line of text (outside strings)."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = -1
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "\"'" and depth:
            i = _string_end(text, i)
            continue
        if ch in "{[":
            if depth == 0:
                start = i
            depth += 1
        elif ch in "}]" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
        i += 1
    return spans


_ELLIPSIS = re.compile(r"\.\.\.|…")
_ELLIPSIS_COMMENT = re.compile(r"^(?://|/\*)?\s*(?:\.\.\.|…)")


def elides_keys(lines: Iterable[tuple[int, str]]) -> bool:
    """Does the body say it shows only some of its top-level keys? An ellipsis where a key would be
    (`{ "id": 1, ... }`, `// ... other fields`, `/* ... */`, `"...": "..."`), not one inside a value
    (`"tags": [...]`, `"id": "..."`) or after the items of a list body (`[ {...}, ... ]`)."""
    stack: list[str] = []
    root_kind = ""
    expect_key = False
    block_text: list[str] | None = None  # inside `/* ... */`: its text so far
    block_at_key = False
    for _, text in lines:
        pos = 0
        while pos <= len(text):
            if block_text is not None:
                end = text.find("*/", pos)
                block_text.append(text[pos:] if end == -1 else text[pos:end])
                if end == -1:
                    break
                if block_at_key and _ELLIPSIS_COMMENT.match(" ".join(block_text).strip()):
                    return True
                block_text, pos = None, end + 2
                continue
            m = _TOKEN.search(text, pos)
            gap = text[pos : m.start() if m else len(text)]
            at_key = _key_level(root_kind, stack)
            if at_key and expect_key and _ELLIPSIS.search(gap):
                return True
            if m is None:
                break
            tok, first, pos = m.group(), m.group()[0], m.end()
            if tok == "/*":
                block_text, block_at_key = [], at_key
            elif tok.startswith("//"):
                if at_key and _ELLIPSIS_COMMENT.match(tok):
                    return True
                break
            elif first in "{[":
                if not stack and not root_kind:
                    root_kind = first
                stack.append(first)
                expect_key = _key_level(root_kind, stack)
            elif first in "}]":
                if stack:
                    stack.pop()
                expect_key = False
            elif at_key and first in ",;":
                expect_key = True
            elif at_key and first == ":":
                expect_key = False
            elif at_key and expect_key and first in "\"'" and _ELLIPSIS.fullmatch(tok.strip("\"'")):
                return True  # `"...": "..."`
    return False


@dataclass(frozen=True, slots=True)
class BodyEnd:
    """Where a key is appended to a body whose top level is one object: the text `lead + key + trail`
    at (line, col), after the last member (and its comma), on a new line with the keys' indentation when
    they are one per line. `quote` is how the keys are quoted ("" for bare keys)."""

    line: int
    col: int
    lead: str
    trail: str
    quote: str


def body_end(lines: list[tuple[int, str]], keys: list[Key]) -> BodyEnd | None:
    """The append point of a body (None: not one top-level object, or no key to copy the style of)."""
    if not keys:
        return None
    depth = 0
    opened: tuple[int, int] | None = None  # the root `{`
    last: tuple[int, int, str] | None = None  # after the last significant character inside the root
    in_block = False
    for no, text in lines:
        i = 0
        while i < len(text):
            if in_block:
                end = text.find("*/", i)
                if end == -1:
                    break
                in_block, i = False, end + 2
                continue
            ch = text[i]
            if ch in " \t\r":
                i += 1
                continue
            if text.startswith("//", i):
                break
            if text.startswith("/*", i):
                in_block, i = True, i + 2
                continue
            if opened is None:
                if ch != "{":
                    return None  # a list body, or text before the object
                opened, depth, last, i = (no, i), 1, (no, i + 1, "{"), i + 1
                continue
            if depth == 0:
                return None  # a second top-level value: variants
            if ch in "\"'":
                end = _string_end(text, i)
                last, i = (no, end, ch), end
                continue
            if ch in "{[":
                depth += 1
            elif ch in "}]":
                depth -= 1
                if depth == 0:
                    if last is None or last[2] == "{":
                        return None
                    return _end_of(lines, keys, opened, last, (no, i))
            last = (no, i + 1, ch)
            i += 1
    return None


def _end_of(
    lines: list[tuple[int, str]],
    keys: list[Key],
    opened: tuple[int, int],
    last: tuple[int, int, str],
    closed: tuple[int, int],
) -> BodyEnd | None:
    texts = dict(lines)
    key = keys[-1]
    line = texts.get(key.line, "")
    quote = line[key.col - 1] if key.col > 0 and line[key.col - 1] in "\"'" else ""
    comma = last[2] == ","
    if keys[0].line == opened[0] and closed[0] == opened[0]:  # all on one line
        return BodyEnd(last[0], last[1], " " if comma else ", ", "", quote)
    start = key.col - len(quote)
    indent = line[:start]
    if indent.strip() or key.line == opened[0]:
        return None  # keys are not one per line: no indentation to copy
    return BodyEnd(last[0], last[1], ("\n" if comma else ",\n") + indent, "," if comma else "", quote)
