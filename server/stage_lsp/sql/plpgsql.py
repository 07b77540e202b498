"""PL/pgSQL bodies (functions, DO blocks) -> the SQL statements they run, with run-time parts as holes.

`pglast.parse_plpgsql` gives the body's statement tree (with body-relative line numbers). It is walked
with a small environment: function parameters become holes bound at call time, literal assignments are
tracked, `foreach x in array array['a','b']` runs once per literal, other loops once with an unknown
variable. `EXECUTE format('alter table %I enable row level security', t)` and `EXECUTE '...' || t || '...'`
become pieces (literal text and holes); static SQL is kept verbatim with its exact position.

Branches: THEN branches count as run (migrations guard idempotency with `if not exists (...) then`);
ELSIF/ELSE/CASE branches and exception handlers are marked uncertain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pglast
from pglast import ast
from pglast import parser as pg

from stage_lsp.core.location import Location
from stage_lsp.sql.guard import scan_tokens
from stage_lsp.sql.records import BodyStep, Hole, HoleMode, Piece
from stage_lsp.sql.stmt import Stmt

Value = tuple[Piece, ...]
UNKNOWN_VALUE: Value = (Hole("s", None),)

# Bodies without any of these words run no DDL worth reading (most trigger functions).
_INTERESTING = re.compile(r"\b(execute|create|alter|drop|perform|call|grant)\b", re.I)
_SIMPLE_IDENT = re.compile(r"[a-z_][a-z0-9_$]*")


def worth_reading(body: str) -> bool:
    return bool(_INTERESTING.search(body))


def quote_ident(value: str) -> str:
    if _SIMPLE_IDENT.fullmatch(value):
        return value
    return '"' + value.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _concat(*values: Value) -> Value:
    out: list[Piece] = []
    for v in values:
        for p in v:
            if isinstance(p, str) and out and isinstance(out[-1], str):
                out[-1] = out[-1] + p
            elif p != "":
                out.append(p)
    return tuple(out)


def _literal(value: Value) -> str | None:
    if all(isinstance(p, str) for p in value):
        return "".join(p for p in value if isinstance(p, str))
    return None


def _splice(value: Value, mode: HoleMode) -> Value:
    """A value inserted with %I / %L / %s (or quote_ident / quote_literal)."""
    text = _literal(value)
    if text is not None:
        if mode == "I":
            return (quote_ident(text),)
        if mode == "L":
            return (quote_literal(text),)
        return (text,)
    if mode == "s":
        return value
    if len(value) == 1 and isinstance(value[0], Hole):
        return (Hole(mode, value[0].param),)
    return (Hole(mode, None),)


_FORMAT_SPEC = re.compile(r"%(?:(\d+)\$)?([-]?\d*)([ILs%])")


def _format(fmt: str, args: list[Value]) -> Value:
    out: list[Value] = []
    pos = 0
    next_arg = 0
    for m in _FORMAT_SPEC.finditer(fmt):
        out.append((fmt[pos : m.start()],))
        pos = m.end()
        kind = m.group(3)
        if kind == "%":
            out.append(("%",))
            continue
        index = int(m.group(1)) - 1 if m.group(1) else next_arg
        next_arg = index + 1
        arg = args[index] if 0 <= index < len(args) else UNKNOWN_VALUE
        out.append(_splice(arg, kind))  # type: ignore[arg-type]
    out.append((fmt[pos:],))
    return _concat(*out)


@dataclass
class _Env:
    values: dict[str, Value] = field(default_factory=dict)
    params: tuple[str, ...] = ()

    def lookup(self, name: str) -> Value:
        name = name.lower()
        if name in self.values:
            return self.values[name]
        if name in self.params:
            return (Hole("s", self.params.index(name)),)
        return UNKNOWN_VALUE

    def copy(self) -> _Env:
        return _Env(dict(self.values), self.params)


def _eval_node(node: Any, env: _Env) -> Value:
    if isinstance(node, ast.A_Const):
        val = node.val
        if node.isnull or val is None:
            return UNKNOWN_VALUE
        for attr in ("sval", "ival", "fval", "bsval"):
            v = getattr(val, attr, None)
            if v is not None:
                return (str(v),)
        return UNKNOWN_VALUE
    if isinstance(node, ast.TypeCast):
        return _eval_node(node.arg, env)
    if isinstance(node, ast.ColumnRef):
        fields = node.fields or ()
        if len(fields) == 1 and getattr(fields[0], "sval", None):
            return env.lookup(fields[0].sval)
        return UNKNOWN_VALUE
    if isinstance(node, ast.ParamRef):
        return (Hole("s", (node.number or 1) - 1),)
    if isinstance(node, ast.A_Expr) and node.name and getattr(node.name[0], "sval", None) == "||":
        return _concat(_eval_node(node.lexpr, env), _eval_node(node.rexpr, env))
    if isinstance(node, ast.FuncCall):
        fname = ".".join(getattr(n, "sval", "") for n in node.funcname or ()).lower()
        fname = fname.removeprefix("pg_catalog.")
        args = [_eval_node(a, env) for a in node.args or ()]
        if fname == "format" and args:
            fmt = _literal(args[0])
            if fmt is not None:
                return _format(fmt, args[1:])
            return UNKNOWN_VALUE
        if fname == "quote_ident" and len(args) == 1:
            return _splice(args[0], "I")
        if fname in ("quote_literal", "quote_nullable") and len(args) == 1:
            return _splice(args[0], "L")
        if fname == "concat":
            return _concat(*args)
    return UNKNOWN_VALUE


def _eval(expr: str, env: _Env) -> Value:
    try:
        stmts: Any = pg.parse_sql("select " + expr)
        return _eval_node(stmts[0].stmt.targetList[0].val, env)
    except (pg.ParseError, AttributeError, IndexError, TypeError):
        return UNKNOWN_VALUE


def _eval_array(expr: str, env: _Env) -> list[Value] | None:
    try:
        stmts: Any = pg.parse_sql("select " + expr)
        node = stmts[0].stmt.targetList[0].val
    except (pg.ParseError, AttributeError, IndexError, TypeError):
        return None
    while isinstance(node, ast.TypeCast):
        node = node.arg
    if isinstance(node, ast.A_ArrayExpr):
        return [_eval_node(e, env) for e in node.elements or ()]
    return None


def _call_value(query: str, env: _Env) -> Value | None:
    """`SELECT f(a, b)` (PERFORM) or `call p(a)` -> `select f(<a>, <b>)` with arguments as literals/holes."""
    try:
        stmt = pg.parse_sql(query)[0].stmt
    except (pg.ParseError, IndexError):
        return None
    call = None
    if isinstance(stmt, ast.CallStmt):
        call = stmt.funccall
    elif isinstance(stmt, ast.SelectStmt) and stmt.targetList and len(stmt.targetList) == 1:
        call = stmt.targetList[0].val
    if not isinstance(call, ast.FuncCall):
        return None
    name = ".".join(getattr(n, "sval", "") for n in call.funcname or ())
    parts: list[Value] = [(f"select {name}(",)]
    for i, arg in enumerate(call.args or ()):
        if i:
            parts.append((", ",))
        parts.append(_splice(_eval_node(arg, env), "L"))
    parts.append((")",))
    return _concat(*parts)


class _Walker:
    def __init__(self, stmt: Stmt, body: str, body_offset: int | None, datums: list[Any]) -> None:
        self.stmt = stmt
        self.body = body
        self.body_offset = body_offset
        self.datums = datums
        starts = [0]
        for m in re.finditer("\n", body):
            starts.append(m.end())
        self.line_starts = starts
        self.steps: list[BodyStep] = []

    def _var_name(self, varno: Any) -> str | None:
        if isinstance(varno, int) and 0 <= varno < len(self.datums):
            d = self.datums[varno]
            inner: Any = next(iter(d.values()), {}) if isinstance(d, dict) else {}
            name = inner.get("refname") if isinstance(inner, dict) else None
            return name.lower() if isinstance(name, str) else None
        return None

    def _where(self, lineno: Any, text: str) -> tuple[Location, bool]:
        if self.body_offset is None or not isinstance(lineno, int) or lineno < 1:
            return self.stmt.location, False
        line = min(lineno - 1, len(self.line_starts) - 1)
        start = self.line_starts[line]
        found = self.body.find(text, start) if text else -1
        if found >= 0:
            base = self.body_offset + found
            return self.stmt.at(base, base + len(text)), True
        end = self.body.find("\n", start)
        end = len(self.body) if end < 0 else end
        raw = self.body[start:end]
        lead = len(raw) - len(raw.lstrip())
        base = self.body_offset + start
        return self.stmt.at(base + lead, base + len(raw.rstrip())), False

    def _add(self, pieces: Value, lineno: Any, text: str, *, dynamic: bool, certain: bool) -> None:
        location, exact = self._where(lineno, text)
        self.steps.append(BodyStep(pieces, location, dynamic, certain, exact and not dynamic))

    def walk(self, stmts: Any, env: _Env, certain: bool) -> None:
        for item in stmts or ():
            if isinstance(item, dict) and len(item) == 1:
                kind, node = next(iter(item.items()))
                if isinstance(node, dict):
                    self._stmt(kind, node, env, certain)

    @staticmethod
    def _query(node: Any, key: str) -> str:
        expr = node.get(key)
        if isinstance(expr, dict):
            inner = expr.get("PLpgSQL_expr", {})
            q = inner.get("query") if isinstance(inner, dict) else None
            return q if isinstance(q, str) else ""
        return ""

    def _stmt(self, kind: str, node: dict[str, Any], env: _Env, certain: bool) -> None:
        lineno = node.get("lineno")
        if kind == "PLpgSQL_stmt_block":
            self.walk(node.get("body"), env, certain)
            exc = node.get("exceptions", {}).get("PLpgSQL_exception_block", {})
            for handler in exc.get("exc_list", ()) if isinstance(exc, dict) else ():
                action = (
                    handler.get("PLpgSQL_exception", {}).get("action") if isinstance(handler, dict) else None
                )
                self.walk(action, env.copy(), False)
        elif kind == "PLpgSQL_stmt_execsql":
            q = self._query(node, "sqlstmt")
            if q:
                self._add((q,), lineno, q, dynamic=False, certain=certain)
        elif kind == "PLpgSQL_stmt_dynexecute":
            q = self._query(node, "query")
            if q:
                self._add(_eval(q, env), lineno, q, dynamic=True, certain=certain)
        elif kind in ("PLpgSQL_stmt_perform", "PLpgSQL_stmt_call"):
            q = self._query(node, "expr")
            value = _call_value(q, env) if q else None
            if value is not None:
                self._add(value, lineno, "", dynamic=True, certain=certain)
        elif kind == "PLpgSQL_stmt_assign":
            q = self._query(node, "expr")
            name = self._var_name(node.get("varno"))
            if name and ":=" in q:
                env.values[name] = _eval(q.split(":=", 1)[1].strip(), env)
            elif name and "=" in q:
                env.values[name] = _eval(q.split("=", 1)[1].strip(), env)
        elif kind == "PLpgSQL_stmt_if":
            self.walk(node.get("then_body"), env, certain)
            for elsif in node.get("elsif_list", ()) or ():
                inner = elsif.get("PLpgSQL_if_elsif", {}) if isinstance(elsif, dict) else {}
                self.walk(inner.get("stmts"), env.copy(), False)
            self.walk(node.get("else_body"), env.copy(), False)
        elif kind == "PLpgSQL_stmt_case":
            for when in node.get("case_when_list", ()) or ():
                inner = when.get("PLpgSQL_case_when", {}) if isinstance(when, dict) else {}
                self.walk(inner.get("stmts"), env.copy(), False)
            self.walk(node.get("else_stmts"), env.copy(), False)
        elif kind == "PLpgSQL_stmt_foreach_a":
            name = self._var_name(node.get("varno"))
            values = _eval_array(self._query(node, "expr"), env)
            if name and values is not None:
                for value in values:
                    inner_env = env.copy()
                    inner_env.values[name] = value
                    self.walk(node.get("body"), inner_env, certain)
            else:
                inner_env = env.copy()
                if name:
                    inner_env.values[name] = UNKNOWN_VALUE
                self.walk(node.get("body"), inner_env, certain)
        elif kind.startswith("PLpgSQL_stmt_") and "body" in node:  # loop, while, fori, fors, forc, dynfors
            inner_env = env.copy()
            var = node.get("var")
            if isinstance(var, dict):
                for v in var.values():
                    if isinstance(v, dict) and isinstance(v.get("refname"), str):
                        inner_env.values[v["refname"].lower()] = UNKNOWN_VALUE
            self.walk(node.get("body"), inner_env, certain)


def _body_offset(stmt: Stmt, body: str) -> int | None:
    """Offset in the statement of the body text inside its `$tag$ ... $tag$` quotes."""
    try:
        tokens = scan_tokens(stmt.text)
    except pg.ParseError:
        return None
    for t in tokens:
        if t.name != "SCONST":
            continue
        raw = stmt.text[t.start : t.end + 1]
        if not raw.startswith("$"):
            continue
        tag_end = raw.find("$", 1)
        if tag_end < 0:
            continue
        inner = raw[tag_end + 1 : len(raw) - (tag_end + 1)]
        if inner == body:
            return t.start + tag_end + 1
    return None


def read_body(
    stmt: Stmt, body: str, params: tuple[str, ...], function_sql: str | None = None
) -> tuple[tuple[BodyStep, ...] | None, str | None]:
    """The steps of a PL/pgSQL body, or (None, error message) when it does not parse.

    `function_sql`: the CREATE FUNCTION text; DO bodies are wrapped in a throw-away function."""
    sql = function_sql
    if sql is None:
        tag = "$stage_lsp_do$"
        if tag in body:
            return None, None
        sql = f"create function stage_lsp_do() returns void language plpgsql as {tag}{body}{tag}"
    try:
        parsed = pglast.parse_plpgsql(sql)
    except (pg.ParseError, ValueError) as exc:
        return None, str(exc.args[0]) if exc.args else "syntax error"
    except Exception:  # an unexpected parser failure is not the user's syntax error
        return None, None
    if not parsed or not isinstance(parsed[0], dict):
        return None, None
    fn = parsed[0].get("PLpgSQL_function", {})
    datums = fn.get("datums", []) if isinstance(fn, dict) else []
    walker = _Walker(stmt, body, _body_offset(stmt, body), datums)
    env = _Env(params=params)
    for d in datums:
        inner: Any = next(iter(d.values()), {}) if isinstance(d, dict) and d else {}
        name = inner.get("refname") if isinstance(inner, dict) else None
        default = inner.get("default_val") if isinstance(inner, dict) else None
        if isinstance(name, str) and isinstance(default, dict) and name.lower() not in params:
            q = default.get("PLpgSQL_expr", {}).get("query", "")
            env.values[name.lower()] = _eval(q, env) if q else UNKNOWN_VALUE
    action = fn.get("action") if isinstance(fn, dict) else None
    if isinstance(action, dict):
        walker.walk([action], env, True)
    return tuple(walker.steps), None
