"""The stage report as markdown (for pull-request comments and terminals)."""

from __future__ import annotations

from stage_lsp.core.location import Location
from stage_lsp.render.report.model import AREAS, Report, StageSummary

STATUS_MARK = {"implemented": "done", "drifted": "drifted", "missing": "missing", "later": "later stage"}


def where(loc: Location | None) -> str:
    return f"`{loc.file}:{loc.range.line + 1}`" if loc else ""


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def cell(stage: StageSummary, area: str) -> str:
    c = stage.count(area)
    if not c["planned"]:
        return "–"
    due = c["planned"] - c["later"]
    parts = [f"{c['implemented']}/{due} done"] if due else []
    parts += [f"{c[k]} {k}" for k in ("drifted", "missing") if c[k]]
    if c["later"]:
        parts.append(f"{c['later']} later")
    return ", ".join(parts)


def render_markdown(report: Report) -> str:
    out = ["# Stage report", ""]
    current = next((s for s in report.stages if s.current), None)
    if current is not None:
        label = "" if current.implicit else f"{current.number} — "
        out += [f"Current stage: **{label}{current.title}**, coverage {percent(current.coverage)}.", ""]
    out += ["| stage | " + " | ".join(AREAS) + " | coverage |", "|---" * (len(AREAS) + 2) + "|"]
    for s in report.stages:
        name = s.title if s.implicit else f"{s.number}. {s.title}"
        out.append(
            f"| {name}{' (current)' if s.current else ''} | "
            + " | ".join(cell(s, a) for a in AREAS)
            + f" | {percent(s.coverage)} |"
        )
    out += ["", "## Next three work items", ""]
    if not report.next_items:
        out += ["Nothing left in the current stage.", ""]
    for n, w in enumerate(report.next_items, 1):
        out.append(f"{n}. **{w.title}** ({where(w.plan)}). Done when:")
        out += [f"   - {d}" for d in w.done_when]
    out.append("")
    for s in report.stages:
        heading = s.title if s.implicit else f"Stage {s.number}: {s.title}"
        out += [f"## {heading}{' (current)' if s.current else ''}", ""]
        for area in AREAS:
            items = [i for i in s.items if i.area == area]
            if not items:
                continue
            out += [
                f"### {area.capitalize()}",
                "",
                "| item | status | plan | code | user stories |",
                "|---|---|---|---|---|",
            ]
            for i in sorted(items, key=lambda i: i.order):
                out.append(
                    f"| `{i.label}` | {STATUS_MARK[i.status]} | {where(i.plan)} | {where(i.code)} | "
                    f"{', '.join(i.user_stories)} |"
                )
                for code, message in i.findings:
                    escaped = message.replace("|", "\\|")
                    out.append(f"| | {code} | {escaped} | | |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"
