"""Reading a SQL script: split, parse each statement on its own, and turn what it says into records."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pglast import parser as pg

from stage_lsp.sql import ddl, policies
from stage_lsp.sql.guard import MAX_COMMENT_DEPTH, deep_comment, scan_tokens
from stage_lsp.sql.names import string_list_name
from stage_lsp.sql.plpgsql import read_body, worth_reading
from stage_lsp.sql.positions import Origin, Positions
from stage_lsp.sql.records import CreateFunction, DoBlock, FunctionCall, SqlError, SqlRecord, SqlScript
from stage_lsp.sql.split import split_sql
from stage_lsp.sql.stmt import ByteOffsets, Stmt, strings, unwrap


def _const_text(node: Any) -> str | None:
    kind, inner = unwrap(node)
    while kind == "TypeCast":
        kind, inner = unwrap(inner.get("arg"))
    if kind != "A_Const" or inner.get("isnull"):
        return None
    for key, sub in (("sval", "sval"), ("ival", "ival"), ("fval", "fval"), ("boolval", "boolval")):
        if key in inner:
            value = inner[key].get(sub) if isinstance(inner[key], dict) else None
            if value is None:  # JSON omits zero / false / empty values
                value = {"ival": 0, "boolval": False, "sval": ""}.get(key)
            return str(value).lower() if key == "boolval" else str(value)
    return None


def _call(s: Stmt, call: dict[str, Any]) -> FunctionCall:
    args: list[str | None] = []
    named: list[tuple[str, str | None]] = []
    for a in call.get("args") or ():
        kind, inner = unwrap(a)
        if kind == "NamedArgExpr":
            named.append((str(inner.get("name", "")).lower(), _const_text(inner.get("arg"))))
        else:
            args.append(_const_text(a))
    return FunctionCall(string_list_name(call.get("funcname") or ()), tuple(args), s.location, tuple(named))


def _calls(s: Stmt, n: dict[str, Any]) -> list[SqlRecord]:
    out: list[SqlRecord] = []
    for target in n.get("targetList") or ():
        kind, val = unwrap(unwrap(target)[1].get("val"))
        if kind == "FuncCall":
            out.append(_call(s, val))
    return out


def _option(options: Any, name: str) -> Any:
    for o in options or ():
        kind, inner = unwrap(o)
        if kind == "DefElem" and inner.get("defname") == name:
            return inner.get("arg")
    return None


def _option_text(options: Any, name: str) -> str | None:
    kind, inner = unwrap(_option(options, name))
    if kind == "String":
        return str(inner.get("sval", ""))
    if kind == "List":
        items = strings(inner.get("items"))
        return items[0] if items else None
    return None


def _function(s: Stmt, n: dict[str, Any], errors: list[SqlError]) -> CreateFunction:
    params: list[str] = []
    for i, p in enumerate(n.get("parameters") or ()):
        param = unwrap(p)[1]
        if param.get("mode") in ("FUNC_PARAM_OUT", "FUNC_PARAM_TABLE"):  # not call arguments
            continue
        params.append(str(param.get("name") or f"${i + 1}").lower())
    language = _option_text(n.get("options"), "language")
    language = language.lower() if language else None
    body = _option_text(n.get("options"), "as")
    steps = None
    if language == "plpgsql" and body and worth_reading(body):
        steps, error = read_body(s, body, tuple(params), s.text)
        if error:
            errors.append(SqlError(f"PL/pgSQL body: {error}", s.location, s.location, s.text))
    return CreateFunction(
        name=string_list_name(n.get("funcname") or ()),
        params=tuple(params),
        location=s.location,
        language=language,
        replace=bool(n.get("replace")),
        steps=steps,
    )


def _do(s: Stmt, n: dict[str, Any], errors: list[SqlError]) -> DoBlock:
    body = _option_text(n.get("args"), "as")
    language = _option_text(n.get("args"), "language")
    if not body or (language and language.lower() != "plpgsql"):
        return DoBlock(s.location, None)
    if not worth_reading(body):
        return DoBlock(s.location, ())
    steps, error = read_body(s, body, ())
    if error:
        errors.append(SqlError(f"PL/pgSQL body: {error}", s.location, s.location, s.text))
    return DoBlock(s.location, steps)


_SINGLE: dict[str, Callable[[Stmt, dict[str, Any]], SqlRecord | None]] = {
    "CreateStmt": ddl.create_table,
    "AlterTableStmt": ddl.alter_table,
    "CreatePolicyStmt": policies.create_policy,
    "AlterPolicyStmt": policies.alter_policy,
    "RenameStmt": ddl.rename,
    "DropStmt": ddl.drop,
    "IndexStmt": ddl.create_index,
    "CreateEnumStmt": ddl.create_enum,
    "AlterEnumStmt": ddl.alter_enum,
    "ViewStmt": ddl.create_view,
    "CreateTableAsStmt": ddl.create_matview,
}


def records_of(s: Stmt, stmt: Any, errors: list[SqlError]) -> list[SqlRecord]:
    """What one parsed statement (libpg_query JSON) says; empty for statements not modelled."""
    kind, node = unwrap(stmt)
    single = _SINGLE.get(kind)
    one: SqlRecord | None = None
    if single is not None:
        one = single(s, node)
    elif kind == "CreateFunctionStmt":
        one = _function(s, node, errors)
    elif kind == "DoStmt":
        one = _do(s, node, errors)
    elif kind == "SelectStmt":
        return _calls(s, node)
    elif kind == "CallStmt" and node.get("funccall"):
        one = _call(s, node["funccall"])
    return [one] if one is not None else []


_TOKEN_WINDOW = 2_000  # the first token is looked for this far (not through the whole rest of the text)


def _token_end(text: str, at: int) -> int:
    """End of the token starting at `at` (the parser's error offset), by the scanner; one character else."""
    try:
        for t in scan_tokens(text[at : at + _TOKEN_WINDOW]):
            return at + t.end + 1 if t.start == 0 else at + 1
    except pg.ParseError:
        pass
    return min(len(text), at + 1)


def _error(s: Stmt, message: str, where: int | None, *, internal: bool = False) -> SqlError:
    at = 0 if where is None else max(0, min(where, len(s.text)))
    end = _token_end(s.text, at) if at < len(s.text) else at
    return SqlError(message, s.at(at, end), s.location, s.text, internal)


def _skip_comments(text: str, i: int, end: int) -> int:
    """First offset at or after `i` that is not whitespace or a comment (`--`, nested `/* */`)."""
    while i < end:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif text.startswith("--", i):
            nl = text.find("\n", i)
            i = end if nl < 0 else nl + 1
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < end and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        else:
            break
    return min(i, end)


def _last_token_end(text: str, start: int, end: int) -> int:
    """End of the statement's last token: trailing whitespace and comments trimmed."""
    seg = text[start:end].rstrip()
    tail = seg.rsplit("\n", 1)[-1]
    if "--" not in tail and not seg.endswith("*/"):
        return start + len(seg)
    try:
        tokens = [t for t in scan_tokens(seg) if t.name not in ("SQL_COMMENT", "C_COMMENT")]
    except pg.ParseError:
        return start + len(seg)
    return start + (tokens[-1].end + 1 if tokens else 0)


def _read_parsed(text: str, positions: Positions, stmts: list[Any]) -> SqlScript:
    """The fast path: the whole script parsed in one go (no syntax error anywhere)."""
    offsets = ByteOffsets(text)
    records: list[SqlRecord] = []
    errors: list[SqlError] = []
    for raw in stmts:
        b_start = raw.get("stmt_location", 0)
        b_len = raw.get("stmt_len", 0)
        c_start = offsets.char(b_start)
        c_end = offsets.char(b_start + b_len) if b_len else len(text)
        first = _skip_comments(text, c_start, c_end)
        last = _last_token_end(text, first, c_end)
        s = Stmt(text[first:last], first, positions, script_bytes=offsets)
        try:
            records.extend(records_of(s, raw.get("stmt"), errors))
        except Exception as exc:  # a node shape this reader did not foresee: never crash on user text
            errors.append(
                _error(s, f"statement could not be read: {type(exc).__name__}", None, internal=True)
            )
    return SqlScript(tuple(records), tuple(errors), len(stmts))


def read_sql(text: str, origin: Origin | str) -> SqlScript:
    """Read a SQL script: records of every statement that parses, an error for each that does not.

    `origin` is where the text's first character sits (`Origin`), or just the file for a whole file.
    A script without syntax errors is parsed in one go; otherwise it is split on the scanner's tokens
    and each statement is parsed on its own, so one syntax error costs one statement."""
    if isinstance(origin, str):
        origin = Origin(origin)
    positions = Positions(text, origin)
    deep = deep_comment(text)
    if deep is not None:  # the lexer would take hours: one error for the whole text
        script = Stmt(text, 0, positions)
        message = f"comments nested more than {MAX_COMMENT_DEPTH} deep; the SQL is not parsed"
        return SqlScript((), (SqlError(message, script.at(deep, deep + 2), script.location, text),), 1)
    try:
        whole = json.loads(pg.parse_sql_json(text))
    except Exception:  # a syntax error somewhere (or a parser limit): statement by statement
        whole = None
    if isinstance(whole, dict):
        return _read_parsed(text, positions, whole.get("stmts", []))
    records: list[SqlRecord] = []
    errors: list[SqlError] = []
    split = split_sql(text)
    chunks = split.chunks
    for chunk in chunks:
        s = Stmt(
            text[chunk.start : chunk.end],
            chunk.start,
            positions,
            split.tokens[chunk.first_token : chunk.last_token] if chunk.error is None else None,
        )
        if chunk.error is not None:
            message, where = chunk.error
            errors.append(_error(s, message, where - chunk.start))
            continue
        try:
            parsed = json.loads(pg.parse_sql_json(s.text)).get("stmts", [])
        except pg.ParseError as exc:
            message = str(exc.args[0]) if exc.args else "syntax error"
            at = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None
            errors.append(_error(s, message, at))
            records.extend(policies.recover_multi_command(s))
            continue
        except Exception as exc:  # pglast limits (deep nesting, ...): one statement, not a crash
            errors.append(_error(s, f"statement could not be read: {exc}", None, internal=True))
            continue
        for raw in parsed:
            try:
                records.extend(records_of(s, raw.get("stmt"), errors))
            except Exception as exc:  # a node shape this reader did not foresee: never crash on user text
                errors.append(
                    _error(s, f"statement could not be read: {type(exc).__name__}", None, internal=True)
                )
    return SqlScript(tuple(records), tuple(errors), len(chunks))
