"""Records from policy statements, and the invalid multi-command `FOR INSERT, UPDATE` read per command.

PostgreSQL accepts one command per policy. Plans (and, rarely, migrations) write `for insert, update`;
that does not parse, so it is rewritten once per command and each copy is read as a `recovered` policy.
A migration replay still treats the statement as a syntax error (the database rejects it); a plan reader
can take the recovered policies as what the plan means.
"""

from __future__ import annotations

import json
from typing import Any

from pglast import parser as pg

from stage_lsp.core.location import Location
from stage_lsp.sql.names import range_var_name
from stage_lsp.sql.normalise import normalise_predicate
from stage_lsp.sql.records import AlterPolicy, Command, CreatePolicy
from stage_lsp.sql.stmt import Stmt, unwrap

_COMMANDS: dict[str, Command] = {
    "select": "select",
    "insert": "insert",
    "update": "update",
    "delete": "delete",
    "all": "all",
}
_COMMAND_TOKENS = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE_P", "ALL"})


def _roles(roles: Any) -> tuple[str, ...] | None:
    names: list[str] = []
    for item in roles or ():
        kind, r = unwrap(item)
        if kind != "RoleSpec":
            continue
        roletype = str(r.get("roletype", ""))
        if roletype == "ROLESPEC_CSTRING":
            names.append(str(r.get("rolename", "")).lower())
        elif roletype == "ROLESPEC_PUBLIC":
            names.append("public")
        else:
            names.append(roletype.removeprefix("ROLESPEC_").lower())
    if not names or names == ["public"]:
        return None
    return tuple(names)


def _predicate(s: Stmt, present: Any, keywords: tuple[str, ...]) -> str | None:
    if not present:
        return None
    text = s.group_after(keywords)
    return normalise_predicate(text) if text is not None else None


def create_policy(
    s: Stmt, n: dict[str, Any], *, recovered: bool = False, location: Location | None = None
) -> CreatePolicy:
    return CreatePolicy(
        name=str(n.get("policy_name", "")),
        table=range_var_name(n.get("table")),
        command=_COMMANDS.get(str(n.get("cmd_name", "all")).lower(), "all"),
        location=location or s.location,
        roles=_roles(n.get("roles")),
        permissive=bool(n.get("permissive")),
        using=_predicate(s, n.get("qual"), ("USING",)),
        with_check=_predicate(s, n.get("with_check"), ("WITH", "CHECK")),
        recovered=recovered,
    )


def alter_policy(s: Stmt, n: dict[str, Any]) -> AlterPolicy:
    roles = _roles(n.get("roles")) if n.get("roles") else None
    return AlterPolicy(
        name=str(n.get("policy_name", "")),
        table=range_var_name(n.get("table")),
        location=s.location,
        roles=roles,
        roles_public=bool(n.get("roles")) and roles is None,
        using=_predicate(s, n.get("qual"), ("USING",)),
        with_check=_predicate(s, n.get("with_check"), ("WITH", "CHECK")),
    )


def recover_multi_command(s: Stmt) -> tuple[CreatePolicy, ...]:
    """`create policy ... for insert, update ...` (invalid): one recovered policy per command."""
    tokens = s.tokens
    names = [t[0] for t in tokens]
    if len(names) < 2 or names[0] != "CREATE" or names[1] != "POLICY":
        return ()
    for i, name in enumerate(names):
        if name != "FOR":
            continue
        j = i + 1
        commands: list[str] = []
        while j < len(tokens) and names[j] in _COMMAND_TOKENS:
            commands.append(s.text[tokens[j][1] : tokens[j][2]].lower())
            if j + 1 < len(tokens) and names[j + 1] == "ASCII_44":
                j += 2
                continue
            j += 1
            break
        if len(commands) < 2:
            continue
        span_start, span_end = tokens[i + 1][1], tokens[j - 1][2]
        out: list[CreatePolicy] = []
        for command in commands:
            text = s.text[:span_start] + command + s.text[span_end:]
            try:
                stmts = json.loads(pg.parse_sql_json(text)).get("stmts", [])
            except (pg.ParseError, ValueError):
                return ()
            kind, node = unwrap(stmts[0].get("stmt")) if len(stmts) == 1 else ("", {})
            if kind != "CreatePolicyStmt":
                return ()
            out.append(
                create_policy(Stmt(text, s.base, s.positions), node, recovered=True, location=s.location)
            )
        return tuple(out)
    return ()
