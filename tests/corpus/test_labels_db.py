"""The db-plan reader against the hand-made labels of the 24 corpus projects.

Each project is read through a Workspace with `db-plans` set to the label's `db_plan` (the files it links
are read too); tables are matched with the label's by name (lower case; `auth.users` keeps its schema;
rejected tables are not tables). Printed per project and in total:

- table recall and precision by name;
- `rls` equal, over matched tables;
- policy command sets equal, over the tables with labelled policies (a missing table counts as unequal);
- index column-list sets equal, over the tables with labelled indexes (likewise);
- column names equal, over matched tables (printed only).

Label corrections (`label-corrections.json`, key "tables": project, table, field, value, plan file, line,
reason) are applied and printed. Run `python -m tests.corpus.test_labels_db [PROJECT...]` to see the
differences table by table.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from stage_lsp.config.settings import Settings
from stage_lsp.plan.model import PlanTable
from stage_lsp.workspace import Workspace
from tests.conftest import corpus_dir

pytestmark = pytest.mark.corpus

CORRECTIONS = Path(__file__).with_name("label-corrections.json")
MIN_RECALL = 0.95
MIN_PRECISION = 0.95
MIN_RLS_EQUAL = 0.90
MIN_POLICIES_EQUAL = 0.90
MIN_INDEXES_EQUAL = 0.85


@dataclass
class Score:
    labelled: int = 0
    read: int = 0
    matched: int = 0
    rls_equal: int = 0
    policy_tables: int = 0
    policies_equal: int = 0
    index_tables: int = 0
    indexes_equal: int = 0
    columns_equal: int = 0  # printed, not gated: column names equal over matched tables
    diffs: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in (
            "labelled",
            "read",
            "matched",
            "rls_equal",
            "policy_tables",
            "policies_equal",
            "index_tables",
            "indexes_equal",
            "columns_equal",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def share(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    def line(self, name: str) -> str:
        return (
            f"{name:40} tables {self.matched:3}/{self.labelled:<3} read {self.read:<3} "
            f"recall {self.share(self.matched, self.labelled):.3f} "
            f"precision {self.share(self.matched, self.read):.3f} "
            f"rls {self.rls_equal}/{self.matched} "
            f"policies {self.policies_equal}/{self.policy_tables} "
            f"indexes {self.indexes_equal}/{self.index_tables} "
            f"columns {self.columns_equal}/{self.matched}"
        )


def load_corrections() -> list[dict[str, Any]]:
    if not CORRECTIONS.is_file():
        return []
    data = json.loads(CORRECTIONS.read_text(encoding="utf-8"))
    tables = data.get("tables", [])
    return tables if isinstance(tables, list) else []


def apply_corrections(
    project: str, labels: list[dict[str, Any]], corrections: list[dict[str, Any]]
) -> list[str]:
    applied: list[str] = []
    for c in corrections:
        if c.get("project") != project:
            continue
        for table in labels:
            if table.get("name") == c.get("table"):
                table[str(c["field"])] = c["value"]
                applied.append(
                    f"{project}: {c['table']}.{c['field']} = {c['value']!r} ({c.get('reason', '')})"
                )
    return applied


def _commands(policies: list[dict[str, Any]]) -> set[str]:
    return {str(p["command"]) for p in policies}


def _index_sets(indexes: list[list[str]]) -> set[tuple[str, ...]]:
    return {tuple(c.lower() for c in columns) for columns in indexes}


def read_tables(corpus: Path, project: str, db_plan: str) -> dict[str, PlanTable]:
    root = corpus / "docs" / project
    ws = Workspace(root, Settings(db_plans=[db_plan]))
    return {t.name: t for t in ws.plan().tables if not t.rejected}


def score_project(corpus: Path, project: str, corrections: list[dict[str, Any]]) -> tuple[Score, list[str]]:
    label = json.loads((corpus / "labels" / f"{project}.json").read_text(encoding="utf-8"))
    wanted = {str(t["name"]): t for t in label.get("tables", [])}
    applied = apply_corrections(project, list(wanted.values()), corrections)
    got = read_tables(corpus, project, str(label["db_plan"]))
    score = Score(labelled=len(wanted), read=len(got))
    matched = set(wanted) & set(got)
    score.matched = len(matched)
    for name in sorted(set(wanted) - matched):
        score.diffs.append(f"missing table {name}")
    for name in sorted(set(got) - matched):
        score.diffs.append(f"extra table {name} (line {got[name].location.range.line + 1})")
    for name, want in sorted(wanted.items()):
        table = got.get(name)
        if table is not None:
            if {c.name for c in table.columns} == {str(c).lower() for c in want.get("columns", [])}:
                score.columns_equal += 1
            else:
                score.diffs.append(f"{name}: columns differ")
            if table.rls == want.get("rls"):
                score.rls_equal += 1
            else:
                score.diffs.append(f"{name}: rls {table.rls}, label {want.get('rls')}")
        if want.get("policies"):
            score.policy_tables += 1
            read = {p.command for p in table.policies} if table else set()
            if read == _commands(want["policies"]):
                score.policies_equal += 1
            else:
                score.diffs.append(
                    f"{name}: policies {sorted(read)}, label {sorted(_commands(want['policies']))}"
                )
        if want.get("indexes"):
            score.index_tables += 1
            indexes = {i.columns for i in table.indexes} if table else set()
            if indexes == _index_sets(want["indexes"]):
                score.indexes_equal += 1
            else:
                score.diffs.append(
                    f"{name}: indexes {sorted(indexes)}, label {sorted(_index_sets(want['indexes']))}"
                )
    return score, applied


def projects(corpus: Path) -> list[str]:
    return sorted(p.stem for p in (corpus / "labels").glob("*.json"))


def run(corpus: Path, only: list[str] | None = None, *, verbose: bool = False) -> Score:
    total = Score()
    corrections = load_corrections()
    for project in projects(corpus):
        if only and not any(o in project for o in only):
            continue
        score, applied = score_project(corpus, project, corrections)
        total.add(score)
        print(score.line(project))
        for note in applied:
            print(f"    corrected: {note}")
        if verbose:
            for diff in score.diffs:
                print(f"    {diff}")
    print(total.line("TOTAL"))
    return total


def test_db_plan_tables_match_the_labels(corpus: Path) -> None:
    total = run(corpus)
    share = Score.share
    assert share(total.matched, total.labelled) >= MIN_RECALL
    assert share(total.matched, total.read) >= MIN_PRECISION
    assert share(total.rls_equal, total.matched) >= MIN_RLS_EQUAL
    assert share(total.policies_equal, total.policy_tables) >= MIN_POLICIES_EQUAL
    assert share(total.indexes_equal, total.index_tables) >= MIN_INDEXES_EQUAL


if __name__ == "__main__":
    found = corpus_dir()
    if found is None:
        sys.exit("corpus not found: set STAGE_LSP_CORPUS")
    run(found, sys.argv[1:], verbose=True)
