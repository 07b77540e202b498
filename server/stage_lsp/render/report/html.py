"""The stage report as one self-contained HTML page (no network), with SVG coverage charts.

Two charts: a stacked bar per stage (items implemented / drifted / missing / later) and a stacked bar per
area of the current stage. Every bar segment is an SVG `rect` carrying `data-chart`, `data-bar`,
`data-status` and `data-count`, so tests (and people) can read the numbers. Light and dark colour schemes
follow `prefers-color-scheme`.
"""

from __future__ import annotations

import re
from html import escape

from stage_lsp.core.location import Location
from stage_lsp.render.report.markdown import percent
from stage_lsp.render.report.model import AREAS, Report, StageSummary

STATUSES = ("implemented", "drifted", "missing", "later")
LABELS = {"implemented": "done", "drifted": "drifted", "missing": "missing", "later": "later stage"}

CSS = """
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --grid: #d1d9e0;
  --implemented: #1a7f37; --drifted: #bf8700; --missing: #cf222e; --later: #8c959f; --card: #f6f8fa; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --grid: #3d444d;
    --implemented: #3fb950; --drifted: #d29922; --missing: #f85149; --later: #6e7681; --card: #151b23; } }
body { background: var(--bg); color: var(--fg); font: 14px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1, h2, h3 { line-height: 1.25; } .muted { color: var(--muted); }
.card { background: var(--card); border-radius: 8px; padding: 1rem 1.25rem; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--grid); vertical-align: top; }
code { font: 12px ui-monospace, monospace; } td:nth-child(3), td:nth-child(4) { white-space: nowrap; }
.badge { display: inline-block; padding: 0 .5rem; border-radius: 1rem; color: #fff; font-size: 12px; }
.implemented { background: var(--implemented); } .drifted { background: var(--drifted); }
.missing { background: var(--missing); } .later { background: var(--later); }
svg text { fill: var(--fg); font: 12px system-ui, sans-serif; }
rect.implemented { fill: var(--implemented); } rect.drifted { fill: var(--drifted); }
rect.missing { fill: var(--missing); } rect.later { fill: var(--later); }
.legend span { margin-right: 1rem; } ol li { margin-bottom: .5rem; }
"""

BAR_W, LABEL_W, ROW_H = 520, 230, 28


def _bars(chart: str, rows: list[tuple[str, dict[str, int]]]) -> str:
    height = ROW_H * len(rows) + 8
    parts = [
        f'<svg class="chart" data-chart="{chart}" role="img" width="{LABEL_W + BAR_W + 60}" height="{height}" '
        f'viewBox="0 0 {LABEL_W + BAR_W + 60} {height}">'
    ]
    for n, (label, counts) in enumerate(rows):
        y = n * ROW_H + 4
        total = sum(counts[s] for s in STATUSES)
        shown = label if len(label) <= 34 else label[:33] + "…"
        parts.append(f'<text x="0" y="{y + 17}">{escape(shown)}<title>{escape(label)}</title></text>')
        x = float(LABEL_W)
        for status in STATUSES:
            count = counts[status]
            if not count:
                continue
            width = BAR_W * count / total
            parts.append(
                f'<rect class="{status}" data-chart="{chart}" data-bar="{escape(label)}" data-status="{status}" '
                f'data-count="{count}" x="{x:.1f}" y="{y}" width="{width:.1f}" height="{ROW_H - 8}" rx="3">'
                f"<title>{escape(label)}: {count} {LABELS[status]}</title></rect>"
            )
            x += width
        parts.append(f'<text x="{LABEL_W + BAR_W + 8}" y="{y + 17}">{total}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _text(s: str) -> str:
    """Escape, and show `code spans` as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(s))


def _where(loc: Location | None) -> str:
    return f"<code>{escape(loc.file)}:{loc.range.line + 1}</code>" if loc else ""


def _stage_name(s: StageSummary) -> str:
    return s.title if s.implicit else f"Stage {s.number}: {s.title}"


def render_html(report: Report) -> str:
    current = next((s for s in report.stages if s.current), report.stages[0] if report.stages else None)
    body = [f"<h1>Stage report</h1><p class='muted'>{escape(report.root)}</p>"]
    legend = "".join(f'<span><span class="badge {s}">&nbsp;</span> {LABELS[s]}</span>' for s in STATUSES)
    body.append(f'<p class="legend">{legend}</p>')
    stage_rows = [(_stage_name(s), {k: s.count()[k] for k in STATUSES}) for s in report.stages]
    body.append(f"<div class='card'><h2>Stages</h2>{_bars('stages', stage_rows)}</div>")
    if current is not None:
        area_rows = [
            (a, {k: current.count(a)[k] for k in STATUSES}) for a in AREAS if current.count(a)["planned"]
        ]
        body.append(
            f"<div class='card'><h2>{escape(_stage_name(current))}: by area "
            f"<span class='muted'>(coverage {percent(current.coverage)})</span></h2>{_bars('areas', area_rows)}</div>"
        )
    body.append("<div class='card'><h2>Next three work items</h2><ol>")
    for w in report.next_items:
        done = "".join(f"<li>{_text(d)}</li>" for d in w.done_when)
        body.append(f"<li><strong>{_text(w.title)}</strong> {_where(w.plan)}<ul>{done}</ul></li>")
    if not report.next_items:
        body.append("<li>Nothing left in the current stage.</li>")
    body.append("</ol></div>")
    for s in report.stages:
        body.append(f"<h2>{escape(_stage_name(s))}{' (current)' if s.current else ''}</h2>")
        for area in AREAS:
            items = sorted((i for i in s.items if i.area == area), key=lambda i: i.order)
            if not items:
                continue
            rows = []
            for i in items:
                findings = "<br>".join(f"<code>{escape(c)}</code> {_text(m)}" for c, m in i.findings)
                rows.append(
                    f"<tr><td><code>{escape(i.label)}</code></td><td><span class='badge {i.status}'>"
                    f"{LABELS[i.status]}</span></td><td>{_where(i.plan)}</td><td>{_where(i.code)}</td>"
                    f"<td>{escape(', '.join(i.user_stories))}</td><td>{findings}</td></tr>"
                )
            body.append(
                f"<h3>{escape(area.capitalize())}</h3><table><tr><th>item</th><th>status</th><th>plan</th>"
                f"<th>code</th><th>user stories</th><th>findings</th></tr>{''.join(rows)}</table>"
            )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>stage-lsp report</title><style>{CSS}</style></head><body>{''.join(body)}</body></html>\n"
    )
