from __future__ import annotations

from pathlib import Path

from stage_lsp.core.fingerprint import fingerprint
from tests.conftest import run_cli


def test_fingerprint_depends_on_code_entities_and_discriminator() -> None:
    a = fingerprint("SL101", ("GET /api/x",))
    assert a == fingerprint("SL101", ("GET /api/x",))
    assert a != fingerprint("SL102", ("GET /api/x",))
    assert a != fingerprint("SL101", ("GET /api/y",))
    assert a != fingerprint("SL101", ("GET /api/x",), "status:201")
    assert a.startswith("1:")


PLAN = "# API\n\n#### GET /api/decks\n\n#### DELETE /api/decks/{id}\n"
ROUTE = "export const GET = async () => new Response(null);\nexport const POST = async () => new Response(null);\n"


def _fingerprints(root: Path) -> dict[str, tuple[str, int]]:
    result = run_cli("check", str(root), "--output-format", "json")
    assert result.code == 1, result.err
    doc = result.json()
    assert isinstance(doc, dict)
    return {d["fingerprint"]: (d["code"], d["line"]) for d in doc["diagnostics"]}


def test_fingerprints_survive_a_line_shift(make_project) -> None:  # type: ignore[no-untyped-def]
    root = make_project({".ai/api-plan.md": PLAN, "src/pages/api/decks/index.ts": ROUTE})
    before = _fingerprints(root)
    assert sorted(code for code, _ in before.values()) == ["SL101", "SL102"]
    (root / ".ai/api-plan.md").write_text("# API\n\nIntro.\n\nMore intro.\n" + PLAN[6:], encoding="utf-8")
    (root / "src/pages/api/decks/index.ts").write_text("// header\n\n" + ROUTE, encoding="utf-8")
    after = _fingerprints(root)
    assert set(after) == set(before)
    assert all(after[f][1] != before[f][1] for f in before)  # every line moved, no fingerprint changed
