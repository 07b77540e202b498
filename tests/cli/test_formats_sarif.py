"""SARIF 2.1.0: structure, GitHub code scanning limits, and validation by Microsoft's SARIF multitool.

The validator is the npm package `@microsoft/sarif-multitool` (works offline; it also ships the SARIF 2.1.0
JSON schema). `.ci/run` installs it once per machine into `$STAGE_LSP_SARIF_TOOLS`; the validation tests
skip without it, except under CI=true where they fail. Locally: `npm install --prefix tests/tools
@microsoft/sarif-multitool@5.7.0` (tests/tools/ is git-ignored), or run .ci/run once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Applicability, CreateFile, Related, Severity
from stage_lsp.render.sarif import FINGERPRINT_KEY, render_sarif
from tests.conftest import EXAMPLE, IN_CI, run_cli
from tests.findings import at, finding, replace

PACKAGE = Path("node_modules/@microsoft/sarif-multitool-linux")


def tools_dir() -> Path | None:
    candidates = [os.environ.get("STAGE_LSP_SARIF_TOOLS", "")]
    home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    candidates += [
        str(home / "stage-lsp-ci" / "sarif-multitool-5.7.0"),
        str(Path(__file__).resolve().parents[1] / "tools"),
    ]
    for c in candidates:
        if c and (Path(c) / PACKAGE / "Sarif.Multitool").is_file():
            return Path(c) / PACKAGE
    return None


@pytest.fixture(scope="module")
def multitool() -> Path:
    found = tools_dir()
    if found is None:
        if IN_CI:
            pytest.fail("the SARIF multitool is required in CI (.ci/run installs it with npm)")
        pytest.skip(
            "SARIF multitool not installed (npm install --prefix tests/tools @microsoft/sarif-multitool)"
        )
    return found


def rich_violations() -> list[Any]:
    """Findings that use every SARIF feature we emit: related locations, fixes, odd paths, levels."""
    return [
        finding(
            "SL101",
            "Planned endpoint `GET /api/x` has no route in the code",
            at(".ai/api-plan.md", 4, 5, 4, 20),
            related=(Related(at("src/pages/api/[id].ts", 0), "the handler would live here"),),
            edits=(CreateFile("src/pages/api/[id].ts", "export {};\n"),),
        ),
        finding(
            "SL102",
            "Route `GET /api/zażółć` is not planned",
            at("src/pages/api/(group)/zażółć gęś.ts", 2, 13, 2, 16),
            severity=Severity.ERROR,
            name="route-not-planned",
            edits=(replace("src/pages/api/(group)/zażółć gęś.ts", 2, 13, 2, 16, "POST"),),
            applicability=Applicability.UNSAFE,
        ),
        finding(
            "SL903",
            "File not checked: binary",
            at("src/x.ts", 0),
            severity=Severity.INFO,
            name="file-unreadable",
        ),
        finding("SL999", "Unknown rule", at("a.md", 0), severity=Severity.HINT, name="test-only"),
    ]


def test_structure_of_a_result(tmp_path: Path) -> None:
    doc = json.loads(render_sarif(str(tmp_path), rich_violations()).text)
    run = doc["runs"][0]
    assert doc["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["SL101", "SL102", "SL903", "SL999"]
    assert rules[0]["name"] == "PlannedEndpointMissing"
    assert rules[0]["helpUri"] == "https://github.com/stage-lsp/stage-lsp/blob/main/rules/SL101.md"
    assert rules[0]["defaultConfiguration"] == {"level": "warning"}
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"SL101": "warning", "SL102": "error", "SL903": "note", "SL999": "note"}
    first = next(r for r in run["results"] if r["ruleId"] == "SL101")
    assert rules[first["ruleIndex"]]["id"] == "SL101"
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": ".ai/api-plan.md", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 5, "startColumn": 6, "endLine": 5, "endColumn": 21}
    assert first["partialFingerprints"] == {FINGERPRINT_KEY: rich_violations()[0].fingerprint}
    rel = first["relatedLocations"][0]
    assert rel["physicalLocation"]["artifactLocation"]["uri"] == "src/pages/api/%5Bid%5D.ts"
    assert "fixes" not in first  # a CreateFile has no SARIF form
    odd = next(r for r in run["results"] if r["ruleId"] == "SL102")
    assert odd["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "src/pages/api/(group)/za%C5%BC%C3%B3%C5%82%C4%87%20g%C4%99%C5%9B.ts"
    )
    change = odd["fixes"][0]["artifactChanges"][0]
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 3, "startColumn": 14, "endLine": 3, "endColumn": 17},
            "insertedContent": {"text": "POST"},
        }
    ]
    assert "invocations" not in run


def test_result_cap_keeps_the_most_severe_and_says_so(tmp_path: Path) -> None:
    many = [finding("SL101", f"w{i}", at("a.md", i), entity=(str(i),)) for i in range(30)]
    errors = [
        finding("SL102", f"e{i}", at("b.ts", i), severity=Severity.ERROR, entity=(str(i),)) for i in range(5)
    ]
    out = render_sarif(str(tmp_path), many + errors, max_results=10)
    run = json.loads(out.text)["runs"][0]
    assert len(run["results"]) == 10
    assert sum(r["level"] == "error" for r in run["results"]) == 5
    assert out.notes and "25 of 35 results were left out" in out.notes[0]
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == out.notes[0]


def test_size_cap_shrinks_the_log_under_the_gzip_limit(tmp_path: Path) -> None:
    noisy = [
        finding("SL101", f"{i} " + os.urandom(300).hex(), at("a.md", i), entity=(str(i),)) for i in range(200)
    ]
    out = render_sarif(str(tmp_path), noisy, max_gzip_bytes=40_000)
    from stage_lsp.render.sarif import gzip_size

    assert gzip_size(out.text) <= 40_000
    kept = len(json.loads(out.text)["runs"][0]["results"])
    assert 0 < kept < 200
    assert any("gzip-compressed log under 40,000 bytes" in n for n in out.notes)


def test_related_locations_are_capped() -> None:
    related = tuple(Related(Location("b.ts", Range(i, 0, i, 1)), "r") for i in range(150))
    out = render_sarif("/tmp", [finding(related=related)])
    result = json.loads(out.text)["runs"][0]["results"][0]
    assert len(result["relatedLocations"]) == 100
    assert out.notes == ("related locations were capped at 100 per result",)


def _sarif_files(tmp_path: Path) -> list[Path]:
    out = tmp_path / "sarif"
    out.mkdir()
    example = run_cli("check", str(EXAMPLE), "--no-cache", "--output-format", "sarif")
    assert example.code == 1, example.err
    (out / "flashcards.sarif").write_text(example.out)
    (out / "rich.sarif").write_text(render_sarif("/project", rich_violations()).text)
    capped = render_sarif("/project", rich_violations(), max_results=1)
    (out / "capped.sarif").write_text(capped.text)
    (out / "empty.sarif").write_text(render_sarif("/project", []).text)
    return sorted(out.iterdir())


def test_sarif_passes_the_json_schema(multitool: Path, tmp_path: Path) -> None:
    schema = json.loads((multitool / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for path in _sarif_files(tmp_path):
        errors = [e.message for e in validator.iter_errors(json.loads(path.read_text()))]
        assert errors == [], path.name


def test_sarif_passes_sarif_multitool_validate(multitool: Path, tmp_path: Path) -> None:
    files = _sarif_files(tmp_path)
    binary = multitool / "Sarif.Multitool"
    if not os.access(binary, os.X_OK):  # npm may skip the package's chmod postinstall script
        shutil.copy(binary, tmp_path / "Sarif.Multitool")
        binary = tmp_path / "Sarif.Multitool"
        binary.chmod(0o755)
    report = tmp_path / "validation.sarif"
    env = {**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1", "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"}
    proc = subprocess.run(
        [
            str(binary),
            "validate",
            *map(str, files),
            "--output",
            str(report),
            "--log",
            "ForceOverwrite",
            "--config",
            "default",
            "--level",
            "Error;Warning",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(report.read_text(encoding="utf-8-sig"))["runs"][0].get("results", [])
    problems = [(r.get("level"), r["ruleId"], r["message"].get("arguments")) for r in results]
    assert problems == []


def test_rule_descriptions_are_keyed_by_the_code_the_findings_use(monkeypatch: pytest.MonkeyPatch) -> None:
    """A renamed rule's old code finds its new rule's description under the old code, as stored by the
    result cache and looked up by the SARIF renderer."""
    from stage_lsp import rules
    from stage_lsp.render.sarif import rule_infos

    monkeypatch.setitem(rules.REDIRECTS, "SL199", "SL101")
    infos = rule_infos(["SL199", "SL101", "SL000"])
    assert sorted(infos) == ["SL101", "SL199"]
    assert infos["SL199"].code == "SL199" and infos["SL199"].name == infos["SL101"].name
