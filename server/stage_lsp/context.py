"""What a rule sees: the project's plan model, code model, settings and files. Read-only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from stage_lsp.code.model import CodeModel
from stage_lsp.config.discovery import FileSet
from stage_lsp.config.settings import Settings
from stage_lsp.plan.model import PlanModel

T = TypeVar("T")


@dataclass(frozen=True)
class CheckContext:
    plan: PlanModel
    code: CodeModel
    settings: Settings
    files: FileSet
    _memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key: str, compute: Callable[[CheckContext], T]) -> T:
        """Derived analyses shared by several rules (endpoint matching, ...), computed once per check."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        value: T = self._memo[key]
        return value
