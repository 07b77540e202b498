"""The stage report as JSON (schema: render/schemas/report.schema.json)."""

from __future__ import annotations

from typing import Any

from stage_lsp.core.location import Location
from stage_lsp.render.json_text import dumps_indented
from stage_lsp.render.report.model import AREAS, Report

REPORT_VERSION = 1


def _loc(loc: Location | None) -> dict[str, Any] | None:
    return {"file": loc.file, "line": loc.range.line + 1} if loc else None


def report_document(report: Report) -> dict[str, Any]:
    return {
        "version": REPORT_VERSION,
        "root": report.root,
        "current_stage": report.current_stage,
        "stages": [
            {
                "number": s.number,
                "title": s.title,
                "implicit": s.implicit,
                "current": s.current,
                "coverage": None if s.coverage is None else round(s.coverage, 4),
                "totals": s.count(),
                "areas": {a: s.count(a) for a in AREAS},
                "items": [
                    {
                        "area": i.area,
                        "label": i.label,
                        "status": i.status,
                        "plan": _loc(i.plan),
                        "code": _loc(i.code),
                        "user_stories": list(i.user_stories),
                        "findings": [{"code": c, "message": m} for c, m in i.findings],
                    }
                    for i in sorted(s.items, key=lambda i: (AREAS.index(i.area), i.order))
                ],
            }
            for s in report.stages
        ],
        "next_items": [
            {
                "title": w.title,
                "kind": w.kind,
                "done_when": list(w.done_when),
                "plan": _loc(w.plan),
                "items": list(w.items),
            }
            for w in report.next_items
        ],
    }


def render_report_json(report: Report) -> str:
    return dumps_indented(report_document(report)) + "\n"
