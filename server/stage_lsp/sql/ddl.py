"""Records from table, index, type and view statements (libpg_query JSON -> sql.records)."""

from __future__ import annotations

from typing import Any

from stage_lsp.sql.names import qualified, range_var_name, string_list_name
from stage_lsp.sql.normalise import normalise_expression, type_from_json
from stage_lsp.sql.records import (
    AddColumn,
    AddConstraint,
    AddEnumValue,
    AlterAction,
    AlterColumnType,
    AlterTable,
    Column,
    ConstraintKind,
    CreateEnum,
    CreateIndex,
    CreateTable,
    CreateView,
    DropColumn,
    DropConstraint,
    DropIndex,
    DropPolicy,
    DropTable,
    DropType,
    DropView,
    RenameColumn,
    RenameIndex,
    RenamePolicy,
    RenameTable,
    SetDefault,
    SetNullable,
    SetRls,
    SqlRecord,
    TableConstraint,
)
from stage_lsp.sql.stmt import COLUMN_CONSTRAINT_WORDS, Stmt, strings, unwrap


def _lower(items: Any) -> tuple[str, ...]:
    return tuple(s.lower() for s in strings(items))


def _references(c: dict[str, Any]) -> str | None:
    table = range_var_name(c.get("pktable"))
    if not table:
        return None
    cols = _lower(c.get("pk_attrs"))
    return f"{table}({','.join(cols)})" if cols else table


def _default_text(s: Stmt, location: int | None) -> str | None:
    """The expression after the DEFAULT keyword at `location` (a node location)."""
    at = s.char(location)
    if at is None:
        return None
    keyword = s.token_after(at)
    if keyword is None or keyword[0] != "DEFAULT":
        return None
    text = s.expression_at(keyword[2], COLUMN_CONSTRAINT_WORDS)
    return normalise_expression(text) if text else None


def column_from_def(s: Stmt, cd: dict[str, Any]) -> Column:
    name = str(cd.get("colname", "")).lower()
    nullable: bool | None = False if cd.get("is_not_null") else None
    default = references = None
    pk = unique = False
    for item in cd.get("constraints") or ():
        kind, c = unwrap(item)
        if kind != "Constraint":
            continue
        contype = c.get("contype")
        if contype in ("CONSTR_NOTNULL", "CONSTR_IDENTITY"):
            nullable = False
        elif contype == "CONSTR_NULL":
            nullable = True
        elif contype == "CONSTR_PRIMARY":
            pk, nullable = True, False
        elif contype == "CONSTR_UNIQUE":
            unique = True
        elif contype == "CONSTR_DEFAULT":
            default = _default_text(s, c.get("location"))
        elif contype == "CONSTR_FOREIGN":
            references = _references(c)
    return Column(
        name=name,
        location=s.at(s.char(cd.get("location"))),
        type=type_from_json(cd.get("typeName")),
        nullable=nullable,
        default=default,
        references=references,
        primary_key=pk,
        unique=unique,
    )


_CONSTRAINT_KINDS: dict[str, ConstraintKind] = {
    "CONSTR_PRIMARY": "primary_key",
    "CONSTR_UNIQUE": "unique",
    "CONSTR_FOREIGN": "foreign_key",
    "CONSTR_CHECK": "check",
    "CONSTR_EXCLUSION": "exclude",
}


def table_constraint(s: Stmt, c: dict[str, Any]) -> TableConstraint:
    kind = _CONSTRAINT_KINDS.get(str(c.get("contype")), "other")
    cols = _lower(c.get("fk_attrs")) if kind == "foreign_key" else _lower(c.get("keys"))
    return TableConstraint(
        kind=kind,
        columns=cols,
        location=s.at(s.char(c.get("location"))),
        name=c.get("conname") or None,
        references=_references(c) if kind == "foreign_key" else None,
    )


