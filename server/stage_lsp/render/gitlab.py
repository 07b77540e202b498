"""`--output-format gitlab`: a GitLab Code Quality report (a JSON array; `artifacts:reports:codequality`).

Each finding is `{description, check_name, fingerprint, severity, location: {path, lines: {begin, end}}}`
plus `type`, `engine_name` and `categories`. Severity: error -> `critical`, warning -> `major`,
info -> `minor`, hint -> `info` (`blocker` is not used). GitLab collapses findings with the same
fingerprint into one, so the fingerprint is ours (stable across edits, see docs/output.md) when it is
unique in the report; a repeat of the same fingerprint (the same rule and entities at another place) gets
`-2`, `-3`, ... in file-and-position order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from stage_lsp.core.violation import Severity, Violation
from stage_lsp.render.json_text import dumps_indented

SEVERITIES = {
    Severity.ERROR: "critical",
    Severity.WARNING: "major",
    Severity.INFO: "minor",
    Severity.HINT: "info",
}


def gitlab_report(violations: Sequence[Violation]) -> list[dict[str, Any]]:
    seen: Counter[str] = Counter()
    out: list[dict[str, Any]] = []
    for v in sorted(violations, key=lambda v: v.sort_key):
        seen[v.fingerprint] += 1
        n = seen[v.fingerprint]
        r = v.location.range
        out.append(
            {
                "type": "issue",
                "engine_name": "stage-lsp",
                "check_name": f"{v.code} {v.name}",
                "description": f"{v.code} {v.message}",
                "categories": ["Bug Risk"],
                "fingerprint": v.fingerprint if n == 1 else f"{v.fingerprint}-{n}",
                "severity": SEVERITIES[v.severity],
                "location": {"path": v.location.file, "lines": {"begin": r.line + 1, "end": r.end_line + 1}},
            }
        )
    return out


def render_gitlab(violations: Sequence[Violation]) -> str:
    return dumps_indented(gitlab_report(violations)) + "\n"
