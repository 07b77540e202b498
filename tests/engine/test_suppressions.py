"""Inline suppressions in every file kind, and SL901 for unused ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from stage_lsp.core.source import SourceFile
from stage_lsp.engine.suppressions import find_suppressions
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
Make = Callable[[dict[str, str]], Path]


def test_comment_syntaxes_and_targets() -> None:
    md = SourceFile.from_text(
        "a.md", "# API\n\n<!-- stage-lsp: ignore[SL101] planned for later -->\n\n#### GET /api/x\n"
    )
    (s,) = find_suppressions(md)
    assert s.codes == ("SL101",) and s.target_line == 4 and s.reason == "planned for later"
    assert (s.location.range.line, s.location.range.col) == (2, 0)
    ts = SourceFile.from_text("a.ts", "export const GET = 1; // stage-lsp: ignore[sl102, SL2]\n")
    (t,) = find_suppressions(ts)
    assert t.codes == ("SL102", "SL2") and t.target_line == 0
    sql = SourceFile.from_text(
        "a.sql", "-- stage-lsp: ignore-file[SL5] dev database only\ncreate table x ();\n"
    )
    (f,) = find_suppressions(sql)
    assert f.file_wide and f.codes == ("SL5",)
    assert find_suppressions(SourceFile.from_text("a.ts", "// stage-lsp: ignore[E501]\n")) == []
    assert find_suppressions(SourceFile.from_text("a.ts", "// stage-lsp ignore[SL101]\n")) == []


PLAN = "# API\n\n#### GET /api/decks\n\n#### DELETE /api/decks/{id}\n"
ROUTE = (
    "export const GET = async () => new Response('[]');\nexport const POST = async () => new Response('');\n"
)


def _codes(cli: Cli, root: Path) -> list[tuple[str, str, int]]:
    doc = cli("--check", str(root), "--output-format", "json").json()
    assert isinstance(doc, dict)
    return [(d["code"], d["file"], d["line"]) for d in doc["diagnostics"]]


def test_suppressions_end_to_end(cli: Cli, make_project: Make) -> None:
    root = make_project({".ai/api-plan.md": PLAN, "src/pages/api/decks.ts": ROUTE})
    assert [c for c, _, _ in _codes(cli, root)] == ["SL101", "SL102"]
    plan = PLAN.replace("#### DELETE", "<!-- stage-lsp: ignore[SL101] stage 3 -->\n#### DELETE")
    route = ROUTE.replace("export const POST", "// stage-lsp: ignore[SL1] legacy endpoint\nexport const POST")
    (root / ".ai/api-plan.md").write_text(plan)
    (root / "src/pages/api/decks.ts").write_text(route)
    assert _codes(cli, root) == []
    (root / "src/pages/api/decks.ts").write_text("// stage-lsp: ignore[SL102]\n" + route)
    assert _codes(cli, root) == [("SL901", "src/pages/api/decks.ts", 1)]
    assert (
        cli("--check", str(root), "--ignore", "SL102").code == 0
    )  # suppressions of unselected codes are not "unused"
