"""`--statistics`: how many findings per rule code, and `--show-fixes`: the fixes on offer.

Text: one line per code, `COUNT  CODE  name  [*]` (sorted by count, then code; `[*]` when at least one of
them has a safe fix, `[~]` when only unsafe fixes), then a total. JSON: an array of
`{"code", "name", "count", "fixable"}` in the same order, where `fixable` counts safe fixes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from stage_lsp.core.violation import Applicability, Violation


def _kind(v: Violation) -> Applicability | None:
    return v.fix.applicability if v.fix is not None and v.fix.edits else None


def statistics(violations: Sequence[Violation]) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for v in violations:
        row = rows.setdefault(v.code, {"code": v.code, "name": v.name, "count": 0, "fixable": 0, "unsafe": 0})
        row["count"] += 1
        row["fixable"] += _kind(v) is Applicability.SAFE
        row["unsafe"] += _kind(v) is Applicability.UNSAFE
    return sorted(rows.values(), key=lambda r: (-r["count"], r["code"]))


def render_statistics_text(violations: Sequence[Violation]) -> str:
    rows = statistics(violations)
    if not rows:
        return "No findings.\n"
    width = len(str(rows[0]["count"]))
    out = []
    for r in rows:
        mark = "  [*]" if r["fixable"] else "  [~]" if r["unsafe"] else ""
        out.append(f"{r['count']:>{width}}  {r['code']}  {r['name']}{mark}")
    out.append(f"Found {len(violations)} finding{'s' if len(violations) != 1 else ''}.")
    return "\n".join(out) + "\n"


def render_statistics_json(violations: Sequence[Violation]) -> str:
    rows = [{k: r[k] for k in ("code", "name", "count", "fixable")} for r in statistics(violations)]
    return json.dumps(rows, indent=2) + "\n"


def render_fix_list(violations: Sequence[Violation]) -> str:
    """`--show-fixes`: each finding that has a fix, with the fix's title and applicability."""
    out = []
    for v in sorted(violations, key=lambda v: v.sort_key):
        if v.fix is None or not v.fix.edits:
            continue
        r = v.location.range
        out.append(
            f"{v.location.file}:{r.line + 1}:{r.col + 1}: {v.code} [{v.fix.applicability.value}] {v.fix.title}"
        )
    return "\n".join(out) + "\n" if out else ""


def fix_hint(violations: Sequence[Violation], *, unsafe: bool = False) -> str | None:
    """One line saying how many findings `--fix` (and `--unsafe-fixes`) would fix, or None."""
    safe = sum(_kind(v) is Applicability.SAFE for v in violations)
    risky = sum(_kind(v) is Applicability.UNSAFE for v in violations)
    if unsafe:
        safe, risky = safe + risky, 0
    if not safe and not risky:
        return None
    parts = []
    if safe:
        parts.append(f"{safe} fixable with `--fix`" + (" --unsafe-fixes" if unsafe else ""))
    if risky:
        parts.append(f"{risky} more with `--fix --unsafe-fixes`")
    return "[*] " + "; ".join(parts) + " (`--diff` shows the changes)."
