"""The API plan reader against the hand-made labels of the 24 corpus projects.

Each project is read with `api-plans` set to the label's `api_plan` (discovery is reported, not relied
on); the endpoints of `stage-lsp dump` are matched with the label's by canonical key (duplicates in
document order). Printed per project and in total: endpoint recall and precision, and for matched
endpoints the share whose status sets, error codes, success codes, request/response fields, lines and
flags equal the label's. Corrections for labels shown to be wrong are applied from
`label-corrections.json` (each with the plan file, line and reason) and printed.

Run `python -m tests.corpus.test_labels_api [PROJECT...]` for the per-endpoint differences.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from stage_lsp.config.settings import Settings
from stage_lsp.core.keys import endpoint_key
from stage_lsp.render.dump import dump_document
from stage_lsp.workspace import Workspace
from tests.conftest import corpus_dir

pytestmark = pytest.mark.corpus

CORRECTIONS = Path(__file__).with_name("label-corrections.json")
MIN_RECALL = 0.97
MIN_PRECISION = 0.97
MIN_STATUSES_EQUAL = 0.90
MIN_CODES_EQUAL = 0.90
COMPARED = ("statuses", "error_codes", "success_codes", "request_fields", "response_fields")
FLAGS = ("external", "optional", "post_mvp")


@dataclass
class Score:
    labelled: int = 0
    read: int = 0
    matched: int = 0
    seconds: float = 0.0  # CPU time to read the project's API plan (and the files it links)
    equal: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    diffs: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.labelled += other.labelled
        self.read += other.read
        self.matched += other.matched
        self.seconds += other.seconds
        for k, v in other.equal.items():
            self.equal[k] += v

    def ratio(self, what: str) -> float:
        return self.equal[what] / self.matched if self.matched else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.read if self.read else 1.0


def load_corrections() -> list[dict[str, Any]]:
    if not CORRECTIONS.is_file():
        return []
    data = json.loads(CORRECTIONS.read_text(encoding="utf-8"))
    endpoints = data.get("endpoints", [])
    return endpoints if isinstance(endpoints, list) else []


def apply_corrections(
    project: str, labels: list[dict[str, Any]], corrections: list[dict[str, Any]]
) -> list[str]:
    """Apply this project's corrections to its label endpoints in place; return what was applied."""
    applied: list[str] = []
    for c in corrections:
        if c.get("project") != project:
            continue
        key = endpoint_key(c["method"], c["path"])
        action = c.get("action", "set")
        if action == "add":
            labels.append(dict(c["endpoint"]))
        elif action == "remove":
            labels[:] = [e for e in labels if endpoint_key(e["method"], e["path"]) != key]
        else:
            for e in labels:
                if endpoint_key(e["method"], e["path"]) == key:
                    e[c["field"]] = c["value"]
        applied.append(f"{key} {action} {c.get('field', '')}: {c['reason']} ({c['plan_file']}:{c['line']})")
    return applied


def _norm(values: Any) -> list[Any]:
    return sorted(values or [])


def score_project(
    root: Path, label: dict[str, Any], corrections: list[dict[str, Any]]
) -> tuple[Score, list[str], str]:
    project = root.name
    labels = [dict(e) for e in label["endpoints"]]
    applied = apply_corrections(project, labels, corrections)
    score = Score()
    ws = Workspace(root, Settings(api_plans=[label["api_plan"]]))
    started = time.process_time()
    plan = ws.plan()
    score.seconds = time.process_time() - started
    dump = dump_document(str(root), plan, ws.code())
    mine = dump["plan"]["endpoints"]
    discovered = Workspace(root, Settings()).files.plans["api"]
    discovery = "same" if discovered[:1] == [label["api_plan"]] else f"differs: {discovered}"
    score.labelled, score.read = len(labels), len(mine)
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in sorted(mine, key=lambda e: e["line"]):
        by_key[e["key"]].append(e)
    for lab in sorted(labels, key=lambda e: e["line"]):
        key = endpoint_key(lab["method"], lab["path"])
        if not by_key.get(key):
            score.diffs.append(f"  missing  {key} (label line {lab['line']})")
            continue
        got = by_key[key].pop(0)
        score.matched += 1
        for what in COMPARED:
            if _norm(lab.get(what)) == _norm(got.get(what)):
                score.equal[what] += 1
            else:
                score.diffs.append(
                    f"  {what:15} {key} line {lab['line']}: label {_norm(lab.get(what))} read {_norm(got.get(what))}"
                )
        if lab["line"] == got["line"] and lab.get("def_line", got.get("def_line")) == got.get("def_line"):
            score.equal["line"] += 1
        else:
            score.diffs.append(f"  line            {key}: label {lab['line']} read {got['line']}")
        if all(bool(lab.get(f)) == bool(got.get(f)) for f in FLAGS):
            score.equal["flags"] += 1
        else:
            flags = {f: (bool(lab.get(f)), bool(got.get(f))) for f in FLAGS}
            score.diffs.append(f"  flags           {key}: (label, read) {flags}")
    for rest in by_key.values():
        for e in rest:
            score.diffs.append(f"  extra    {e['key']} (line {e['line']})")
    return score, applied, discovery


RATIOS = ("statuses", "error_codes", "success_codes", "request_fields", "response_fields", "line", "flags")


def _ratios(score: Score) -> str:
    return " ".join(f"{score.ratio(w):6.3f}" for w in RATIOS)


def run(projects: list[str] | None = None, *, verbose: bool = False) -> Score:
    corpus = corpus_dir()
    assert corpus is not None
    corrections = load_corrections()
    total = Score()
    columns = ("lab", "read", "rec", "prec", "stat", "code", "succ", "req", "resp", "line", "flag")
    widths = (4, 4, 6, 6, 6, 6, 6, 6, 6, 6, 6)
    print(
        f"{'project':44} "
        + " ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True))
        + "  discovery"
    )
    for path in sorted((corpus / "labels").glob("*.json")):
        project = path.stem
        if projects and project not in projects:
            continue
        label = json.loads(path.read_text(encoding="utf-8"))
        score, applied, discovery = score_project(corpus / "docs" / project, label, corrections)
        total.add(score)
        print(
            f"{project[:44]:44} {score.labelled:4} {score.read:4} {score.recall:6.3f} {score.precision:6.3f} "
            f"{_ratios(score)}  {discovery}"
        )
        for a in applied:
            print(f"  corrected: {a}")
        if verbose:
            for d in score.diffs:
                print(d)
    print(
        f"{'TOTAL':44} {total.labelled:4} {total.read:4} {total.recall:6.3f} {total.precision:6.3f} "
        + _ratios(total)
    )
    print(f"API plans (and linked files) read in {total.seconds:.3f} s of CPU")
    return total


def test_api_plans_match_labels(corpus: Path) -> None:
    total = run()
    assert total.recall >= MIN_RECALL, f"endpoint recall {total.recall:.3f} < {MIN_RECALL}"
    assert total.precision >= MIN_PRECISION, f"endpoint precision {total.precision:.3f} < {MIN_PRECISION}"
    assert total.ratio("statuses") >= MIN_STATUSES_EQUAL, f"status sets equal {total.ratio('statuses'):.3f}"
    assert total.ratio("error_codes") >= MIN_CODES_EQUAL, (
        f"error codes equal {total.ratio('error_codes'):.3f}"
    )


if __name__ == "__main__":
    run(sys.argv[1:] or None, verbose=True)
