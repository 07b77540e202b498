"""`--output-format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

One run; `tool.driver.rules` holds the rules that have results (sorted by code) with their summary, help
(the rule page as markdown), `helpUri` into rules/ and default level. Each result has a stable `ruleId`
and `ruleIndex`, a location relative to `%SRCROOT%` (the project root, given in `originalUriBaseIds`),
1-based lines and code-point columns (`columnKind: unicodeCodePoints`, end exclusive), the counterparts on
the other side as `relatedLocations`, our fingerprint as `partialFingerprints["stageLsp/v1"]`, and text
fixes as `fixes`.

GitHub code scanning limits (docs: "SARIF support for code scanning"): 25,000 results per run, 1,000
locations per result (100 shown) and 10 MB of gzip-compressed upload. The document stays within them:
results beyond the cap (the least severe first) are left out, related locations are capped at 100, and the
output is shrunk until it compresses under 10 MB. Whatever was left out is said in
`invocations[0].toolExecutionNotifications` and returned as notes for stderr.

The rule descriptors come from `rules` (code -> RuleInfo) when the caller has them (the whole-check result
cache stores them with the findings), else from the rules package, imported only then.
"""

from __future__ import annotations

import gzip
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from stage_lsp import __version__
from stage_lsp.core.location import Location, Range
from stage_lsp.core.rule_info import RuleInfo
from stage_lsp.core.violation import Fix, Severity, TextEdit, Violation
from stage_lsp.render.common import PROJECT_URL, priority, rule_url
from stage_lsp.render.json_text import dumps_indented

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "stageLsp/v1"
SRCROOT = "%SRCROOT%"
MAX_RESULTS = 25_000
MAX_RELATED = 100
MAX_GZIP_BYTES = 10 * 1000 * 1000  # GitHub rejects larger uploads (413); stay a little under 10 MB

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.HINT: "note"}


@dataclass(frozen=True)
class SarifOutput:
    text: str
    notes: tuple[str, ...]  # what was left out to stay within the limits


def _uri(rel: str) -> str:
    return quote(rel, safe="/!$&'()*+,;=@")


def _region(r: Range) -> dict[str, int]:
    return {
        "startLine": r.line + 1,
        "startColumn": r.col + 1,
        "endLine": r.end_line + 1,
        "endColumn": r.end_col + 1,
    }


def _physical(loc: Location) -> dict[str, Any]:
    return {
        "artifactLocation": {"uri": _uri(loc.file), "uriBaseId": SRCROOT},
        "region": _region(loc.range),
    }


def _fixes(fix: Fix | None) -> list[dict[str, Any]]:
    if fix is None or not fix.edits or not all(isinstance(e, TextEdit) for e in fix.edits):
        return []  # SARIF has no "create a file" change; the JSON output carries those
    by_file: dict[str, list[dict[str, Any]]] = {}
    for e in fix.edits:
        assert isinstance(e, TextEdit)
        by_file.setdefault(e.location.file, []).append(
            {"deletedRegion": _region(e.location.range), "insertedContent": {"text": e.new_text}}
        )
    changes = [
        {"artifactLocation": {"uri": _uri(f), "uriBaseId": SRCROOT}, "replacements": reps}
        for f, reps in sorted(by_file.items())
    ]
    return [{"description": {"text": fix.title}, "artifactChanges": changes}]


def _pascal(name: str) -> str:
    """SARIF's convention for a rule's friendly name: `planned-endpoint-missing` -> `PlannedEndpointMissing`."""
    return "".join(part[:1].upper() + part[1:] for part in name.replace("_", "-").split("-"))


def rule_infos(codes: Sequence[str]) -> dict[str, RuleInfo]:
    """The RuleInfo of each code the rules package knows, under the code asked for (a renamed code
    gets its new rule's description, keyed and stored as the findings spell it)."""
    from stage_lsp.rules import rule_for  # ~0.5 s of imports: only when no stored infos were given

    found = {code: rule_for(code) for code in codes}
    return {code: replace(rule.info, code=code) for code, rule in found.items() if rule is not None}


