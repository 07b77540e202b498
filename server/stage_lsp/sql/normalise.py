"""Canonical text for SQL types, expressions and policy predicates, shared by migrations and plans.

Expressions are normalised on the parsed tree, then deparsed: casts (`::text`) dropped, `public.`
prefixes dropped, `(select auth.uid())` replaced by `auth.uid()` (the performance idiom means the same),
redundant parentheses and whitespace gone (the deparser prints only the parentheses precedence needs),
keywords and identifiers in lower case (string literals keep theirs). So the migration's
`USING ((select auth.uid()) = user_id)` normalises to `auth.uid() = user_id`, as the plan's
`auth.uid() = user_id` does.

`predicate_key` goes one step further for comparing: operands of `=`/`<>` and of AND/OR chains are put in a
fixed order, so `user_id = auth.uid()` and `auth.uid() = user_id` have the same key, and a comparison with a
boolean literal is reduced (`p.is_admin = true` is `p.is_admin`, `x = false` is `not x`: equal for null too),
and an OR branch that admits only Supabase's service role (`auth.role() = 'service_role'`) is dropped: that
role bypasses RLS, so the branch never decides anything.

Text that does not parse (plans hold pseudo-SQL) gets a textual normalisation instead: lower case outside
quotes, collapsed whitespace, `public.` and `::type` removed, outer parentheses stripped.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from pglast import ast, enums
from pglast import parser as pg
from pglast.stream import RawStream

from stage_lsp.sql.guard import deep_comment, scan_tokens

# pg_catalog's internal type names -> the names people write (and plans use).
_TYPE_ALIASES = {
    "int4": "integer",
    "int": "integer",
    "int2": "smallint",
    "int8": "bigint",
    "bool": "boolean",
    "float4": "real",
    "float8": "double precision",
    "float": "double precision",
    "bpchar": "char",
    "character": "char",
    "character varying": "varchar",
    "decimal": "numeric",
    "serial4": "serial",
    "serial8": "bigserial",
    "timestamp with time zone": "timestamptz",
    "timestamp without time zone": "timestamp",
    "time with time zone": "timetz",
    "time without time zone": "time",
}
_SCHEMAS_DROPPED = frozenset({"pg_catalog", "public"})


def _deparse(node: Any) -> str:
    return str(RawStream()(node))


def _lower_outside_literals(sql: str) -> str:
    """Lower-case keywords and identifiers of deparsed SQL; string literals and quoted names keep case."""
    try:
        tokens = scan_tokens(sql)
    except pg.ParseError:
        return sql
    out: list[str] = []
    pos = 0
    for t in tokens:
        out.append(sql[pos : t.start])
        piece = sql[t.start : t.end + 1]
        if t.name == "SCONST" or piece.startswith('"'):
            out.append(piece)
        else:
            out.append(piece.lower())
        pos = t.end + 1
    out.append(sql[pos:])
    return "".join(out)


# -- types ------------------------------------------------------------------------------------------------


def type_from_json(type_name: Any) -> str | None:
    """A TypeName (JSON) -> `varchar(20)`, `timestamptz`, `text[]`, `numeric(10,2)`, `extensions.vector(3)`."""
    if not isinstance(type_name, dict) or not type_name.get("names"):
        return None
    names = [str(n.get("String", {}).get("sval", "")) for n in type_name["names"] if isinstance(n, dict)]
    while len(names) > 1 and names[0].lower() in _SCHEMAS_DROPPED:
        names = names[1:]
    base = ".".join(n.lower() for n in names)
    base = _TYPE_ALIASES.get(base, base)
    mods: list[str] = []
    for m in type_name.get("typmods") or ():
        const = m.get("A_Const", {}) if isinstance(m, dict) else {}
        ival = const.get("ival", {}).get("ival", 0 if "ival" in const else None)
        if ival is None:
            mods = []
            break
        mods.append(str(ival))
    text = base + (f"({','.join(mods)})" if mods and base != "interval" else "")
    if type_name.get("arrayBounds"):
        text += "[]" * len(type_name["arrayBounds"])
    if type_name.get("setof"):
        text = "setof " + text
    return text


_TYPE_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def normalise_type(text: str) -> str:
    """A type as written (`VARCHAR(255)`, `character varying`, `int`, `TIMESTAMP WITH TIME ZONE`)."""
    cleaned = _TYPE_SPACES.sub(" ", text.strip().rstrip(",;")).strip()
    if not cleaned:
        return cleaned
    try:
        doc = json.loads(pg.parse_sql_json(f"create table t (c {cleaned})"))
        elts = doc["stmts"][0]["stmt"]["CreateStmt"]["tableElts"]
        col = elts[0]["ColumnDef"]
        if len(elts) == 1 and not col.get("constraints"):
            found = type_from_json(col.get("typeName"))
            if found:
                return found
    except (pg.ParseError, KeyError, IndexError, TypeError, ValueError):
        pass
    lowered = re.sub(r"(?<!\s)\s*([(),])\s*", r"\1", cleaned.lower())
    lowered = re.sub(r"^(public|pg_catalog)\.", "", lowered)
    base, paren, rest = lowered.partition("(")
    return _TYPE_ALIASES.get(base, base) + paren + rest


# -- expressions -----------------------------------------------------------------------------------------


def _is_plain_scalar_select(sel: Any) -> bool:
    return (
        isinstance(sel, ast.SelectStmt)
        and sel.targetList is not None
        and len(sel.targetList) == 1
        and not sel.fromClause
        and sel.whereClause is None
        and not sel.groupClause
        and sel.havingClause is None
        and not sel.sortClause
        and sel.limitCount is None
        and not sel.distinctClause
        and not sel.valuesLists
        and sel.op == enums.SetOperation.SETOP_NONE
    )


def _drop_public(items: Any) -> Any:
    if items and len(items) > 1 and getattr(items[0], "sval", None) in _SCHEMAS_DROPPED:
        return items[1:]
    return items


def _rewrite(node: Any, commutative: bool) -> Any:
    if isinstance(node, tuple):
        items = tuple(_rewrite(n, commutative) for n in node)
        return node if all(a is b for a, b in zip(items, node, strict=True)) else items
    if not isinstance(node, ast.Node):
        return node
    for name in node:
        value = getattr(node, name)
        if isinstance(value, ast.Node | tuple):
            new = _rewrite(value, commutative)
            if new is not value:
                setattr(node, name, new)
    if isinstance(node, ast.TypeCast):
        return node.arg
    if (
        isinstance(node, ast.SubLink)
        and node.subLinkType == enums.SubLinkType.EXPR_SUBLINK
        and _is_plain_scalar_select(node.subselect)
    ):
        sub: Any = node.subselect
        return sub.targetList[0].val
    if isinstance(node, ast.FuncCall):
        node.funcname = _drop_public(node.funcname)
    elif isinstance(node, ast.ColumnRef) and node.fields and len(node.fields) > 2:
        node.fields = _drop_public(node.fields)
    elif isinstance(node, ast.RangeVar) and (node.schemaname or "").lower() in _SCHEMAS_DROPPED:
        node.schemaname = None
    if commutative:
        boolean = _boolean_comparison(node)
        if boolean is not None:
            return boolean
        kept = _without_service_role_branches(node)
        if kept is not None:
            return kept
        _order_operands(node)
    return node


_SERVICE_ROLE_TEST = re.compile(
    r"^\(?(?:auth\.role\(\)|auth\.jwt\(\) ->> 'role'|current_user|current_role|session_user)\)?"
    r" = 'service_role'$|^'service_role' = \(?(?:auth\.role\(\)|auth\.jwt\(\) ->> 'role'|current_user|"
    r"current_role|session_user)\)?$"
)


def _without_service_role_branches(node: Any) -> Any | None:
    """`owner = auth.uid() or auth.role() = 'service_role'` is `owner = auth.uid()`: Supabase's service
    role bypasses RLS, so a policy branch that admits only it never decides anything. None: no change."""
    if not (isinstance(node, ast.BoolExpr) and node.boolop == enums.BoolExprType.OR_EXPR and node.args):
        return None
    kept = [a for a in node.args if not _SERVICE_ROLE_TEST.match(_lower_outside_literals(_deparse(a)))]
    if len(kept) == len(node.args) or not kept:
        return None
    if len(kept) == 1:
        return kept[0]
    node.args = tuple(kept)
    _order_operands(node)
    return node


def _boolean_comparison(node: Any) -> Any | None:
    """`x = true` is `x` and `x = false` is `not x`, for every value of x, null included."""
    if not (
        isinstance(node, ast.A_Expr)
        and node.kind == enums.A_Expr_Kind.AEXPR_OP
        and node.name
        and len(node.name) == 1
        and getattr(node.name[0], "sval", None) == "="
        and node.lexpr is not None
        and node.rexpr is not None
    ):
        return None
    for const, other in ((node.rexpr, node.lexpr), (node.lexpr, node.rexpr)):
        value = getattr(const, "val", None) if isinstance(const, ast.A_Const) else None
        if isinstance(value, ast.Boolean):
            if value.boolval:
                return other
            return ast.BoolExpr(boolop=enums.BoolExprType.NOT_EXPR, args=(other,))
    return None


_SYMMETRIC_OPS = frozenset({"=", "<>", "!="})


def _order_operands(node: Any) -> None:
    if (
        isinstance(node, ast.A_Expr)
        and node.kind == enums.A_Expr_Kind.AEXPR_OP
        and node.name
        and len(node.name) == 1
        and getattr(node.name[0], "sval", None) in _SYMMETRIC_OPS
        and node.lexpr is not None
        and node.rexpr is not None
        and _deparse(node.rexpr) < _deparse(node.lexpr)
    ):
        left: Any = node.rexpr
        right: Any = node.lexpr
        node.lexpr, node.rexpr = left, right
    elif isinstance(node, ast.BoolExpr) and node.boolop != enums.BoolExprType.NOT_EXPR and node.args:
        flat: list[Any] = []
        for arg in node.args:
            if isinstance(arg, ast.BoolExpr) and arg.boolop == node.boolop:
                flat.extend(arg.args or ())
            else:
                flat.append(arg)
        node.args = tuple(sorted(flat, key=_deparse))


def expression_from_node(node: Any, *, commutative: bool = False) -> str:
    """Normalised text of a pglast expression node (the node is rewritten in place: pass a fresh one)."""
    return _lower_outside_literals(_deparse(_rewrite(node, commutative)))


_LEAD = re.compile(r"^\s*(using|with\s+check)\b", re.I)


def _parse_expression(text: str) -> Any | None:
    body = _LEAD.sub("", text).strip().rstrip(";").strip()
    if not body or deep_comment(body) is not None:
        return None
    try:
        stmts: Any = pg.parse_sql(f"select ({body})")
    except pg.ParseError:
        return None
    if not stmts or len(stmts) != 1:
        return None
    sel: Any = stmts[0].stmt
    if not isinstance(sel, ast.SelectStmt) or not _is_plain_scalar_select(sel):
        return None
    targets: Any = sel.targetList
    return targets[0].val


@lru_cache(maxsize=8192)
def normalise_expression(text: str) -> str:
    """Normalised text of an SQL expression as written; a textual normalisation when it does not parse."""
    node = _parse_expression(text)
    if node is None:
        return _fallback(text)
    try:
        return expression_from_node(node)
    except Exception:  # deparser limits: never fail on user text
        return _fallback(text)


def normalise_predicate(text: str) -> str:
    """A policy's USING / WITH CHECK text (a leading `using`/`with check` keyword is ignored)."""
    return normalise_expression(text)


