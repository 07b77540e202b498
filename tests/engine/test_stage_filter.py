"""`--stage N`: stage N is current and only findings about its items (or unstaged ones) are kept."""

from __future__ import annotations

from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Severity, Violation
from stage_lsp.engine.run import in_stage


def finding(*entity: str) -> Violation:
    return Violation(
        "SL101", "x", Severity.WARNING, "m", Location("a", Range(0, 0, 0, 0)), "1:0", entity=entity
    )


def test_in_stage() -> None:
    stages = {"GET /api/a": 1, "POST /api/b": 2, "decks": 2}
    assert in_stage(finding("GET /api/a"), stages, 1)
    assert not in_stage(finding("GET /api/a"), stages, 2)
    assert in_stage(finding("decks", "user_id"), stages, 2)
    assert in_stage(finding("src/lib/x.ts", "abcd1234"), stages, 2)  # not a staged item
    assert in_stage(finding("PUT /api/x", "POST /api/b"), stages, 2)