def create_table(s: Stmt, n: dict[str, Any]) -> CreateTable:
    columns: list[Column] = []
    constraints: list[TableConstraint] = []
    like: list[str] = []
    for elt in n.get("tableElts") or ():
        kind, inner = unwrap(elt)
        if kind == "ColumnDef":
            columns.append(column_from_def(s, inner))
        elif kind == "Constraint":
            constraints.append(table_constraint(s, inner))
        elif kind == "TableLikeClause" and inner.get("relation"):
            like.append(range_var_name(inner["relation"]))
    partition_of = None
    inh = n.get("inhRelations") or ()
    if n.get("partbound") and inh:
        partition_of = range_var_name(unwrap(inh[0])[1])
    relation = n.get("relation") or {}
    return CreateTable(
        table=range_var_name(relation),
        location=s.location,
        name_location=s.at(s.char(relation.get("location"))),
        columns=tuple(columns),
        constraints=tuple(constraints),
        if_not_exists=bool(n.get("if_not_exists")),
        partition_of=partition_of,
        like=tuple(like),
    )


_RLS = {
    "AT_EnableRowSecurity": "enable",
    "AT_DisableRowSecurity": "disable",
    "AT_ForceRowSecurity": "force",
    "AT_NoForceRowSecurity": "no_force",
}


def _alter_action(s: Stmt, cmd: dict[str, Any], offset: int) -> tuple[AlterAction | None, int]:
    """One ALTER TABLE command; `offset` is where to look for its DEFAULT text (commands run in order)."""
    t = cmd.get("subtype")
    name = str(cmd.get("name", "")).lower()
    def_kind, definition = unwrap(cmd.get("def"))
    missing_ok = bool(cmd.get("missing_ok"))
    if t == "AT_AddColumn" and def_kind == "ColumnDef":
        return AddColumn(column_from_def(s, definition), missing_ok), offset
    if t == "AT_DropColumn":
        return DropColumn(name, missing_ok), offset
    if t == "AT_AlterColumnType" and def_kind == "ColumnDef":
        return AlterColumnType(name, type_from_json(definition.get("typeName"))), offset
    if t == "AT_SetNotNull":
        return SetNullable(name, False), offset
    if t == "AT_DropNotNull":
        return SetNullable(name, True), offset
    if t == "AT_ColumnDefault":
        if not def_kind:
            return SetDefault(name, None), offset
        toks = s.tokens
        for i in range(1, len(toks)):
            if toks[i][1] >= offset and toks[i][0] == "DEFAULT" and toks[i - 1][0] == "SET":
                text = s.expression_at(toks[i][2])
                return SetDefault(name, normalise_expression(text) if text else None), toks[i][2]
        return SetDefault(name, None), offset
    if t in _RLS:
        return SetRls(_RLS[t]), offset  # type: ignore[arg-type]
    if t == "AT_AddConstraint" and def_kind == "Constraint":
        return AddConstraint(table_constraint(s, definition)), offset
    if t == "AT_DropConstraint":
        return DropConstraint(name, missing_ok), offset
    return None, offset


def alter_table(s: Stmt, n: dict[str, Any]) -> AlterTable | None:
    if n.get("objtype") not in ("OBJECT_TABLE", "OBJECT_FOREIGN_TABLE") or not n.get("relation"):
        return None
    actions: list[AlterAction] = []
    offset = 0
    for item in n.get("cmds") or ():
        kind, cmd = unwrap(item)
        if kind != "AlterTableCmd":
            continue
        action, offset = _alter_action(s, cmd, offset)
        if action is not None:
            actions.append(action)
    if not actions:
        return None
    return AlterTable(range_var_name(n["relation"]), s.location, tuple(actions), bool(n.get("missing_ok")))


def rename(s: Stmt, n: dict[str, Any]) -> SqlRecord | None:
    kind = n.get("renameType")
    relation = n.get("relation")
    if not relation:
        return None
    table = range_var_name(relation)
    new = str(n.get("newname", "")).lower()
    if kind == "OBJECT_TABLE":
        schema = table.rpartition(".")[0]
        return RenameTable(table, f"{schema}.{new}" if schema else new, s.location, bool(n.get("missing_ok")))
    if kind == "OBJECT_COLUMN" and n.get("relationType") == "OBJECT_TABLE":
        return RenameColumn(table, str(n.get("subname", "")).lower(), new, s.location)
    if kind == "OBJECT_INDEX":
        return RenameIndex(table, new, s.location)
    if kind == "OBJECT_POLICY":
        return RenamePolicy(str(n.get("subname", "")), table, str(n.get("newname", "")), s.location)
    return None


