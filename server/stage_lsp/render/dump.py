"""`stage-lsp dump`: the plan and code models as JSON (schema: schemas/dump.schema.json).

Lines are 1-based. Fields beyond the documented core are additive; consumers must ignore unknown keys.
"""

from __future__ import annotations

import json
from typing import Any

from stage_lsp.code.model import CodeModel, Route, SchemaTable
from stage_lsp.core.issue import ReaderIssue
from stage_lsp.plan.model import PlanEndpoint, PlanModel, PlanTable

DUMP_VERSION = 1


def _endpoint(e: PlanEndpoint) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": e.key,
        "method": e.method,
        "path": e.path,
        "raw_path": e.raw_path,
        "file": e.location.file,
        "line": e.location.range.line + 1,
        "external": e.external,
        "optional": e.optional,
        "post_mvp": e.post_mvp,
        "statuses": list(e.status_codes),
        "error_codes": sorted({c.code for c in e.error_codes}),
        "success_codes": list(e.success_codes),
        "request_fields": [f.name for f in e.request_fields],
        "response_fields": [f.name for f in e.response_fields],
        "query_params": [f.name for f in e.query_params],
        "idempotency_key": e.idempotency_key is not None,
        "pagination": e.pagination is not None,
        "stage": e.stage,
        "user_stories": list(e.user_stories),
    }
    if e.def_location is not None:
        out["def_file"] = e.def_location.file
        out["def_line"] = e.def_location.range.line + 1
    return out


def _table(t: PlanTable | SchemaTable) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": t.name,
        "file": t.location.file,
        "line": t.location.range.line + 1,
        "columns": [c.name for c in t.columns],
        "rls": t.rls,
        "policies": [
            {
                "command": p.command,
                "roles": list(p.roles) if p.roles is not None else None,
                "using": p.using,
                "with_check": p.with_check,
            }
            for p in t.policies
        ],
        "indexes": [list(i.columns) for i in t.indexes],
    }
    if isinstance(t, PlanTable):
        out["stage"] = t.stage
        out["rejected"] = t.rejected
    return out


def _route(r: Route) -> dict[str, Any]:
    return {
        "key": r.key,
        "method": r.method,
        "path": r.path,
        "file": r.location.file,
        "line": r.location.range.line + 1,
        "statuses": list(r.status_codes),
        "statuses_complete": r.statuses_complete,
        "error_codes": sorted({c.code for c in r.error_codes}),
        "request_fields": list(r.request_fields.names) if r.request_fields else None,
        "response_fields": list(r.response_fields.names) if r.response_fields else None,
        "stub_405": r.stub_405,
    }


def _issue(i: ReaderIssue) -> dict[str, Any]:
    return {"code": i.code, "file": i.location.file, "line": i.location.range.line + 1, "message": i.message}


def dump_document(root: str, plan: PlanModel, code: CodeModel) -> dict[str, Any]:
    return {
        "version": DUMP_VERSION,
        "root": root,
        "plan": {
            "files": {"api": list(plan.api_files), "db": list(plan.db_files)},
            "base_path": plan.base_path,
            "endpoints": [_endpoint(e) for e in plan.endpoints],
            "tables": [_table(t) for t in plan.tables],
            "stages": [
                {
                    "number": s.number,
                    "title": s.title,
                    "file": s.location.file,
                    "line": s.location.range.line + 1,
                    "items": [{"kind": i.kind, "key": i.key, "mark": i.mark} for i in s.items],
                }
                for s in plan.stages
            ],
            "current_stage": plan.current_stage,
            "issues": [_issue(i) for i in plan.issues],
        },
        "code": {
            "framework": code.framework,
            "framework_reason": code.framework_reason,
            "routes": [_route(r) for r in code.routes],
            "tables": [_table(t) for t in code.tables],
            "migrations": list(code.migrations),
            "issues": [_issue(i) for i in code.issues],
        },
    }


def render_dump(root: str, plan: PlanModel, code: CodeModel) -> str:
    return json.dumps(dump_document(root, plan, code), indent=2, ensure_ascii=False) + "\n"
