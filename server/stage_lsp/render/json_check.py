"""`--output-format json`: the documented, versioned check result (schema: schemas/check.schema.json)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stage_lsp.core.violation import CreateFile, Fix, Violation
from stage_lsp.render.common import position, summary
from stage_lsp.render.json_text import dumps_indented

JSON_VERSION = 1


def fix_json(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    edits: list[dict[str, Any]] = []
    for e in fix.edits:
        if isinstance(e, CreateFile):
            edits.append({"create_file": e.file, "content": e.content})
        else:
            edits.append({**position(e.location), "new_text": e.new_text})
    return {"title": fix.title, "applicability": fix.applicability.value, "edits": edits}


def violation_json(v: Violation) -> dict[str, Any]:
    return {
        "code": v.code,
        "name": v.name,
        "severity": v.severity.value,
        "message": v.message,
        **position(v.location),
        "related": [{**position(r.location), "message": r.message} for r in v.related],
        "fix": fix_json(v.fix),
        "fingerprint": v.fingerprint,
    }


def check_document(root: str, violations: Sequence[Violation], files: int) -> dict[str, Any]:
    return {
        "version": JSON_VERSION,
        "root": root,
        "diagnostics": [violation_json(v) for v in violations],
        "summary": summary(violations, files),
    }


def render_json(root: str, violations: Sequence[Violation], files: int) -> str:
    return dumps_indented(check_document(root, violations, files)) + "\n"