def _object_names(objects: Any) -> tuple[str, ...]:
    out: list[str] = []
    for o in objects or ():
        kind, inner = unwrap(o)
        if kind == "List":
            out.append(string_list_name(inner.get("items") or ()))
        elif kind == "String":
            out.append(qualified([inner.get("sval")]))
        elif kind == "TypeName":
            out.append(string_list_name(inner.get("names") or ()))
    return tuple(out)


def drop(s: Stmt, n: dict[str, Any]) -> SqlRecord | None:
    kind = n.get("removeType")
    missing_ok = bool(n.get("missing_ok"))
    if kind == "OBJECT_TABLE":
        return DropTable(
            _object_names(n.get("objects")), s.location, missing_ok, n.get("behavior") == "DROP_CASCADE"
        )
    if kind == "OBJECT_INDEX":
        return DropIndex(_object_names(n.get("objects")), s.location, missing_ok)
    if kind in ("OBJECT_VIEW", "OBJECT_MATVIEW"):
        return DropView(_object_names(n.get("objects")), s.location, kind == "OBJECT_MATVIEW")
    if kind == "OBJECT_TYPE":
        return DropType(_object_names(n.get("objects")), s.location)
    if kind == "OBJECT_POLICY":
        for o in n.get("objects") or ():
            parts = strings(unwrap(o)[1].get("items"))
            if len(parts) >= 2:
                return DropPolicy(parts[-1], qualified(parts[:-1]), s.location, missing_ok)
    return None


def _index_columns(s: Stmt, n: dict[str, Any]) -> tuple[str, ...]:
    params = n.get("indexParams") or ()
    names = [str(unwrap(p)[1].get("name", "")).lower() for p in params]
    if all(names):
        return tuple(names)
    relation = n.get("relation") or {}
    loc = s.char(relation.get("location"))
    group = s.first_group(s.name_end(loc) if loc is not None else 0)
    parts = _split_top(group) if group is not None else []
    out: list[str] = []
    for i, name in enumerate(names):
        if name:
            out.append(name)
        elif i < len(parts):
            out.append(normalise_expression(parts[i]))
        else:
            out.append("?")
    return tuple(out)


def _split_top(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    start = 0
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def create_index(s: Stmt, n: dict[str, Any]) -> CreateIndex | None:
    relation = n.get("relation")
    if not relation:
        return None
    method = str(n.get("accessMethod") or "").lower() or None
    where = None
    if n.get("whereClause"):
        for tok in reversed(s.tokens):
            if tok[0] == "WHERE":
                where = normalise_expression(s.text[tok[2] :])
                break
    return CreateIndex(
        table=range_var_name(relation),
        columns=_index_columns(s, n),
        location=s.location,
        name=n.get("idxname") or None,
        unique=bool(n.get("unique")),
        if_not_exists=bool(n.get("if_not_exists")),
        method=None if method == "btree" else method,
        where=where,
        opclasses=_index_opclasses(n),
    )


def _index_opclasses(n: dict[str, Any]) -> tuple[str | None, ...]:
    out: list[str | None] = []
    for p in n.get("indexParams") or ():
        names = strings(unwrap(p)[1].get("opclass") or ())
        out.append(names[-1].lower() if names else None)
    return tuple(out) if any(out) else ()


def create_enum(s: Stmt, n: dict[str, Any]) -> CreateEnum:
    return CreateEnum(string_list_name(n.get("typeName") or ()), tuple(strings(n.get("vals"))), s.location)


def alter_enum(s: Stmt, n: dict[str, Any]) -> AddEnumValue | None:
    if not n.get("newVal") or n.get("oldVal"):
        return None
    return AddEnumValue(string_list_name(n.get("typeName") or ()), str(n["newVal"]), s.location)


def create_view(s: Stmt, n: dict[str, Any]) -> CreateView:
    return CreateView(range_var_name(n.get("view")), s.location, bool(n.get("replace")))


def create_matview(s: Stmt, n: dict[str, Any]) -> CreateView | None:
    into = n.get("into") or {}
    if n.get("objtype") != "OBJECT_MATVIEW" or not into.get("rel"):
        return None
    return CreateView(range_var_name(into["rel"]), s.location, materialized=True)
