"""`--output-format junit`: JUnit XML, one test case per finding (GitLab, Jenkins, Azure, CircleCI read it).

`<testsuites>` holds one `<testsuite name="stage-lsp">`. A finding is a `<testcase>` named
`SLnnn name at file:line:col` with `classname` = the file; findings at or above `--fail-on` carry a
`<failure type="SLnnn">` (message, location, related locations, fingerprint), findings below it a
`<skipped>` with the same text, so they are visible without failing the report. A clean check is one
passing test case, `stage-lsp check`, so the report is never empty. Characters XML cannot carry (control
characters) are replaced by U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from stage_lsp.core.violation import Severity, Violation

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _where(v: Violation) -> str:
    r = v.location.range
    return f"{v.location.file}:{r.line + 1}:{r.col + 1}"


def _details(v: Violation) -> str:
    lines = [f"{_where(v)}: {v.code} {v.message}", f"severity: {v.severity.value}"]
    for rel in v.related:
        rr = rel.location.range
        lines.append(f"related: {rel.location.file}:{rr.line + 1}:{rr.col + 1}: {rel.message}")
    lines.append(f"fingerprint: {v.fingerprint}")
    return _clean("\n".join(lines))


def render_junit(violations: Sequence[Violation], *, fail_on: Severity = Severity.WARNING) -> str:
    ordered = sorted(violations, key=lambda v: v.sort_key)
    failing = [v for v in ordered if v.severity.rank >= fail_on.rank]
    skipped = len(ordered) - len(failing)
    tests = max(1, len(ordered))
    counts = {"tests": str(tests), "failures": str(len(failing)), "errors": "0", "skipped": str(skipped)}
    suites = ET.Element("testsuites", {"name": "stage-lsp", **{k: v for k, v in counts.items()}})
    suite = ET.SubElement(suites, "testsuite", {"name": "stage-lsp", **counts})
    if not ordered:
        ET.SubElement(suite, "testcase", {"classname": "stage-lsp", "name": "stage-lsp check"})
    for v in ordered:
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": _clean(v.location.file), "name": _clean(f"{v.code} {v.name} at {_where(v)}")},
        )
        tag = "failure" if v.severity.rank >= fail_on.rank else "skipped"
        child = ET.SubElement(case, tag, {"message": _clean(v.message), "type": v.code})
        child.text = _details(v)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
