"""Markdown tables of policies (`| Polityka | Operacja | Warunek |`) and of indexes (`| Nazwa | Kolumny |`).

Column tables are read by `plan.db.columns`; these are the other two kinds a db plan writes as tables.
A row's table is its `Table`/`Tabela` cell when there is one, else the surrounding context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from stage_lsp.plan.db.indexes import split_columns
from stage_lsp.plan.db.lexicon import Command
from stage_lsp.plan.db.names import IDENT, normalise
from stage_lsp.plan.outline import PipeTable, Text

_TABLE = (r"tab(le|ela)", r"table name", r"nazwa tabeli")
_COMMAND = (r"operac\w*", r"operations?", r"commands?", r"komend\w*", r"akcj\w*", r"actions?", r"for")
_USING = (r"warun\w*", r"conditions?", r"using", r"predicate", r"rule", r"reguła", r"wyrażenie")
_NAME = (r"polityka", r"policy", r"policy name", r"nazwa( polityki)?", r"name", r"index", r"indeks")
_COLUMNS = (r"kolumny", r"columns", r"column list", r"pola")


@dataclass(frozen=True, slots=True)
class PolicyRow:
    tables: tuple[str, ...]  # empty: the context's tables
    commands: tuple[Command, ...]
    row: tuple[Text, ...]
    predicate: str | None
    name: str | None


@dataclass(frozen=True, slots=True)
class IndexRow:
    tables: tuple[str, ...]
    columns: tuple[str, ...]
    cell: Text
    name: str | None
    unique: bool


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((i for i, h in enumerate(header) if any(re.fullmatch(n, h) for n in names)), None)


def _cell(row: tuple[Text, ...], i: int | None) -> Text | None:
    return row[i] if i is not None and i < len(row) else None


def _commands(text: str) -> tuple[Command, ...]:
    out: list[Command] = []
    for word in re.findall(r"(?i)\b(select|insert|update|delete|all)\b", text):
        command = cast(Command, word.lower())
        if command not in out:
            out.append(command)
    return tuple(out)


def read_table(table: PipeTable, known: frozenset[str]) -> list[PolicyRow | IndexRow]:
    """The policy or index rows of a markdown table; [] for any other table."""
    header = [c.text.replace("*", "").replace("`", "").strip().lower() for c in table.header]
    table_col = _find(header, _TABLE)
    command_col = _find(header, _COMMAND)
    using_col = _find(header, _USING)
    name_col = _find(header, _NAME)
    columns_col = _find(header, _COLUMNS)
    is_policy = command_col is not None and (using_col is not None or name_col is not None)
    if not is_policy and columns_col is None:
        return []
    out: list[PolicyRow | IndexRow] = []
    for row in table.rows:
        named = _cell(row, table_col)
        tables: tuple[str, ...] = ()
        if named is not None:
            names = (normalise(n) for n in re.findall(rf"(?:{IDENT}\.)?{IDENT}", named.text.replace("`", "")))
            tables = tuple(n for n in names if n in known)
        name_cell = _cell(row, name_col)
        name = name_cell.text.strip("` ") or None if name_cell else None
        if is_policy:
            command_cell = _cell(row, command_col)
            using = _cell(row, using_col)
            predicate = re.sub(r"\s+", " ", using.text.replace("`", "")).strip() if using else ""
            commands = _commands(command_cell.text) if command_cell else ()
            if commands:
                out.append(PolicyRow(tables, commands, row, predicate or None, name))
            continue
        cell = _cell(row, columns_col)
        if cell is None:
            continue
        raw = cell.text.replace("`", "")
        m = re.match(r"^\s*\((?P<inner>.*)\)", raw)
        columns = split_columns(m.group("inner") if m else raw)
        if columns:
            unique = "unique" in " ".join(c.text.lower() for c in row)
            out.append(IndexRow(tables, columns, cell, name, unique))
    return out
