"""Row-level security policies written in prose: per-operation policy statements.

Switching RLS on or off is `plan.db.rls_toggle`. Policies: "2. **Select**: allow if `user_id = auth.uid()`", "- **INSERT/UPDATE**: ...", "**Polityka SELECT**",
"- **decks**: OWNER policy (...) for CRUD; PUBLIC_READ policy on share_hash match", "- users: id = auth.uid()",
"`select` i `update` tylko dla właściciela, `all` dla roli serwisowej", "Analogiczne polityki ... do `x`".
Statements that say a command has no policy ("**UPDATE**: BRAK", "Delete: no policy") give nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import cast

from stage_lsp.plan.db.lexicon import (
    ACCESS,
    ALL_TABLES,
    ANALOGOUS,
    COMMAND_LIST,
    COMMAND_WORDS,
    NEGATION,
    PERMISSION,
    ROLE_WORDS,
    SOFT_DELETE,
    SQL_COMMAND,
    WITH_COLUMN,
    Command,
)
from stage_lsp.plan.db.names import IDENT, mentioned_tables, normalise
from stage_lsp.plan.db.rls_toggle import is_commentary
from stage_lsp.plan.outline import Text

_CODE = re.compile(r"`([^`]*)`")
_PREDICATE = re.compile(
    r"(=|<>|!=|<|>|\bauth\.\w+\(|\btrue\b|\bfalse\b|\bexists\b|\bin\s*\(|\bis\s+(not\s+)?null\b)", re.I
)
_LEAD_MARKUP = re.compile(r"^[\s*_`]+")
_TABLE_WORD = re.compile(r"\b(tables?|tabel\w*|tabeli)\b", re.I)
_POLICY_WORD = re.compile(r"\b(polic(y|ies)|polityk\w*)\b", re.I)


@dataclass(frozen=True, slots=True)
class PolicyHit:
    commands: tuple[Command, ...]
    tables: tuple[str, ...]  # named by the statement; empty: the surrounding context decides
    line: int
    col: int
    end_col: int
    using: str | None = None
    roles: tuple[str, ...] | None = None
    name: str | None = None
    with_check: str | None = None
    label: bool = False  # "SELECT: ..." form
    analogous: bool = False  # "similar policies apply to ...": copy the previous table's policies
    selector_column: str | None = None  # "... to all tables with `col`"
    all_tables: bool = False
    predicate_in_line: bool = False


def _commands(text: str) -> tuple[Command, ...]:
    found: list[Command] = []
    for command, pattern in COMMAND_WORDS:
        if pattern.search(text):
            found.append(command)
    return tuple(found)


def _mask_parens(text: str) -> str:
    out = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        out.append(" " if depth else ch)
        if ch == ")" and depth:
            depth -= 1
    return "".join(out)


_STRONG_COMMAND = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|ALL|CRUD)\b")
_LEADING_COMMAND = re.compile(r"^\W*(select|insert|update|delete|read)\b", re.I)


def _keep_command_span(m: re.Match[str]) -> str:
    inner = m.group(1).strip()
    parts = re.split(r"(?<!\s)\s*[/,]\s*|(?<!\s)\s+(?:i|and|oraz)\s+", inner)
    if parts and all(SQL_COMMAND.match(p) for p in parts):
        return " " + " ".join(p.upper() for p in parts) + " "
    return " "


def _mask_subqueries(text: str) -> str:
    """Blank out parenthesised SQL (`(SELECT id FROM x WHERE ...)`), however deeply nested."""
    out = list(text)
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            start = stack.pop()
            if not stack and re.search(r"(?is)\bselect\b.*\bfrom\b", text[start:i]):
                out[start : i + 1] = " " * (i + 1 - start)
    return "".join(out)


def _clause_commands(clause: str) -> tuple[Command, ...]:
    """Commands of a clause: code spans count only when they are a bare command (`select`, `INSERT/UPDATE`)."""

    def keep(m: re.Match[str]) -> str:
        inner = m.group(1)
        parts = re.split(r"(?<!\s)\s*[/,]\s*|(?<!\s)\s+(?:i|and|oraz)\s+", inner.strip())
        if parts and all(SQL_COMMAND.match(p) for p in parts):
            return " " + " ".join(p.upper() for p in parts) + " "
        return " " * len(m.group(0))

    plain = SOFT_DELETE.sub(" ", _CODE.sub(keep, clause))
    outside = _commands(_mask_parens(plain))
    if outside:
        return outside
    return _commands(_mask_subqueries(plain))


def _balanced_after(text: str, start: int) -> str | None:
    """The text inside the parenthesis that opens at or after `start` (balanced)."""
    i = text.find("(", start)
    if i < 0:
        return None
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                return text[i + 1 : j]
    return None


def clause_expression(text: str, keyword: str) -> str | None:
    """`USING (expr)` / `WITH CHECK (expr)` in prose: the balanced expression."""
    m = re.search(rf"\b{keyword}\s*\(", text, re.I)
    if not m:
        return None
    inner = _balanced_after(text, m.end() - 1)
    return re.sub(r"\s+", " ", inner).strip() if inner else None


# A value, not a condition: `auth.uid()` returns a uuid ("allowed when `user_id` equals `auth.uid()`").
_AUTH_VALUE = re.compile(r"(?i)^\(?\s*(?:select\s+)?auth\.(?:uid|jwt|role|email)\s*\(\s*\)\s*\)?$")


def _predicate(text: str) -> str | None:
    for m in _CODE.finditer(text):
        inner = m.group(1).strip()
        if _AUTH_VALUE.match(inner):
            continue
        if _PREDICATE.search(inner) and not re.match(r"(?i)^(create|alter)\b", inner):
            inner = re.sub(r"(?i)^(using|with\s+check)\s*", "", inner).strip()
            if inner.startswith("(") and inner.endswith(")") and _balanced_after(inner, 0) == inner[1:-1]:
                inner = inner[1:-1].strip()
            return re.sub(r"\s+", " ", inner)
    for keyword in ("using", r"with\s+check"):
        found = clause_expression(text, keyword)
        if found:
            return found
    plain = text.replace("`", "")
    expr = re.search(
        rf"(?<![\w$])(?P<e>(?:{IDENT}\.)?{IDENT}\s*(?:=|IN)\s*(?:\(.+\)|auth\.\w+\(\)|{IDENT}(?:\.{IDENT})?))",
        plain,
    )
    if expr and "auth." in expr.group("e"):
        return re.sub(r"\s+", " ", expr.group("e")).strip()
    return None


def _roles(text: str) -> tuple[str, ...] | None:
    roles = tuple(role for role, pattern in ROLE_WORDS if pattern.search(text))
    return roles or None


def _split_top_level(text: str, cut: Callable[[str, int], tuple[int, int] | None]) -> list[tuple[int, str]]:
    """Split `text` where `cut(text, i)` says so, outside code spans and parentheses; (offset, part).

    `cut` returns (end of this part, start of the next) for a boundary at `i`, or None."""
    out: list[tuple[int, str]] = []
    depth = 0
    in_code = False
    start = 0
    for i, ch in enumerate(text):
        if ch == "`":
            in_code = not in_code
        elif not in_code and ch == "(":
            depth += 1
        elif not in_code and ch == ")":
            depth = max(0, depth - 1)
        elif not in_code and depth == 0 and (where := cut(text, i)) is not None:
            out.append((start, text[start : where[0]]))
            start = where[1]
    out.append((start, text[start:]))
    return [(o, part) for o, part in out if part.strip()]


def _split_clauses(text: str) -> list[tuple[int, str]]:
    """Split on `;` and `,` outside code spans and parentheses; (offset, clause)."""
    return _split_top_level(text, lambda t, i: (i, i + 1) if t[i] in ";," else None)


def _sentences(text: str) -> list[tuple[int, str]]:
    """Split at `. ` before an upper-case letter, outside code spans and parentheses; (offset, sentence)."""

    def cut(t: str, i: int) -> tuple[int, int] | None:
        return (
            (i + 1, i + 2) if t[i] == "." and t[i + 1 : i + 2] == " " and t[i + 2 : i + 3].isupper() else None
        )

    return _split_top_level(text, cut)


def _label_tables(text: str, known: frozenset[str]) -> tuple[tuple[str, ...], int]:
    """`**decks**: ...`, `users: ...`, `` `a`, `b`: ... ``: the tables and where the rest starts."""
    m = re.search(r":|—|–|\s-\s", text[:160])
    if not m:
        return (), 0
    prefix = re.sub(r"\([^)]*\)", " ", text[: m.start()])
    prefix = re.sub(r"[*`]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", " ", prefix)
    words = [w for w in re.split(r"[\s,&]+", prefix) if w and w.lower() not in ("and", "i", "oraz")]
    if not words or len(words) > 8:
        return (), 0
    if not all(re.fullmatch(rf"(?:{IDENT}\.)?{IDENT}", w) for w in words):
        return (), 0
    names = tuple(normalise(w) for w in words)
    if all(n in known for n in names):
        return names, m.end()
    return (), 0


def _command_label(body: str) -> tuple[str, str] | None:
    """`SELECT: desc`, `**Polityka INSERT/UPDATE**:`, `` `SELECT`: desc ``: (label, desc) or None."""
    sep = re.search(r":|—|–|\s-\s", body[:80])
    if not sep:
        return None
    label = re.sub(r"\([^)]*\)", " ", body[: sep.start()])
    label = re.sub(r"[*`]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", " ", label).strip()
    if not label or not COMMAND_LIST.match(re.sub(r"\s+", " ", label)):
        return None
    desc = re.sub(r"^[*_\s]+", "", body[sep.end() :])
    return label, desc


def _named_in_policy(text: Text, known: frozenset[str]) -> tuple[str, ...]:
    """Tables a policy sentence names: in backticks or bold, or plain after a word for "table"."""
    hits = mentioned_tables(text, known)
    if not hits:
        return ()
    if _TABLE_WORD.search(text.text):
        return tuple(dict.fromkeys(h.name for h in hits))
    out = []
    for h in hits:
        start = h.col - text.col
        before = text.text[max(0, start - 2) : start]
        if before.endswith(("`", "*", "_")) or text.text[max(0, start - 1) : start] in ("`", "*"):
            out.append(h.name)
    return tuple(dict.fromkeys(out))


def parse_policy_line(text: Text, known: frozenset[str]) -> list[PolicyHit]:
    """Policy statements of one line of an RLS section (or of a table's `RLS:` list)."""
    raw = text.text
    if not raw.strip() or is_commentary(raw):
        return []
    lead = _LEAD_MARKUP.match(raw)
    body_start = 0
    tables, after = _label_tables(raw, known)
    if tables:
        body_start = after
    body = raw[body_start:]
    start = len(raw) - len(raw.lstrip())
    span = (text.at(start), text.at(len(raw.rstrip())))
    # "SELECT: ...", "**Polityka INSERT/UPDATE/DELETE**:", "`SELECT`: ...", "**SELECT:**"
    label = _command_label(body)
    if label is not None:
        words = re.findall(r"select|insert|update|delete|all|read|write", label[0], re.I)
        commands: list[Command] = []
        for w in words:
            w = w.lower()
            mapped: Command = "select" if w == "read" else "all" if w == "write" else cast(Command, w)
            if mapped not in commands:
                commands.append(mapped)
        desc = label[1]
        head = re.sub(r"^[\s*_`\-–—:]+", "", desc)[:24]
        if NEGATION.match(head) or re.match(r"(?i)^(brak|none|no\b|nie\b|n/a|❌|-$)", head):
            return []
        return [
            PolicyHit(
                tuple(commands),
                tables,
                text.line,
                *span,
                using=_predicate(desc),
                roles=_roles(desc),
                label=True,
            )
        ]
    del lead
    hits: list[PolicyHit] = []
    for sentence_start, sentence in _sentences(body):
        base = body_start + sentence_start
        if ANALOGOUS.search(sentence) and not _clause_commands(sentence):
            named = _named_in_policy(Text(text.line, text.at(base), sentence), known)
            blanket = ALL_TABLES.search(sentence)
            column = None
            if blanket:
                wc = WITH_COLUMN.search(sentence[blanket.start() :])
                column = wc.group("col").lower() if wc else None
            if named or blanket or tables:
                hits.append(
                    PolicyHit(
                        (),
                        tables or named,
                        text.line,
                        *span,
                        analogous=True,
                        selector_column=column,
                        all_tables=bool(blanket) and not named,
                    )
                )
            continue
        for offset, clause in _split_clauses(sentence):
            commands_found = _clause_commands(clause)
            if not commands_found:
                continue
            plain = _CODE.sub(" ", clause)
            if NEGATION.search(plain):
                continue
            strong = _STRONG_COMMAND.search(_CODE.sub(_keep_command_span, clause)) or _LEADING_COMMAND.match(
                plain
            )
            if not strong and not PERMISSION.search(plain):
                continue  # "a aktualizacja próbuje zmienić ...": describes, does not grant
            clause_tables = tables or _named_in_policy(Text(text.line, text.at(base + offset), clause), known)
            hits.append(
                PolicyHit(
                    commands_found,
                    clause_tables,
                    text.line,
                    *span,
                    using=clause_expression(clause, "using") or _predicate(clause),
                    roles=_roles(clause),
                    with_check=clause_expression(clause, r"with\s+check"),
                )
            )
    if any(h.analogous for h in hits):
        return [h for h in hits if h.analogous]
    if hits:
        predicate = any(h.using or h.with_check for h in hits)
        return [replace(h, predicate_in_line=predicate) for h in hits]
    negated = bool(NEGATION.search(_CODE.sub(" ", body)))
    if tables and (_predicate(body) or ACCESS.search(body)) and not negated:
        return [PolicyHit(("all",), tables, text.line, *span, using=_predicate(body), roles=_roles(body))]
    named = _named_in_policy(Text(text.line, text.at(body_start), body), known)
    if named and _POLICY_WORD.search(body) and not negated:
        return [PolicyHit(("all",), named, text.line, *span, using=_predicate(body), roles=_roles(body))]
    return []