@lru_cache(maxsize=8192)
def predicate_key(text: str) -> str:
    """What two predicates are compared by: normalised, with symmetric operands in a fixed order."""
    node = _parse_expression(text)
    if node is None:
        return _fallback(text)
    try:
        return expression_from_node(node, commutative=True)
    except Exception:  # deparser limits: never fail on user text
        return _fallback(text)


_QUOTED = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\")")
_CAST = re.compile(r"::\s*[a-z_][a-z0-9_.]*(\s*\(\s*\d+(\s*,\s*\d+)?\s*\))?(\s*\[\])*")
_SELECT_WRAP = re.compile(r"\(\s*select\s+([a-z_][a-z0-9_.]*\s*\([^()]*\))\s*\)")


def _fallback(text: str) -> str:
    body = _LEAD.sub("", text).strip().rstrip(";").strip()
    parts = _QUOTED.split(body)
    out: list[str] = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(part)
            continue
        p = re.sub(r"\s+", " ", part.lower())
        p = re.sub(r"\bpublic\.", "", p)
        p = _CAST.sub("", p)
        p = _SELECT_WRAP.sub(r"\1", p)
        p = re.sub(r"\(\s+", "(", p)
        p = re.sub(r"(?<!\s)\s+\)", ")", p)
        out.append(p)
    result = "".join(out).strip()
    while result.startswith("(") and result.endswith(")") and _balanced(result[1:-1]):
        result = result[1:-1].strip()
    return result


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
