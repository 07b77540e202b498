"""The stage report: classification, next work items, and the three renderings."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import jsonschema

from stage_lsp.code.model import CodeModel
from stage_lsp.config.discovery import FileSet
from stage_lsp.config.settings import Settings
from stage_lsp.context import CheckContext
from stage_lsp.plan.model import PlanModel, Stage
from stage_lsp.render.report import build_report
from stage_lsp.render.report.html import render_html
from stage_lsp.render.report.json_report import report_document
from stage_lsp.render.report.markdown import render_markdown
from stage_lsp.rules import ALL_RULES
from tests.conftest import EXAMPLE, SERVER, require_program, run_cli
from tests.rules.builders import (
    PLAN,
    at,
    endpoint,
    plan_policy,
    plan_table,
    route,
    schema_policy,
    schema_table,
)

SCHEMA = json.loads((SERVER / "stage_lsp/render/schemas/report.schema.json").read_text())


def staged_context() -> CheckContext:
    endpoints = (
        endpoint("GET /api/decks", 10, stage=1, statuses=[200]),
        endpoint("POST /api/decks", 20, stage=1, statuses=[201]),
        endpoint("GET /api/cards", 30, stage=2, statuses=[200], user_stories=("US-002",)),
        endpoint("POST /api/cards", 40, stage=2, request=["front"]),
        endpoint("GET /api/stats", 50, stage=3),
    )
    routes = (
        route("GET /api/decks", statuses=[200]),
        route("POST /api/decks", statuses=[(200, 9)]),
        route("GET /api/cards", "src/pages/api/cards.ts", statuses=[200]),
    )
    tables = (
        plan_table(
            "decks", 1, stage=1, rls=True, policies=[plan_policy("select", 5, using="auth.uid() = user_id")]
        ),
        plan_table(
            "cards",
            20,
            stage=2,
            rls=True,
            columns=[("id", "uuid", False), ("front", "text", False)],
            policies=[plan_policy("select", 25), plan_policy("insert", 26)],
        ),
    )
    schema = (
        schema_table(
            "decks",
            1,
            rls=True,
            rls_line=3,
            policies=[schema_policy("decks", "select", 4, using="auth.uid() = user_id")],
        ),
    )
    stages = (
        Stage(1, "Decks", at(".ai/stages-plan.md", 2)),
        Stage(2, "Cards", at(".ai/stages-plan.md", 9)),
        Stage(3, "Stats", at(".ai/stages-plan.md", 15)),
    )
    plan = PlanModel(
        api_files=(PLAN,),
        db_files=(".ai/db-plan.md",),
        endpoints=endpoints,
        tables=tables,
        stages=stages,
        current_stage=2,
    )
    code = CodeModel(
        framework="astro",
        routes=routes,
        route_files=("src/pages/api/x.ts",),
        tables=schema,
        migrations=("supabase/migrations/1_init.sql",),
    )
    return CheckContext(plan=plan, code=code, settings=Settings(), files=FileSet())


def violations(ctx: CheckContext) -> list:  # type: ignore[type-arg]
    return [v for r in ALL_RULES for v in r.check(ctx)]


def test_classification_per_stage_and_area() -> None:
    ctx = staged_context()
    report = build_report(ctx, violations(ctx), "/p")
    assert [(s.number, s.current) for s in report.stages] == [(1, False), (2, True), (3, False)]
    one, two, three = report.stages
    assert one.count("endpoints") == {"planned": 2, "implemented": 2, "drifted": 0, "missing": 0, "later": 0}
    assert one.count("statuses") == {"planned": 2, "implemented": 1, "drifted": 1, "missing": 0, "later": 0}
    assert two.count("endpoints")["missing"] == 1 and two.count("tables")["missing"] == 1
    assert two.count("policies") == {"planned": 2, "implemented": 0, "drifted": 0, "missing": 2, "later": 0}
    assert three.count("endpoints") == {
        "planned": 1,
        "implemented": 0,
        "drifted": 0,
        "missing": 0,
        "later": 1,
    }
    cards = next(i for i in two.items if i.label == "GET /api/cards" and i.area == "endpoints")
    assert cards.user_stories == ("US-002",) and cards.code is not None


def test_next_items_put_the_table_before_its_endpoints_and_missing_before_drift() -> None:
    ctx = staged_context()
    report = build_report(ctx, violations(ctx), "/p")
    titles = [w.title for w in report.next_items]
    assert titles == ["Create table `cards` with row-level security", "Implement `POST /api/cards`"]
    create = report.next_items[0]
    assert create.done_when == (
        "`create table cards` with columns `id`, `front`",
        "row-level security enabled",
        "policies: select to authenticated, insert to authenticated",
    )
    assert report.next_items[1].done_when == ("`POST /api/cards` is served", "accepts `front`")
    stage_one = build_report(ctx, violations(ctx), "/p", stage=1)
    assert [s.number for s in stage_one.stages] == [1]
    assert [w.kind for w in stage_one.next_items] == ["fix drift"]


def test_without_a_stage_plan_everything_is_one_implicit_stage() -> None:
    ctx = staged_context()
    flat = CheckContext(
        plan=PlanModel(api_files=(PLAN,), endpoints=ctx.plan.endpoints[:2]),
        code=ctx.code,
        settings=ctx.settings,
        files=ctx.files,
    )
    report = build_report(flat, violations(flat), "/p")
    (only,) = report.stages
    assert only.implicit and only.current and only.count("endpoints")["planned"] == 2


def test_renderings() -> None:
    ctx = staged_context()
    report = build_report(ctx, violations(ctx), "/p")
    doc = report_document(report)
    jsonschema.validate(doc, SCHEMA)
    assert doc["stages"][1]["areas"]["tables"]["missing"] == 1
    md = render_markdown(report)
    assert "Current stage: **2 — Cards**" in md and "## Next three work items" in md
    assert "| 2. Cards (current) |" in md
    html = render_html(report)
    assert "<script" not in html and "http" not in html.replace(
        "http-equiv", ""
    )  # self-contained, no network
    rects = re.findall(
        r'<rect class="(\w+)" data-chart="stages" data-bar="([^"]+)" data-status="\w+" data-count="(\d+)"',
        html,
    )
    drawn = {(bar, status): int(n) for status, bar, n in rects}
    assert (
        drawn[("Stage 2: Cards", "missing")] == report.stages[1].count()["missing"] == 5
    )  # POST /api/cards (endpoint + fields), cards, 2 policies


def test_cli_formats_on_the_example(tmp_path: Path) -> None:
    for fmt in ("markdown", "json", "html"):
        out = tmp_path / f"report.{fmt}"
        result = run_cli("report", str(EXAMPLE), "--output-format", fmt, "--output-file", str(out))
        assert result.code == 0, result.err
        assert out.stat().st_size > 500
    jsonschema.validate(json.loads((tmp_path / "report.json").read_text()), SCHEMA)


MEASURE = """<script>
const out = [...document.querySelectorAll('rect')].map(r => {
  const b = r.getBoundingClientRect();
  return [r.dataset.chart, r.dataset.bar, r.dataset.status, +r.dataset.count, Math.round(b.width)];
});
const pre = document.createElement('pre'); pre.id = 'measured'; pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>"""


def test_html_charts_are_drawn_in_a_real_browser(tmp_path: Path) -> None:
    chromium = require_program("chromium")
    page = tmp_path / "report.html"
    assert run_cli("report", str(EXAMPLE), "--output-format", "html", "--output-file", str(page)).code == 0
    html = page.read_text()
    measured_page = tmp_path / "measured.html"
    measured_page.write_text(html.replace("</body>", MEASURE + "</body>"))
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [chromium, *flags, "--dump-dom", measured_page.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert found, "the page did not render"
    rects = json.loads(found.group(1).replace("&quot;", '"'))
    assert rects and all(width > 0 for *_, width in rects)
    for chart in ("stages", "areas"):
        bars: dict[str, list[tuple[int, int]]] = {}
        for c, bar, _, count, width in rects:
            if c == chart:
                bars.setdefault(bar, []).append((count, width))
        assert bars, f"no {chart} chart"
        for segments in bars.values():  # widths proportional to counts (within rounding)
            total_count, total_width = sum(c for c, _ in segments), sum(w for _, w in segments)
            for count, width in segments:
                assert abs(width - total_width * count / total_count) <= 2
    artifacts = Path(__file__).resolve().parent.parent.parent / "build" / "artifacts"  # git-ignored
    artifacts.mkdir(parents=True, exist_ok=True)
    shot = artifacts / "report.png"
    subprocess.run(
        [chromium, *flags, "--window-size=1200,1500", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
    )
    assert shot.stat().st_size > 10_000


def test_report_goldens_on_the_example(tmp_path: Path) -> None:
    """The markdown and JSON report of examples/flashcards (three stages, partly done); `make goldens`."""
    from tests.cli.test_formats import check_golden, normalise

    for fmt, name in (("markdown", "flashcards.report.md"), ("json", "flashcards.report.json")):
        result = run_cli("report", str(EXAMPLE), "--output-format", fmt)
        assert result.code == 0, result.err
        check_golden(name, normalise(result.out))
    doc = json.loads(normalise(run_cli("report", str(EXAMPLE), "--output-format", "json").out))
    assert [(s["number"], s["current"]) for s in doc["stages"]] == [(1, False), (2, True), (3, False)]
    assert len(doc["next_items"]) == 3
