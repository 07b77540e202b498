"""The pure fix applier: atomic fixes, overlaps, bottom-up application, never overwriting, diffs."""

from __future__ import annotations

from stage_lsp.core.violation import Applicability, CreateFile
from stage_lsp.engine.fixes import FixPlan, plan_fixes, unified_diff, wanted
from tests.findings import at, finding, replace


class Files:
    """In-memory FileAccess: texts by path, and paths refused outright."""

    def __init__(self, texts: dict[str, str], refused: dict[str, str] | None = None) -> None:
        self.texts = texts
        self.refused = refused or {}

    def read(self, rel: str) -> str | None:
        return self.texts.get(rel)

    def problem(self, rel: str) -> str | None:
        return self.refused.get(rel)


SRC = "const a = 1;\nconst b = 2;\nconst c = 3;\n"


def apply(plan: FixPlan, rel: str = "a.ts") -> str:
    return next(c.after for c in plan.changes if c.file == rel)


def test_edits_apply_bottom_up_so_earlier_positions_stay_valid() -> None:
    v1 = finding("SL101", "one", at("a.ts", 0), edits=(replace("a.ts", 0, 6, 0, 7, "alpha"),))
    v2 = finding("SL102", "two", at("a.ts", 2), edits=(replace("a.ts", 2, 6, 2, 7, "gamma"),))
    plan = plan_fixes([v2, v1], Files({"a.ts": SRC}))
    assert apply(plan) == "const alpha = 1;\nconst b = 2;\nconst gamma = 3;\n"
    assert [v.message for v in plan.applied] == ["one", "two"]
    assert plan.skipped == ()


def test_multi_line_edit_and_code_point_columns() -> None:
    text = "naïve = 1;\nłódź = 2;\n"
    v = finding(edits=(replace("a.ts", 0, 3, 1, 3, "VE\nŁÓ"),))
    assert apply(plan_fixes([v], Files({"a.ts": text}))) == "naïVE\nŁÓź = 2;\n"


def test_overlapping_fixes_keep_the_earlier_and_say_why() -> None:
    first = finding("SL101", "first", at("a.ts", 0, 0), edits=(replace("a.ts", 0, 0, 0, 10, "X"),))
    later = finding("SL102", "later", at("a.ts", 0, 6), edits=(replace("a.ts", 0, 6, 0, 12, "Y"),))
    plan = plan_fixes([later, first], Files({"a.ts": SRC}))
    assert apply(plan).startswith("X1;\nconst b")
    assert [s.violation.message for s in plan.skipped] == ["later"]
    assert "overlaps an earlier fix" in plan.skipped[0].reason


def test_adjacent_edits_and_insertions_at_one_point_apply_together_in_order() -> None:
    left = finding("SL101", "l", at("a.ts", 0, 0), edits=(replace("a.ts", 0, 0, 0, 5, "let"),))
    right = finding("SL102", "r", at("a.ts", 0, 5), edits=(replace("a.ts", 0, 5, 0, 5, "!"),))
    plan = plan_fixes([left, right], Files({"a.ts": SRC}))
    assert apply(plan).startswith("let! a = 1;")
    ins1 = finding("SL101", "i1", at("a.ts", 1), edits=(replace("a.ts", 1, 0, 1, 0, "// 1\n"),))
    ins2 = finding("SL102", "i2", at("a.ts", 1), edits=(replace("a.ts", 1, 0, 1, 0, "// 2\n"),))
    ins3 = finding("SL103", "i3", at("a.ts", 1), edits=(replace("a.ts", 1, 0, 1, 0, "// 3\n"),))
    plan = plan_fixes([ins3, ins2, ins1], Files({"a.ts": SRC}))
    assert apply(plan) == "const a = 1;\n// 1\n// 2\n// 3\nconst b = 2;\nconst c = 3;\n"
    assert [v.message for v in plan.applied] == ["i1", "i2", "i3"] and plan.skipped == ()


def test_an_insertion_where_another_fix_replaces_text_conflicts() -> None:
    swap = finding("SL101", "swap", at("a.ts", 1), edits=(replace("a.ts", 1, 0, 1, 5, "let"),))
    ins = finding("SL102", "ins", at("a.ts", 1), edits=(replace("a.ts", 1, 0, 1, 0, "// x\n"),))
    plan = plan_fixes([swap, ins], Files({"a.ts": SRC}))
    assert apply(plan) == "const a = 1;\nlet b = 2;\nconst c = 3;\n"
    assert [s.violation.message for s in plan.skipped] == ["ins"]
    assert "overlaps an earlier fix" in plan.skipped[0].reason


