"""GitLab Code Quality and JUnit XML: fields, severities, unique fingerprints, valid XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from stage_lsp.core.violation import Severity
from stage_lsp.render.gitlab import render_gitlab
from stage_lsp.render.junit import render_junit
from tests.findings import at, finding


def test_gitlab_fields_and_severity_mapping() -> None:
    vs = [
        finding("SL501", "RLS off", at("m.sql", 2, 0, 4, 1), severity=Severity.ERROR, name="rls-not-enabled"),
        finding("SL101", "missing", at("p.md", 0), severity=Severity.WARNING),
        finding(
            "SL911", "plan only", at("p.md", 1), severity=Severity.INFO, name="plan-changed-without-code"
        ),
        finding("SL999", "hint", at("p.md", 2), severity=Severity.HINT, name="x"),
    ]
    report = json.loads(render_gitlab(vs))
    by_code = {item["check_name"].split()[0]: item for item in report}
    assert by_code["SL501"] == {
        "type": "issue",
        "engine_name": "stage-lsp",
        "check_name": "SL501 rls-not-enabled",
        "description": "SL501 RLS off",
        "categories": ["Bug Risk"],
        "fingerprint": vs[0].fingerprint,
        "severity": "critical",
        "location": {"path": "m.sql", "lines": {"begin": 3, "end": 5}},
    }
    assert [by_code[c]["severity"] for c in ("SL101", "SL911", "SL999")] == ["major", "minor", "info"]


def test_gitlab_fingerprints_are_unique_in_a_report() -> None:
    same = [finding("SL102", "dup", at(f"src/{n}.ts", 0), entity=("GET /x",)) for n in ("b", "a", "c")]
    prints = [item["fingerprint"] for item in json.loads(render_gitlab(same))]
    base = same[0].fingerprint
    assert prints == [base, f"{base}-2", f"{base}-3"]
    assert json.loads(render_gitlab([])) == []


def test_junit_failures_skips_and_clean_report() -> None:
    vs = [
        finding("SL101", 'bad <thing> & "quotes"\x01', at("p.md", 3, 2), severity=Severity.ERROR),
        finding(
            "SL911", "info only", at("p.md", 0), severity=Severity.INFO, name="plan-changed-without-code"
        ),
    ]
    root = ET.fromstring(render_junit(vs, fail_on=Severity.WARNING).encode())
    suite = root.find("testsuite")
    assert suite is not None and suite.attrib["tests"] == "2"
    assert (suite.attrib["failures"], suite.attrib["skipped"], suite.attrib["errors"]) == ("1", "1", "0")
    cases = suite.findall("testcase")
    failure = cases[0].find("skipped")  # sorted by location: p.md:1 first (the info finding)
    assert failure is not None and failure.attrib["type"] == "SL911"
    bad = cases[1].find("failure")
    assert bad is not None
    assert bad.attrib["message"] == 'bad <thing> & "quotes"\ufffd'
    assert cases[1].attrib["name"] == "SL101 planned-endpoint-missing at p.md:4:3"
    assert "fingerprint: 1:" in (bad.text or "")
    clean = ET.fromstring(render_junit([]).encode())
    assert [c.attrib["name"] for c in clean.iter("testcase")] == ["stage-lsp check"]
    assert clean.attrib["failures"] == "0"
