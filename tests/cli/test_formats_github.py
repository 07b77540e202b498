"""GitHub annotations: escaping, the 10-per-severity cap with its overflow line, ordering, job summary."""

from __future__ import annotations

from pathlib import Path

from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Related, Severity
from stage_lsp.render.github import (
    annotation,
    escape_data,
    escape_property,
    render_github,
    render_step_summary,
)
from tests.conftest import run_cli
from tests.findings import at, finding


def test_escaping_of_data_and_properties() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    v = finding(
        "SL101",
        "50% of `GET /x`: missing,\nreally",
        at("docs/a,b:c.md", 2, 3, 2, 9),
        related=(Related(at("src/x.ts", 0), "here"),),
    )
    assert annotation(v) == (
        "::warning file=docs/a%2Cb%3Ac.md,line=3,endLine=3,col=4,endColumn=10,"
        "title=SL101 planned-endpoint-missing::50%25 of `GET /x`: missing,%0Areally%0Asrc/x.ts:1:1: here"
    )


def test_multi_line_ranges_omit_columns_and_severities_map() -> None:
    v = finding(where=Location("a.md", Range(1, 4, 3, 2)), severity=Severity.ERROR)
    assert annotation(v).startswith("::error file=a.md,line=2,endLine=4,title=")
    assert annotation(finding(severity=Severity.INFO)).startswith("::notice ")
    assert annotation(finding(severity=Severity.HINT)).startswith("::notice ")


def _many(code: str, severity: Severity, n: int, file: str = "src/a.ts") -> list:  # type: ignore[type-arg]
    return [
        finding(code, f"{code} #{i}", at(file, i), severity=severity, entity=(code, str(i))) for i in range(n)
    ]


def test_at_most_ten_per_severity_then_one_line_saying_how_many_more_and_where() -> None:
    violations = (
        _many("SL102", Severity.ERROR, 12)
        + _many("SL101", Severity.WARNING, 3)
        + _many("SL903", Severity.INFO, 15)
    )
    lines = render_github(violations, 9).splitlines()
    commands = [
        line for line in lines if line.startswith("::") and not line.startswith(("::group", "::endgroup"))
    ]
    assert sum(c.startswith("::error ") for c in commands) == 10
    assert sum(c.startswith("::warning ") for c in commands) == 3
    notices = [c for c in commands if c.startswith("::notice ")]
    assert len(notices) == 10  # 9 findings + the overflow line, so GitHub drops none
    overflow = notices[-1]
    assert overflow.startswith("::notice title=stage-lsp::8 more findings not annotated")
    assert "see the group `stage-lsp: 8 more` in this log and the job summary" in overflow
    group = lines[lines.index("::group::stage-lsp: 8 more") + 1 : lines.index("::endgroup::")]
    assert len(group) == 8
    assert "src/a.ts:11:1: SL102 SL102 #10" in group and "src/a.ts:12:1: SL102 SL102 #11" in group
    assert lines[-1] == "stage-lsp: 30 findings (12 error, 3 warning, 15 info) in 9 files checked."
    # errors come first; commands are ordered most important first
    assert [c.split(" ", 1)[0] for c in commands[:11]] == ["::error"] * 10 + ["::warning"]


def test_no_overflow_line_when_everything_fits() -> None:
    out = render_github(_many("SL903", Severity.INFO, 10), 1)
    assert out.count("::notice ") == 10 and "more" not in out


def test_order_within_a_severity_touched_files_then_plan_anchored() -> None:
    plan = finding("SL101", "plan", at(".ai/api-plan.md", 40), entity=("p",))
    touched = finding("SL102", "touched", at("src/z.ts", 5), entity=("t",))
    other = finding("SL102", "other", at("src/a.ts", 1), entity=("o",))
    out = render_github([other, plan, touched], 3, touched=frozenset({"src/z.ts"}))
    messages = [line.rsplit("::", 1)[1] for line in out.splitlines() if line.startswith("::warning")]
    assert messages == ["touched", "plan", "other"]


def test_step_summary_counts_and_escapes_table_cells() -> None:
    v = finding("SL101", "a | b\nc", at("x.md", 0))
    md = render_step_summary([v], 4)
    assert "**1 findings** (1 warning) in 4 files checked." in md
    assert (
        "| [SL101](https://github.com/stage-lsp/stage-lsp/blob/main/rules/SL101.md) | planned-endpoint-missing | 1 |"
        in md
    )
    assert "| warning | `x.md:1:1` | SL101 | a \\| b c |" in md
    many = render_step_summary(_many("SL101", Severity.WARNING, 5), 1, max_rows=2)
    assert "3 more not listed" in many
    assert render_step_summary([], 3).startswith("## stage-lsp\n\nAll checks passed (3 files checked).")


def test_cli_appends_the_step_summary(make_project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_project(
        {
            ".ai/api-plan.md": "# API\n\n#### GET /api/decks\n",
            "src/pages/api/x.ts": "export const GET = () => new Response('');\n",
        }
    )
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    r = run_cli("check", str(root), "--output-format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert r.code == 1
    assert r.out.startswith("::warning file=.ai/api-plan.md,line=3,")
    text = summary.read_text()
    assert text.startswith("earlier step\n## stage-lsp\n") and "SL101" in text and "SL102" in text