def test_identical_edits_from_two_findings_apply_once() -> None:
    edit = replace("a.ts", 0, 0, 0, 0, "import x from 'x';\n")
    plan = plan_fixes(
        [finding("SL101", "a", edits=(edit,)), finding("SL102", "b", edits=(edit,))], Files({"a.ts": SRC})
    )
    assert apply(plan) == "import x from 'x';\n" + SRC
    assert len(plan.applied) == 2 and not plan.skipped


def test_a_fix_is_atomic_when_one_of_its_edits_cannot_apply() -> None:
    good = replace("a.ts", 0, 0, 0, 5, "let")
    outside = replace("a.ts", 9, 0, 9, 1, "?")
    plan = plan_fixes([finding(edits=(good, outside))], Files({"a.ts": SRC}))
    assert plan.changes == ()
    assert "outside the file" in plan.skipped[0].reason
    self_overlap = finding(edits=(replace("a.ts", 0, 0, 0, 5, "x"), replace("a.ts", 0, 3, 0, 8, "y")))
    plan = plan_fixes([self_overlap], Files({"a.ts": SRC}))
    assert plan.changes == () and "two edits of this fix overlap" in plan.skipped[0].reason


def test_create_file_never_overwrites_and_is_not_created_twice() -> None:
    exists = finding("SL101", "exists", edits=(CreateFile("a.ts", "new"),))
    fresh = finding("SL102", "fresh", edits=(CreateFile("src/new.ts", "export {};\n"),))
    clash = finding("SL103", "clash", edits=(CreateFile("src/new.ts", "other"),))
    same = finding("SL104", "same", edits=(CreateFile("src/new.ts", "export {};\n"),))
    plan = plan_fixes([exists, fresh, clash, same], Files({"a.ts": SRC}))
    assert [(c.file, c.before, c.after) for c in plan.changes] == [("src/new.ts", None, "export {};\n")]
    reasons = {s.violation.message: s.reason for s in plan.skipped}
    assert set(reasons) == {"exists", "clash"}
    assert "never overwritten" in reasons["exists"]
    assert "created by another fix" in reasons["clash"]
    edit_new = finding("SL105", "edit new", edits=(replace("src/new.ts", 0, 0, 0, 0, "x"),))
    plan = plan_fixes([fresh, edit_new], Files({}))
    assert "created by a fix" in plan.skipped[0].reason


def test_refused_paths_missing_files_and_bad_ranges_are_skipped() -> None:
    files = Files({"a.ts": SRC}, refused={"../etc/passwd": "`../etc/passwd` is outside the project root"})
    out = finding("SL101", "out", edits=(CreateFile("../etc/passwd", "x"),))
    missing = finding("SL102", "missing", edits=(replace("gone.ts", 0, 0, 0, 1, "x"),))
    inverted = finding("SL103", "inverted", edits=(replace("a.ts", 1, 5, 1, 2, "x"),))
    beyond = finding("SL104", "beyond", edits=(replace("a.ts", 0, 0, 0, 40, "x"),))
    plan = plan_fixes([out, missing, inverted, beyond], files)
    assert plan.changes == ()
    reasons = {s.violation.message: s.reason for s in plan.skipped}
    assert "outside the project root" in reasons["out"]
    assert "does not exist" in reasons["missing"]
    assert "inverted" in reasons["inverted"]
    assert "outside the file" in reasons["beyond"]


def test_applicability_decides_what_applies() -> None:
    unsafe = finding(
        "SL101", "u", edits=(replace("a.ts", 0, 0, 0, 5, "let"),), applicability=Applicability.UNSAFE
    )
    shown = finding(
        "SL102", "d", edits=(replace("a.ts", 1, 0, 1, 5, "let"),), applicability=Applicability.DISPLAY_ONLY
    )
    plan = plan_fixes([unsafe, shown], Files({"a.ts": SRC}))
    assert plan.changes == ()
    assert [s.violation.message for s in plan.skipped] == ["u"] and "--unsafe-fixes" in plan.skipped[0].reason
    plan = plan_fixes([unsafe, shown], Files({"a.ts": SRC}), unsafe=True)
    assert apply(plan) == "let a = 1;\nconst b = 2;\nconst c = 3;\n"
    assert not wanted(shown.fix, unsafe=True) and not wanted(None, unsafe=True)


def test_unified_diff_of_an_edit_and_a_new_file() -> None:
    edit = finding("SL101", "e", edits=(replace("a.ts", 1, 6, 1, 7, "beta"),))
    new = finding("SL102", "n", edits=(CreateFile("b.ts", "x"),))
    diff = unified_diff(plan_fixes([edit, new], Files({"a.ts": SRC})).changes)
    assert diff == (
        "--- a/a.ts\n+++ b/a.ts\n@@ -1,3 +1,3 @@\n const a = 1;\n-const b = 2;\n+const beta = 2;\n const c = 3;\n"
        "--- /dev/null\n+++ b/b.ts\n@@ -0,0 +1 @@\n+x\n\\ No newline at end of file\n"
    )
