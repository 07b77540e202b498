"""Stages across the plans: which stage introduces each endpoint and table, and which stage is current.

- An item's stage is the first stage that lists it as new (or without a mark); failing that, the first
  that lists it as modified. "unchanged" and "out of scope" entries never introduce an item.
- Without a stage plan there is one implicit stage (number 1) holding everything, and it is current.
- The current stage is the configured `stage`, else the first stage with unfinished items: a planned
  endpoint or table of that stage (new or unmarked; not external, optional or post-MVP) that the code does
  not have. The code side is passed in as plain keys (`current_stage`), so the plan layer does not depend
  on the code readers; unknown tables (no migrations read) are not counted as missing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace

from stage_lsp.core.location import Location, Range
from stage_lsp.plan.model import PlanEndpoint, PlanModel, PlanTable, Stage, StageItem

IMPLICIT_TITLE = "All planned work (no stage plan)"
_INTRODUCES = (None, "new")


def endpoint_alternatives(key: str) -> tuple[str, ...]:
    """`GET /api/decks` also matches a plan that writes `GET /decks` (and back)."""
    method, _, path = key.partition(" ")
    if path.startswith("/api/"):
        return key, f"{method} {path[4:]}"
    return key, f"{method} /api{path}"


_FirstStages = tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]


def _first_stages(stages: tuple[Stage, ...]) -> _FirstStages:
    """Per (kind, key): the lowest stage that introduces it (no mark, or `new`), and the lowest that
    modifies it. One pass over the items instead of one per planned endpoint and table."""
    introduced: dict[tuple[str, str], int] = {}
    modified: dict[tuple[str, str], int] = {}
    for stage in stages:
        for item in stage.items:
            if item.mark in _INTRODUCES:
                found = introduced
            elif item.mark == "modified":
                found = modified
            else:
                continue
            key = (item.kind, item.key)
            if key not in found or stage.number < found[key]:
                found[key] = stage.number
    return introduced, modified


def _stage_of(kind: str, keys: Iterable[str], first: _FirstStages) -> int | None:
    """The first stage introducing any of `keys`, else the first modifying one."""
    wanted = tuple(keys)
    for found in first:
        numbers = [found[(kind, key)] for key in wanted if (kind, key) in found]
        if numbers:
            return min(numbers)
    return None


def assign_stages(
    endpoints: tuple[PlanEndpoint, ...], tables: tuple[PlanTable, ...], stages: tuple[Stage, ...]
) -> tuple[tuple[PlanEndpoint, ...], tuple[PlanTable, ...]]:
    """Set `stage` on every endpoint and table a stage lists (keeps a stage a reader already set)."""
    first = _first_stages(stages)
    out_endpoints = tuple(
        e
        if e.stage is not None
        else replace(e, stage=_stage_of("endpoint", endpoint_alternatives(e.key), first))
        for e in endpoints
    )
    out_tables = tuple(
        t if t.stage is not None else replace(t, stage=_stage_of("table", (t.name,), first)) for t in tables
    )
    return out_endpoints, out_tables


def implicit_stage(
    endpoints: tuple[PlanEndpoint, ...], tables: tuple[PlanTable, ...], anchor: Location | None
) -> Stage:
    """The one stage of a project without a stage plan: every planned endpoint and table."""
    items = [StageItem("endpoint", e.key, e.location) for e in endpoints]
    items += [StageItem("table", t.name, t.location) for t in tables if not t.rejected]
    where = anchor or Location("", Range(0, 0, 0, 0))
    return Stage(1, IMPLICIT_TITLE, where, tuple(items))


def _checkable(endpoint: PlanEndpoint | None) -> bool:
    return endpoint is None or not (endpoint.external or endpoint.optional or endpoint.post_mvp)


def current_stage(
    plan: PlanModel, served_endpoints: Collection[str], existing_tables: Collection[str] | None
) -> int | None:
    """The configured or implicit stage, else the first stage with unfinished items (else the last)."""
    if plan.current_stage is not None or not plan.stages:
        return plan.current_stage
    by_key = {e.key: e for e in plan.endpoints}
    ordered = sorted(plan.stages, key=lambda s: s.number)
    for stage in ordered:
        for item in stage.items:
            if item.mark not in _INTRODUCES:
                continue
            if item.kind == "endpoint":
                endpoint = next((by_key[k] for k in endpoint_alternatives(item.key) if k in by_key), None)
                if _checkable(endpoint) and not any(
                    k in served_endpoints for k in endpoint_alternatives(item.key)
                ):
                    return stage.number
            elif item.kind == "table" and existing_tables is not None and item.key not in existing_tables:
                return stage.number
    return ordered[-1].number
