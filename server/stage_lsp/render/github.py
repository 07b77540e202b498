"""`--output-format github`: GitHub Actions workflow commands (annotations) and a job summary.

Each finding becomes `::error file=F,line=L,endLine=L2,col=C,endColumn=C2,title=SLnnn name::message`
(`col`/`endColumn` only when the range is on one line, as GitHub ignores them otherwise). Severity error ->
`::error`, warning -> `::warning`, info and hint -> `::notice`. Escaping follows actions/toolkit: in the
message `%`, CR and LF become `%25`, `%0D`, `%0A` (so a related location can follow on its own line); in
property values also `:` and `,` become `%3A` and `%2C`.

GitHub shows at most 10 annotations of each severity per step (and 50 per job); the rest are dropped
silently. So at most 10 errors, 10 warnings and 10 notices are annotated, most important first: by
severity, then findings in files the change touched (`--since`), then findings anchored in a plan (a
planned item that is missing), then by file and position. When findings are left out, one notice (which
takes the last notice slot) says how many and where to see them: a collapsed group of plain
`path:line:col: CODE message` lines right below in the log, and the job summary.

The job summary (markdown appended to `$GITHUB_STEP_SUMMARY` by the CLI) counts findings by severity and
code and lists them in a table (at most 200 rows; GitHub accepts 1 MiB per step).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from stage_lsp.core.violation import Severity, Violation
from stage_lsp.render.common import SEVERITY_ORDER, priority, rule_url

PER_SEVERITY = 10
SUMMARY_ROWS = 200
COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
    Severity.HINT: "notice",
}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(v: Violation) -> str:
    r = v.location.range
    props = [f"file={escape_property(v.location.file)}", f"line={r.line + 1}", f"endLine={r.end_line + 1}"]
    if r.line == r.end_line:
        props += [f"col={r.col + 1}", f"endColumn={r.end_col + 1}"]
    props.append(f"title={escape_property(f'{v.code} {v.name}')}")
    lines = [v.message]
    for rel in v.related:
        rr = rel.location.range
        lines.append(f"{rel.location.file}:{rr.line + 1}:{rr.col + 1}: {rel.message}")
    return f"::{COMMANDS[v.severity]} {','.join(props)}::{escape_data(chr(10).join(lines))}"


def _plain(v: Violation) -> str:
    r = v.location.range
    return f"{v.location.file}:{r.line + 1}:{r.col + 1}: {v.code} {v.message}"


def render_github(
    violations: Sequence[Violation],
    files: int,
    *,
    touched: frozenset[str] = frozenset(),
    per_severity: int = PER_SEVERITY,
) -> str:
    ordered = sorted(violations, key=lambda v: priority(v, touched))
    shown: list[Violation] = []
    rest: list[Violation] = []
    used: Counter[str] = Counter()
    for v in ordered:
        command = COMMANDS[v.severity]
        if used[command] < per_severity:
            used[command] += 1
            shown.append(v)
        else:
            rest.append(v)
    if rest and used["notice"] >= per_severity:  # the overflow notice needs a notice slot
        last = max(i for i, v in enumerate(shown) if COMMANDS[v.severity] == "notice")
        rest.insert(0, shown.pop(last))
    out = [annotation(v) for v in shown]
    if rest:
        noun = "finding" if len(rest) == 1 else "findings"
        out.append(
            f"::notice title=stage-lsp::{len(rest)} more {noun} not annotated (GitHub shows {per_severity} "
            f"per severity): see the group `stage-lsp: {len(rest)} more` in this log and the job summary"
        )
        out.append(f"::group::stage-lsp: {len(rest)} more")
        out += [_plain(v) for v in sorted(rest, key=lambda v: v.sort_key)]
        out.append("::endgroup::")
    out.append(_summary_line(violations, files))
    return "\n".join(out) + "\n"


def _summary_line(violations: Sequence[Violation], files: int) -> str:
    if not violations:
        return f"stage-lsp: all checks passed ({files} files checked)."
    by_sev = Counter(v.severity for v in violations)
    parts = ", ".join(f"{by_sev[s]} {s.value}" for s in SEVERITY_ORDER if by_sev[s])
    return f"stage-lsp: {len(violations)} findings ({parts}) in {files} files checked."


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def render_step_summary(violations: Sequence[Violation], files: int, *, max_rows: int = SUMMARY_ROWS) -> str:
    """Markdown for `$GITHUB_STEP_SUMMARY`."""
    out = ["## stage-lsp", ""]
    if not violations:
        out += [f"All checks passed ({files} files checked).", ""]
        return "\n".join(out) + "\n"
    by_sev = Counter(v.severity for v in violations)
    parts = ", ".join(f"{by_sev[s]} {s.value}" for s in SEVERITY_ORDER if by_sev[s])
    out += [f"**{len(violations)} findings** ({parts}) in {files} files checked.", ""]
    by_code = Counter(v.code for v in violations)
    names = {v.code: v.name for v in violations}
    out += ["| code | name | count |", "|---|---|---:|"]
    out += [f"| [{c}]({rule_url(c)}) | {names[c]} | {n} |" for c, n in sorted(by_code.items())]
    out += ["", "| severity | location | code | message |", "|---|---|---|---|"]
    ordered = sorted(violations, key=priority)
    for v in ordered[:max_rows]:
        r = v.location.range
        where = f"`{_cell(v.location.file)}:{r.line + 1}:{r.col + 1}`"
        out.append(f"| {v.severity.value} | {where} | {v.code} | {_cell(v.message)} |")
    if len(ordered) > max_rows:
        out += ["", f"{len(ordered) - max_rows} more not listed; run `stage-lsp check` to see all."]
    out.append("")
    return "\n".join(out) + "\n"
