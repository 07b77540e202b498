"""Comparing a planned field list with the fields a handler accepts or returns. Not a rule.

Names are compared exactly (they are the JSON contract). A missing planned name and an extra served name
are paired as a rename when the pairing is unambiguous both ways and the names are close: equal up to
letter case and `_`/`-` (`deck_id` / `deckId`), or a small edit distance (`recieved` / `received`). A pair
whose words differ by an antonym (`isVisible` / `isHidden`) is a change of meaning, reported as such.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, TypeVar

from stage_lsp.code.model import CodeField, FieldSet
from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location
from stage_lsp.core.similarity import edit_distance
from stage_lsp.core.violation import Related, Violation
from stage_lsp.plan.model import PlanField
from stage_lsp.rules._contracts import Contract, contracts
from stage_lsp.rules._field_fixes import add_code_field, add_plan_field, rename_code_field, rename_plan_field
from stage_lsp.rules.base import Rule

_ANTONYMS = {
    frozenset(p)
    for p in [
        ("visible", "hidden"),
        ("show", "hide"),
        ("shown", "hidden"),
        ("enabled", "disabled"),
        ("enable", "disable"),
        ("active", "inactive"),
        ("public", "private"),
        ("open", "closed"),
        ("min", "max"),
        ("start", "end"),
        ("first", "last"),
        ("before", "after"),
        ("allow", "deny"),
        ("allowed", "denied"),
        ("include", "exclude"),
        ("on", "off"),
        ("in", "out"),
        ("read", "unread"),
        ("accepted", "rejected"),
        ("valid", "invalid"),
        ("locked", "unlocked"),
        ("from", "to"),
        ("created", "deleted"),
        ("input", "output"),
        ("prev", "next"),
        ("previous", "next"),
    ]
}


@lru_cache(maxsize=8192)
def _words(name: str) -> tuple[str, ...]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name).replace("_", " ").replace("-", " ")
    return tuple(w.lower() for w in spaced.split())


def words(name: str) -> list[str]:
    return list(_words(name))


def style_key(name: str) -> str:
    return "".join(_words(name))


def antonym_change(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    if len(wa) != len(wb):
        return False
    diff = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    return len(diff) == 1 and frozenset(diff[0]) in _ANTONYMS


@lru_cache(maxsize=65536)  # a pure function of two names, asked for every missing x extra pair
def similar(a: str, b: str) -> bool:
    if antonym_change(a, b):
        return True
    ka, kb = style_key(a), style_key(b)
    if ka == kb:
        return True
    shortest = min(len(ka), len(kb))
    limit = 2 if shortest >= 8 else 1 if shortest >= 4 else 0
    return limit > 0 and edit_distance(ka, kb, limit) <= limit


@dataclass(frozen=True)
class FieldDiff:
    missing: tuple[PlanField, ...]  # planned, not served
    extra: tuple[CodeField, ...]  # served, not planned
    renamed: tuple[tuple[PlanField, CodeField], ...]


def compare(planned: Sequence[PlanField], served: FieldSet) -> FieldDiff:
    served_names = {f.name for f in served.fields}
    planned_names = {f.name for f in planned}
    missing = [p for p in _unique(planned) if p.name not in served_names]
    extra = [c for c in _unique(served.fields) if c.name not in planned_names]
    renamed: list[tuple[PlanField, CodeField]] = []
    for p in list(missing):
        near = [c for c in extra if similar(p.name, c.name)]
        if len(near) != 1:
            continue
        back = [q for q in missing if similar(q.name, near[0].name)]
        if back == [p]:
            renamed.append((p, near[0]))
    paired_plan = {id(p) for p, _ in renamed}
    paired_code = {id(c) for _, c in renamed}
    return FieldDiff(
        tuple(p for p in missing if id(p) not in paired_plan),
        tuple(c for c in extra if id(c) not in paired_code),
        tuple(renamed),
    )


class _Named(Protocol):
    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=_Named)


def _unique(fields: Sequence[N]) -> list[N]:
    """The first field of each name, in order."""
    first: dict[str, N] = {}
    for f in fields:
        first.setdefault(f.name, f)
    return list(first.values())


Side = str  # "request" | "response"
Kind = str  # "missing" | "extra" | "renamed"


def _served(contract: Contract, side: Side) -> FieldSet | None:
    return next(
        (fs for r in contract.routes if (fs := r.request_fields if side == "request" else r.response_fields)),
        None,
    )


def _planned(contract: Contract, side: Side) -> tuple[tuple[PlanField, ...], bool]:
    e = contract.endpoint
    if side == "request":
        return e.request_fields, e.request_fields_partial
    return e.response_fields, e.response_fields_partial


def _code_fix_conflicts(
    ctx: CheckContext, side: Side, contract: Contract, where: Location, name: str
) -> bool:
    """Whether writing field `name` at `where` (a field or the insertion point of a shape) would break
    another endpoint served by the same code: one whose complete plan for that side lacks `name`. Two
    endpoints sharing a schema with contradicting plans would otherwise make the fixes undo each other."""
    for other in contracts(ctx):
        if other is contract:
            continue
        served = _served(other, side)
        if served is None:
            continue
        shared = any(f.location == where for f in served.fields) or (
            served.insert is not None and served.insert.location == where
        )
        planned, partial = _planned(other, side)
        if shared and planned and not partial and name not in {p.name for p in planned}:
            return True
    return False


# compare() of the same (immutable) planned fields and served field set, kept between checks: the language
# server re-derives the diffs on every keystroke and almost all of them are of unchanged objects. Each
# entry holds its inputs, so their ids cannot be reused while it exists.
_COMPARED: dict[tuple[int, int], tuple[Sequence[PlanField], FieldSet, FieldDiff]] = {}


def _compare_same(planned: Sequence[PlanField], served: FieldSet) -> FieldDiff:
    key = (id(planned), id(served))
    hit = _COMPARED.get(key)
    if hit is not None and hit[0] is planned and hit[1] is served:
        return hit[2]
    if len(_COMPARED) >= 8192:
        _COMPARED.clear()
    diff = compare(planned, served)
    _COMPARED[key] = (planned, served, diff)
    return diff


def _diffs(ctx: CheckContext, side: Side) -> dict[str, FieldDiff]:
    """The comparison of each served endpoint's planned and served fields, by endpoint key (one contract
    per key), shared by the three rules of a side; a plain value, so a later check can see it is
    unchanged (engine.reuse)."""

    def compute(ctx: CheckContext) -> dict[str, FieldDiff]:
        out: dict[str, FieldDiff] = {}
        for contract in contracts(ctx):
            endpoint = contract.endpoint
            planned = endpoint.request_fields if side == "request" else endpoint.response_fields
            served = _served(contract, side)
            if planned and served is not None and served.complete:
                out[endpoint.key] = _compare_same(planned, served)
        return out

    return ctx.memo(f"field-diffs:{side}", compute)


def field_findings(ctx: CheckContext, rule: Rule, side: Side, kind: Kind) -> Iterator[Violation]:
    """The findings of one field rule (SL301-SL306): `side` request/response, `kind` missing/extra/renamed."""
    diffs = _diffs(ctx, side)
    for contract in contracts(ctx):
        endpoint = contract.endpoint
        planned = endpoint.request_fields if side == "request" else endpoint.response_fields
        partial = endpoint.request_fields_partial if side == "request" else endpoint.response_fields_partial
        served = _served(contract, side)
        if not planned or served is None or not served.complete:
            continue
        diff = diffs.get(endpoint.key)
        if diff is None:  # never: `_diffs` compares every served endpoint with planned fields
            continue
        label = f"`{contract.label}` {side}"
        plan_related = Related(endpoint.location, "the planned endpoint")
        if kind == "missing":
            for p in diff.missing:
                related = (
                    [
                        Related(
                            served.source,
                            "the fields the handler accepts"
                            if side == "request"
                            else "the fields the handler returns",
                        )
                    ]
                    if served.source
                    else []
                )
                yield rule.violation(
                    p.location,
                    f"{label}: planned field `{p.name}` is not "
                    f"{'accepted' if side == 'request' else 'returned'} by the handler",
                    entity=(endpoint.key, side, p.name),
                    related=related,
                    fix=(
                        None
                        if served.insert is not None
                        and _code_fix_conflicts(ctx, side, contract, served.insert.location, p.name)
                        else add_code_field(p, served, side)
                    ),
                )
        elif kind == "extra" and not partial:
            for c in diff.extra:
                yield rule.violation(
                    c.location,
                    f"{label}: field `{c.name}` is not in the plan",
                    entity=(endpoint.key, side, c.name),
                    related=[plan_related],
                    fix=add_plan_field(endpoint, side, c),
                )
        elif kind == "renamed":
            for p, c in diff.renamed:
                message = (
                    f"{label}: field `{c.name}` replaces planned `{p.name}` (a different meaning, not a typo)"
                    if antonym_change(p.name, c.name)
                    else f"{label}: field `{c.name}` is planned as `{p.name}`"
                )
                other_way = rename_plan_field(p, c.name)
                yield rule.violation(
                    c.location,
                    message,
                    entity=(endpoint.key, side, p.name, c.name),
                    related=[Related(p.location, f"planned as `{p.name}`")],
                    fix=(
                        None
                        if _code_fix_conflicts(ctx, side, contract, c.location, p.name)
                        else rename_code_field(c, p.name)
                    ),
                    alternatives=[other_way] if other_way else [],
                )
