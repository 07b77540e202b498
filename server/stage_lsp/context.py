"""What a rule sees: the project's plan model, code model, settings and files. Read-only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from stage_lsp.code.model import CodeModel
from stage_lsp.config.discovery import FileSet
from stage_lsp.config.settings import Settings
from stage_lsp.core.issue import ReaderIssue
from stage_lsp.plan.model import PlanModel

T = TypeVar("T")


@dataclass(frozen=True)
class ChangeSet:
    """PR mode (`--since REF`): what changed between the merge base with REF and the working tree."""

    ref: str  # as given
    base: str  # the merge-base commit
    changed: frozenset[str]  # files relative to the root, changed, added or untracked (deleted ones too)
    old_plan: PlanModel | None = None  # the plans as they were at `base`, read by the same readers
    old_plan_files: frozenset[str] = frozenset()  # which of today's plan files existed at `base`

    def touches(self, rel: str) -> bool:
        return rel in self.changed


@dataclass(frozen=True)
class CheckContext:
    plan: PlanModel
    code: CodeModel
    settings: Settings
    files: FileSet
    changes: ChangeSet | None = None  # set in PR mode only (`--since`)
    config_issues: tuple[ReaderIssue, ...] = ()  # configuration problems (SL902), language server only
    # Not an __init__ argument, so `dataclasses.replace` (other models: another check) starts an empty
    # memo instead of sharing analyses of the old models; `share_memo` shares it on purpose.
    _memo: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)
    # engine.reuse: records what each rule reads, memo computations included (language server only)
    _tracker: Any = field(default=None, compare=False, repr=False)

    def share_memo(self, other: CheckContext) -> CheckContext:
        """This context, using `other`'s memo from now on (a view of the same check: engine.reuse's
        tracked context, whose analyses later users of `other` should find). Returns self."""
        object.__setattr__(self, "_memo", other._memo)
        return self

    def memo(self, key: str, compute: Callable[[CheckContext], T]) -> T:
        """Derived analyses shared by several rules (endpoint matching, ...), computed once per check."""
        if self._tracker is not None:
            tracked: T = self._tracker.memo(self, key, compute)
            return tracked
        if key not in self._memo:
            self._memo[key] = compute(self)
        value: T = self._memo[key]
        return value