def _rule_descriptor(v: Violation, rule: RuleInfo | None) -> dict[str, Any]:
    summary = rule.summary if rule else v.name
    out: dict[str, Any] = {
        "id": v.code,
        "name": _pascal(rule.name if rule else v.name),
        "shortDescription": {"text": summary[0].upper() + summary[1:] + "." if summary else v.code},
        "helpUri": rule_url(v.code),
    }
    if rule is not None:
        out["fullDescription"] = {
            "text": rule.doc.split("\n## ", 2)[0].removeprefix("## What it does").strip()
        }
        out["help"] = {
            "text": f"{out['shortDescription']['text']} See {rule_url(v.code)}",
            "markdown": rule.doc,
        }
        out["defaultConfiguration"] = {"level": LEVELS[rule.severity]}
        out["properties"] = {"tags": ["stage-lsp", rule.family]}
    return out


def _result(v: Violation, index: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": v.code,
        "ruleIndex": index,
        "level": LEVELS[v.severity],
        "message": {"text": v.message},
        "locations": [{"physicalLocation": _physical(v.location)}],
        "partialFingerprints": {FINGERPRINT_KEY: v.fingerprint},
    }
    if v.related:
        out["relatedLocations"] = [
            {"id": i, "physicalLocation": _physical(r.location), "message": {"text": r.message}}
            for i, r in enumerate(v.related[:MAX_RELATED], start=1)
        ]
    fixes = _fixes(v.fix)
    if fixes:
        out["fixes"] = fixes
    return out


def sarif_document(
    root: str,
    violations: Sequence[Violation],
    notes: Sequence[str] = (),
    rules: Mapping[str, RuleInfo] | None = None,
) -> dict[str, Any]:
    codes = sorted({v.code for v in violations})
    infos = rules if rules is not None else rule_infos(codes)
    first = {code: next(v for v in violations if v.code == code) for code in codes}
    index = {code: i for i, code in enumerate(codes)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "stage-lsp",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": PROJECT_URL,
                "rules": [_rule_descriptor(first[c], infos.get(c)) for c in codes],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": Path(root).resolve().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(v, index[v.code]) for v in violations],
    }
    if notes:
        run["invocations"] = [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [{"level": "warning", "message": {"text": n}} for n in notes],
            }
        ]
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _dump(doc: dict[str, Any]) -> str:
    return dumps_indented(doc) + "\n"


def gzip_size(text: str) -> int:
    return len(gzip.compress(text.encode("utf-8"), mtime=0))


def render_sarif(
    root: str,
    violations: Sequence[Violation],
    *,
    max_results: int = MAX_RESULTS,
    max_gzip_bytes: int = MAX_GZIP_BYTES,
    rules: Mapping[str, RuleInfo] | None = None,
) -> SarifOutput:
    """The SARIF log, within GitHub's limits; `notes` says what was left out to get there. `rules`: the
    RuleInfo of every code among `violations` (looked up in the rules package when None)."""
    if rules is None:
        rules = rule_infos(sorted({v.code for v in violations}))
    kept = sorted(violations, key=priority)[:max_results]
    notes: list[str] = []
    if len(kept) < len(violations):
        notes.append(
            f"{len(violations) - len(kept)} of {len(violations)} results were left out (at most "
            f"{max_results} per run, the least severe dropped first); run with --output-format text to see all"
        )
    if any(len(v.related) > MAX_RELATED for v in kept):
        notes.append(f"related locations were capped at {MAX_RELATED} per result")
    text = _dump(sarif_document(root, sorted(kept, key=lambda v: v.sort_key), notes, rules))
    while kept and gzip_size(text) > max_gzip_bytes:
        dropped = max(1, len(kept) // 10)
        kept = kept[:-dropped]
        size_note = (
            f"{len(violations) - len(kept)} of {len(violations)} results were left out to keep the "
            f"gzip-compressed log under {max_gzip_bytes:,} bytes (GitHub's upload limit); run with "
            "--output-format text to see all"
        )
        notes = [n for n in notes if "were left out" not in n] + [size_note]
        text = _dump(sarif_document(root, sorted(kept, key=lambda v: v.sort_key), notes, rules))
    return SarifOutput(text, tuple(notes))
