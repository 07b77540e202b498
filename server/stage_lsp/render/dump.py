"""`stage-lsp dump`: the plan and code models as JSON (schema: schemas/dump.schema.json).

Lines are 1-based. Fields beyond the documented core are additive; consumers must ignore unknown keys.
"""

from __future__ import annotations

from typing import Any

from stage_lsp.code.model import CodeModel, Route, SchemaTable
from stage_lsp.core.issue import ReaderIssue
from stage_lsp.core.location import Location
from stage_lsp.plan.model import PlanEndpoint, PlanModel, PlanPolicy, PlanTable
from stage_lsp.plan.stages import current_stage
from stage_lsp.render.json_text import dumps_indented

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
        "path_params": list(e.path_params),
        "idempotency_key": e.idempotency_key is not None,
        "pagination": e.pagination is not None,
        "limit_max": e.limit_max,
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
                **({"confidence": p.confidence} if isinstance(p, PlanPolicy) else {}),
            }
            for p in t.policies
        ],
        "indexes": [list(i.columns) for i in t.indexes],
    }
    if isinstance(t, PlanTable):
        out["stage"] = t.stage
        out["rejected"] = t.rejected
    if isinstance(t, SchemaTable):
        out.update(_schema_table_details(t))
    return out


def _span(loc: Location | None) -> dict[str, Any] | None:
    """A location as 1-based lines and columns (end exclusive), for the fields that carry ranges."""
    if loc is None:
        return None
    r = loc.range
    return {
        "file": loc.file,
        "line": r.line + 1,
        "col": r.col + 1,
        "end_line": r.end_line + 1,
        "end_col": r.end_col + 1,
    }


def _schema_table_details(t: SchemaTable) -> dict[str, Any]:
    return {
        "range": _span(t.name_location or t.location),
        "rls_at": _span(t.rls_location),
        "forced_rls": t.forced_rls,
        "partition_of": t.partition_of,
        "policies_complete": t.policies_complete,
        "column_details": [
            {
                "name": c.name,
                "type": c.type,
                "nullable": c.nullable,
                "default": c.default,
                "references": c.references,
                "range": _span(c.location),
            }
            for c in t.columns
        ],
        "policy_details": [
            {
                "name": p.name,
                "command": p.command,
                "permissive": p.permissive,
                "range": _span(p.location),
            }
            for p in t.policies
        ],
        "index_details": [
            {
                "name": i.name,
                "columns": list(i.columns),
                "unique": i.unique,
                "implicit": i.implicit,
                "range": _span(i.location),
            }
            for i in t.indexes
        ],
    }


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
        "framework": r.framework,
        "wildcard_method": r.wildcard_method,
        "status_sites": [
            {"code": st.code, "file": st.location.file, "line": st.location.range.line + 1}
            for st in r.statuses
        ],
        "unresolved": list(r.unresolved),
        "error_code_sites": [
            {"code": c.code, "status": c.status, "file": c.location.file, "line": c.location.range.line + 1}
            for c in r.error_codes
        ],
        "error_codes_complete": r.error_codes_complete,
        "request_fields_complete": r.request_fields.complete if r.request_fields else None,
        "response_fields_complete": r.response_fields.complete if r.response_fields else None,
        "query_params": [{"name": q.name, "max": q.max_value} for q in r.query_params],
        "headers_read": [h.name for h in r.headers_read],
        "reads_body": r.reads_body,
        "validates_body": r.validates_body,
        "db_access": [
            {"kind": d.kind, "name": d.name, "operations": list(d.operations), "in_handler": d.in_handler}
            for d in r.db_access
        ],
        "clients": sorted({c.kind for c in r.clients}),
    }


def _issue(i: ReaderIssue) -> dict[str, Any]:
    return {"code": i.code, "file": i.location.file, "line": i.location.range.line + 1, "message": i.message}


def dump_document(root: str, plan: PlanModel, code: CodeModel) -> dict[str, Any]:
    return {
        "version": DUMP_VERSION,
        "root": root,
        "plan": {
            "files": {
                "api": list(plan.api_files),
                "db": list(plan.db_files),
                "stage": [d.file for d in plan.documents if d.kind == "stage"],
                "prd": [d.file for d in plan.documents if d.kind == "prd"],
            },
            "documents": [
                {"file": d.file, "kind": d.kind, "encoding": d.encoding, "copies_not_used": list(d.shadowed)}
                for d in plan.documents
            ],
            "base_path": plan.base_path,
            "endpoints": [_endpoint(e) for e in plan.endpoints],
            "tables": [_table(t) for t in plan.tables],
            "stages": [
                {
                    "number": s.number,
                    "title": s.title,
                    "file": s.location.file,
                    "line": s.location.range.line + 1,
                    "items": [
                        {"kind": i.kind, "key": i.key, "mark": i.mark, "line": i.location.range.line + 1}
                        for i in s.items
                    ],
                }
                for s in plan.stages
            ],
            "current_stage": current_stage(
                plan,
                {r.key for r in code.routes if not r.stub_405},
                {t.name for t in code.tables} if code.migrations else None,
            ),
            "enums": [
                {
                    "name": e.name,
                    "values": list(e.values),
                    "file": e.location.file,
                    "line": e.location.range.line + 1,
                }
                for e in plan.enums
            ],
            "user_stories": [
                {"id": u.id, "title": u.title, "file": u.location.file, "line": u.location.range.line + 1}
                for u in plan.user_stories
            ],
            "issues": [_issue(i) for i in plan.issues],
        },
        "code": {
            "framework": code.framework,
            "framework_reason": code.framework_reason,
            "frameworks": [{"name": n, "reason": why} for n, why in code.frameworks],
            "route_files": list(code.route_files),
            "found_instead": list(code.found_instead),
            "routes": [_route(r) for r in code.routes],
            "tables": [_table(t) for t in code.tables],
            "migrations": list(code.migrations),
            "views": [
                {"name": v.name, "materialized": v.materialized, "range": _span(v.location)}
                for v in code.schema_views
            ],
            "enums": [
                {"name": e.name, "values": list(e.values), "range": _span(e.location)}
                for e in code.schema_enums
            ],
            "types_file": code.types_file,
            "types_tables": [
                {"name": t.name, "columns": list(t.columns), "range": _span(t.location)}
                for t in code.types_entries
            ]
            if code.types_tables is not None
            else None,
            "issues": [_issue(i) for i in code.issues],
        },
    }


def render_dump(root: str, plan: PlanModel, code: CodeModel) -> str:
    return dumps_indented(dump_document(root, plan, code)) + "\n"
