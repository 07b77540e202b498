"""Running PL/pgSQL steps: bind a call's arguments into the steps' holes and read the resulting SQL.

A hole whose value is not known (a non-literal argument, a loop over a query, a computed name) becomes
the identifier `names.UNKNOWN`; records that name it are the replay's cue that the affected table is
unknown (its RLS state becomes unknown rather than off).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from stage_lsp.core.location import Location
from stage_lsp.sql.names import UNKNOWN
from stage_lsp.sql.plpgsql import quote_ident, quote_literal
from stage_lsp.sql.positions import Origin
from stage_lsp.sql.read import read_sql
from stage_lsp.sql.records import BodyStep, Hole, SqlRecord


@dataclass(frozen=True, slots=True)
class StepEffect:
    """What one body step does once bound: its records, and whether it surely ran and was fully known."""

    records: tuple[SqlRecord, ...]
    location: Location
    certain: bool
    unresolved: bool  # a hole stayed unknown
    parsed: bool  # the bound text parsed


def bind(pieces: tuple[str | Hole, ...], args: tuple[str | None, ...]) -> tuple[str, bool]:
    """The SQL text with holes filled; True when a hole stayed unknown."""
    out: list[str] = []
    unresolved = False
    for p in pieces:
        if isinstance(p, str):
            out.append(p)
            continue
        value = args[p.param] if p.param is not None and 0 <= p.param < len(args) else None
        if value is None:
            unresolved = True
            out.append(quote_literal(UNKNOWN) if p.mode == "L" else UNKNOWN)
        elif p.mode == "I":
            out.append(quote_ident(value))
        elif p.mode == "L":
            out.append(quote_literal(value))
        else:
            out.append(value)
    return "".join(out), unresolved


def _relocate(record: SqlRecord, location: Location) -> SqlRecord:
    return replace(record, location=location)


@lru_cache(maxsize=2048)
def expand_steps(steps: tuple[BodyStep, ...], args: tuple[str | None, ...] = ()) -> tuple[StepEffect, ...]:
    """Each step's records with `args` bound (positional, in parameter order)."""
    effects: list[StepEffect] = []
    for step in steps:
        text, unresolved = bind(step.pieces, args)
        loc = step.location
        if step.exact and not unresolved:
            origin = Origin(loc.file, loc.range.line, loc.range.col)
            script = read_sql(text, origin)
            records = script.records
        else:
            script = read_sql(text, Origin(loc.file, loc.range.line, loc.range.col))
            records = tuple(_relocate(r, loc) for r in script.records)
        effects.append(StepEffect(records, loc, step.certain, unresolved, not script.errors))
    return tuple(effects)
