"""Fixtures of the workspace tests."""

from __future__ import annotations

import pytest

from stage_lsp.code.index import RoutePass


@pytest.fixture
def stepped(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The route files the route pass analyses in steps (`RoutePass.step`), in order."""
    seen: list[str] = []
    real_step = RoutePass.step

    def step(self: RoutePass) -> None:
        seen.append(self.next_file() or "")
        real_step(self)

    monkeypatch.setattr(RoutePass, "step", step)
    return seen
