"""Concise text: `path:line:col: SLnnn message`, then a summary line (the form editors and CI logs parse)."""

from __future__ import annotations

from collections.abc import Sequence

from stage_lsp.core.violation import Violation
from stage_lsp.render.common import SEVERITY_ORDER, summary


def render_text(violations: Sequence[Violation], files: int, *, show_related: bool = False) -> str:
    out: list[str] = []
    for v in violations:
        r = v.location.range
        out.append(f"{v.location.file}:{r.line + 1}:{r.col + 1}: {v.code} {v.message}")
        if show_related:
            for rel in v.related:
                rr = rel.location.range
                out.append(f"    {rel.location.file}:{rr.line + 1}:{rr.col + 1}: {rel.message}")
    s = summary(violations, files)
    if violations:
        parts = [
            f"{s['by_severity'][sev.value]} {sev.value}"
            for sev in SEVERITY_ORDER
            if s["by_severity"][sev.value]
        ]
        noun = "diagnostic" if len(violations) == 1 else "diagnostics"
        out.append(f"Found {len(violations)} {noun} ({', '.join(parts)}) in {files} files checked.")
    else:
        out.append(f"All checks passed ({files} files checked).")
    return "\n".join(out) + "\n"
