"""SL913 breaking-plan-change: in PR mode, the plan drops something clients or data depend on.

## What it does
Only with `--since REF` (PR mode). Compares the plans as they were at the merge base with REF (read by the
same readers) with the plans now, and reports what was removed: an endpoint (by its canonical key, so a
renamed path parameter is not a removal), a request or response field of an endpoint that is still
planned, a status code of such an endpoint, a table, a column of a table that is still planned, or an RLS
policy (by table, command and name). A removed endpoint or table is reported on the first line of the plan
file it was in (the message names its old line); a removed field, status, column or policy on the endpoint
or table that lost it. Endpoints of external services and items from a plan file that cannot be read now
are never reported.

## Why is this bad?
Removing something from the contract breaks whoever relied on it: a client calling the endpoint, a screen
reading the field, a handler expecting the status, data in the column, a policy that kept rows private.
Such a change deserves a deliberate review, not a quiet edit in a long plan diff.

## Example
A pull request that deletes the `#### DELETE /api/flashcards/{id}` section, or removes `front` from the
response of `GET /api/flashcards`.

## Fix
Restore the item, or make the removal explicit (a deprecation in the plan, a migration that moves the
data) and accept the finding in review; `--baseline` can record accepted findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.plan.model import PlanEndpoint, PlanField, PlanModel, PlanPolicy, PlanTable
from stage_lsp.rules.base import define


def _where(loc: Location) -> str:
    return f"{loc.file}:{loc.range.line + 1}"


def _file_start(ctx: CheckContext, old_file: str, fallback: tuple[str, ...]) -> Location:
    plans = set(ctx.files.all_plans)
    target = old_file if old_file in plans else next(iter(fallback), old_file)
    return Location(target, Range(0, 0, 0, 0))


def _names(fields: Iterable[PlanField]) -> dict[str, PlanField]:
    return {f.name: f for f in fields}


def _policy_id(p: PlanPolicy) -> tuple[str, str]:
    return (p.command, p.name or "")


def _endpoints(ctx: CheckContext, old: PlanModel, ref: str, skip: set[str]) -> Iterator[Violation]:
    now: dict[str, PlanEndpoint] = {e.key: e for e in ctx.plan.endpoints}
    seen: set[str] = set()
    for was in old.endpoints:
        if was.external or was.key in seen or was.location.file in skip:
            continue
        seen.add(was.key)
        label = f"`{was.method} {was.path}`"
        current = now.get(was.key)
        if current is None:
            yield RULE.violation(
                _file_start(ctx, was.location.file, ctx.plan.api_files),
                f"Endpoint {label} was removed from the plan since `{ref}` (it was at {_where(was.location)})",
                entity=("endpoint", was.key),
            )
            continue
        for side, old_fields, new_fields in (
            ("request", was.request_fields, current.request_fields),
            ("response", was.response_fields, current.response_fields),
        ):
            kept = _names(new_fields)
            for name in _names(old_fields):
                if name not in kept:
                    yield RULE.violation(
                        current.location,
                        f"{side.capitalize()} field `{name}` of {label} was removed from the plan since `{ref}`",
                        entity=(f"{side}-field", was.key, name),
                    )
        kept_statuses = set(current.status_codes)
        for status in was.status_codes:
            if status not in kept_statuses:
                yield RULE.violation(
                    current.location,
                    f"Status {status} of {label} was removed from the plan since `{ref}`",
                    entity=("status", was.key, str(status)),
                )


def _tables(ctx: CheckContext, old: PlanModel, ref: str, skip: set[str]) -> Iterator[Violation]:
    now: dict[str, PlanTable] = {t.name: t for t in ctx.plan.tables}
    seen: set[str] = set()
    for was in old.tables:
        if was.rejected or was.name in seen or was.location.file in skip:
            continue
        seen.add(was.name)
        current = now.get(was.name)
        if current is None or current.rejected:
            yield RULE.violation(
                _file_start(ctx, was.location.file, ctx.plan.db_files),
                f"Table `{was.name}` was removed from the plan since `{ref}` (it was at {_where(was.location)})",
                entity=("table", was.name),
            )
            continue
        columns = {c.name for c in current.columns}
        for col in was.columns:
            if col.name not in columns:
                yield RULE.violation(
                    current.location,
                    f"Column `{was.name}.{col.name}` was removed from the plan since `{ref}`",
                    entity=("column", was.name, col.name),
                )
        policies = {_policy_id(p) for p in current.policies}
        for policy in was.policies:
            if policy.confidence == "high" and _policy_id(policy) not in policies:
                named = f" `{policy.name}`" if policy.name else ""
                yield RULE.violation(
                    current.location,
                    f"RLS policy{named} ({policy.command}) on `{was.name}` was removed from the plan since `{ref}`",
                    entity=("policy", was.name, *_policy_id(policy)),
                )


def check(ctx: CheckContext) -> Iterator[Violation]:
    changes = ctx.changes
    if changes is None or changes.old_plan is None:
        return
    unreadable = {i.location.file for i in ctx.plan.issues if i.code == "SL903"}
    yield from _endpoints(ctx, changes.old_plan, changes.ref, unreadable)
    yield from _tables(ctx, changes.old_plan, changes.ref, unreadable)


RULE = define(__doc__, Severity.WARNING, check)
