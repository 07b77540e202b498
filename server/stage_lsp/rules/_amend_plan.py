"""Amending the API plan from the code (the "update the plan instead" fixes). Not a rule.

A new endpoint is written as a heading section (`#### METHOD /path`, the most common notation) right after
the section of the planned endpoint whose path shares the longest prefix with it, so it lands among its
resource's endpoints. What the code tells (statuses, error codes, request fields) is written down; what it
cannot tell is a `TODO(stage-lsp)`.
"""

from __future__ import annotations

from functools import lru_cache
from http import HTTPStatus

from stage_lsp.code.model import Route
from stage_lsp.context import CheckContext
from stage_lsp.core.keys import path_segments
from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile
from stage_lsp.core.violation import Applicability, Fix, TextEdit
from stage_lsp.plan.api_reader import read_api_plan
from stage_lsp.plan.model import PlanEndpoint


def _candidates(ctx: CheckContext) -> dict[tuple[str, ...], list[PlanEndpoint]]:
    """The endpoints of the main API plan a new one may follow, by every leading run of their path
    segments (`()` holds them all), in plan order."""
    main = ctx.plan.api_files[0]
    by_prefix: dict[tuple[str, ...], list[PlanEndpoint]] = {}
    for e in ctx.plan.endpoints:
        if e.external or e.location.file != main:
            continue
        segments = path_segments(e.key.split(" ", 1)[1])
        for n in range(len(segments) + 1):
            by_prefix.setdefault(segments[:n], []).append(e)
    return by_prefix


def _anchor(ctx: CheckContext, route: Route) -> PlanEndpoint | None:
    """The last-ending of the endpoints whose path shares the most leading segments with the route's."""
    by_prefix = ctx.memo("amend-plan-anchors", _candidates)
    if not by_prefix:
        return None
    wanted = path_segments(route.key.split(" ", 1)[1])
    near = next(by_prefix[wanted[:n]] for n in range(len(wanted), -1, -1) if wanted[:n] in by_prefix)
    return max(near, key=lambda e: (e.section or e.location).range.end_line)


def _status(code: int) -> str:
    """`404 Not Found`: with its phrase, the status line is one the plan reader takes an error code from
    (a bare `404` followed by a code it reads as a status only)."""
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)


def endpoint_section(route: Route, plan_path: str) -> str:
    lines = [
        f"#### {route.method} {plan_path}",
        "",
        f"TODO(stage-lsp): describe this endpoint (added from `{route.location.file}`).",
        "",
    ]
    success = [c for c in route.status_codes if c < 400]
    errors = [c for c in route.status_codes if c >= 400]
    if route.request_fields and route.request_fields.names:
        lines += [
            "**Request:**",
            "```json",
            "{ " + ", ".join(f'"{n}": "TODO"' for n in route.request_fields.names) + " }",
            "```",
            "",
        ]
    if success:
        lines += [f"**Response ({success[0]}):** TODO(stage-lsp): the response body.", ""]
    if errors:
        lines.append("**Errors:**")
        for s in errors:
            codes = sorted({c.code for c in route.error_codes if c.status == s})
            lines += [f"- `{_status(s)}` — `{code}`" for code in codes] or [f"- `{_status(s)}`"]
        lines.append("")
    return "\n".join(lines)


@lru_cache(maxsize=1024)  # a pure function of its text; the same routes ask it on every check
def _reads_back(method: str, path: str, section: str) -> bool:
    """Whether the plan reader reads the new section as the endpoint it is meant to add."""
    doc = read_api_plan(SourceFile.from_text("amended-plan.md", "# API\n\n" + section))
    return any(e.method == method and e.path == path for e in doc.endpoints)


def add_endpoint_fix(ctx: CheckContext, route: Route) -> Fix | None:
    anchor = _anchor(ctx, route)
    if anchor is None or anchor.section is None:
        return None  # without the section's extent there is no safe place to insert
    end = anchor.section.range  # ends at the end of the section's last non-blank line
    plan_path = route.path
    base = ctx.plan.base_path
    if base and base != "/" and not anchor.path.startswith(base) and plan_path.startswith(base + "/"):
        plan_path = plan_path[len(base) :]  # the plan writes paths without its base URL
    section = endpoint_section(route, plan_path)
    if not _reads_back(route.method, plan_path, section):
        return None  # a heading the plan reader would not read (`GET /`): the finding would stay
    at = Location(anchor.location.file, Range(end.end_line, end.end_col, end.end_line, end.end_col))
    edit = TextEdit(at, "\n\n" + section.rstrip("\n"))
    return Fix(f"Add `{route.method} {plan_path}` to {anchor.location.file}", Applicability.UNSAFE, (edit,))
