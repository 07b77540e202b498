"""Reuse a rule's findings between checks while everything it read is unchanged (the language server).

A rule is a pure function of its CheckContext, and most rules read a few parts of it: the DB rules read
the plan's tables and the replayed schema, the endpoint rules the plan's endpoints and the routes. The
first time a rule runs, it sees the plan and code models through `_Tracked` views that record each field
it reads (`plan.tables`, `code.routes`, ...), including the fields read by the shared analyses it asks
for through `CheckContext.memo` (their reads are charged to every rule that uses them). On the next
check, when every recorded field holds the same value (the same object, or an equal one), the rule's
previous findings are returned without running it. The context's settings, file set, change set and
configuration issues count as read by every rule.

Correctness rests on the models being immutable values (frozen dataclasses and tuples): an equal input
gives the same findings. The workspace keeps unchanged parts of the models as the same objects between
checks (the plan model across code edits, the replayed schema, routes of unchanged files), so most
comparisons are identity checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from stage_lsp.code.model import CodeModel
from stage_lsp.context import CheckContext
from stage_lsp.core.violation import Violation
from stage_lsp.plan.model import PlanModel

T = TypeVar("T")

Dep = tuple[str, str]  # ("plan" | "code", field name) or ("memo", key)
_CONTEXT_FIELDS = ("settings", "files", "changes", "config_issues")


def same(old: Any, new: Any) -> bool:
    """Identity, else equality (frozen models compare by value; tuples check element identity first)."""
    if old is new:
        return True
    try:
        return bool(old == new)
    except Exception:
        return False


Record = tuple[dict[Dep, Any], Any]  # what a shared analysis read, and its value


class _Recorder:
    """The reads of the rule running now. A shared analysis (`CheckContext.memo`) counts as one read of
    its value: its own reads are not charged to the rule, and when it yields an equal value the rules
    that use it need not run again even though what it read changed (early cut-off). A shared analysis
    whose own reads are unchanged since the last check is not computed again either: its last value is
    used (`previous`), so rules that depend on it compare by identity."""

    def __init__(
        self,
        computes: dict[str, Callable[[CheckContext], Any]],
        previous: dict[str, Record],
        models: dict[str, Any],
    ) -> None:
        self.frames: list[dict[Dep, Any]] = []
        self.computes = computes
        self.previous = previous
        self.models = models
        self.records: dict[str, Record] = {}  # this check's shared analyses

    def read(self, dep: Dep, value: Any) -> None:
        if self.frames:
            self.frames[-1].setdefault(dep, value)

    def memo(self, ctx: CheckContext, key: str, compute: Callable[[CheckContext], T]) -> T:
        store = ctx._memo
        if key not in store:
            self.computes.setdefault(key, compute)
            last = self.previous.get(key)
            if last is not None and self._still_valid(ctx, last[0]):
                store[key] = last[1]
                self.records[key] = last
            else:
                self.frames.append({})  # its reads are its own
                try:
                    store[key] = compute(ctx)
                finally:
                    deps = self.frames.pop()
                self.records[key] = (deps, store[key])
        value: T = store[key]
        self.read(("memo", key), value)
        return value

    def _still_valid(self, ctx: CheckContext, deps: dict[Dep, Any]) -> bool:
        """Does every field and shared analysis read by a shared analysis hold the very same object?

        Identity, not equality: an analysis's value refers to objects of the models (matchings pair
        endpoints with routes, and users such as the navigation links look them up by `id`), so it is
        kept only while those are the objects of this check's models."""
        nested: list[tuple[str, Any]] = []
        for (name, attr), old in deps.items():
            if name == "memo":
                nested.append((attr, old))
                continue
            model = self.models[name]
            if old is not (model if attr == "*" else getattr(model, attr, _ABSENT)):
                return False
        for key, old in nested:
            compute = self.computes.get(key)
            if compute is None:
                return False
            self.frames.append({})  # not a read of the analysis being checked
            try:
                new = self.memo(ctx, key, compute)
            finally:
                self.frames.pop()
            if old is not new:
                return False
        return True


class _Tracked:
    """A read-only view of a model that records every attribute read."""

    __slots__ = ("_name", "_obj", "_recorder")

    def __init__(self, name: str, obj: Any, recorder: _Recorder) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_recorder", recorder)

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self._obj, attr)
        self._recorder.read((self._name, attr), value)
        return value

    def __setattr__(self, attr: str, value: Any) -> None:
        raise AttributeError("the models are read-only")

    def __eq__(self, other: object) -> bool:
        self._recorder.read((self._name, "*"), self._obj)
        return bool(self._obj == (other._obj if isinstance(other, _Tracked) else other))

    def __hash__(self) -> int:
        self._recorder.read((self._name, "*"), self._obj)
        return hash(self._obj)


@dataclass
class _Entry:
    deps: dict[Dep, Any]
    context: tuple[Any, ...]
    violations: tuple[Violation, ...]


class RuleReuse:
    """Findings of each rule from earlier checks, with what the rule read (one per workspace)."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._verdicts: dict[tuple[str, int], bool] = {}
        self._computes: dict[str, Callable[[CheckContext], Any]] = {}  # memo key -> its computation
        self._recorder: _Recorder | None = None  # the last check's (its shared analyses are reused)
        self._context: tuple[Any, ...] | None = None
        self.reused = 0  # rules answered from an earlier check in the last check (for tests and logs)
        self.ran = 0

    def clear(self) -> None:
        self._entries.clear()
        self._computes.clear()
        self._recorder = None

    def context(self, ctx: CheckContext) -> CheckContext:
        """A context for this check whose plan and code record what the rules read."""
        context = tuple(getattr(ctx, f) for f in _CONTEXT_FIELDS)
        last = self._recorder
        unchanged = (
            last is not None
            and self._context is not None
            and all(same(a, b) for a, b in zip(self._context, context, strict=True))
        )
        previous = last.records if last is not None and unchanged else {}
        recorder = self._recorder = _Recorder(self._computes, previous, {"plan": ctx.plan, "code": ctx.code})
        self._context = context
        self.reused = self.ran = 0
        self._verdicts = {}  # (memo key, id of its old value) -> same, for this check
        return CheckContext(
            plan=cast(PlanModel, _Tracked("plan", ctx.plan, recorder)),
            code=cast(CodeModel, _Tracked("code", ctx.code, recorder)),
            settings=ctx.settings,
            files=ctx.files,
            changes=ctx.changes,
            config_issues=ctx.config_issues,
            _tracker=recorder,
        ).share_memo(ctx)  # one store: later users of `ctx` (navigation links) find the rules' analyses

    def run(self, code: str, tracked: CheckContext, check: Callable[[CheckContext], Any]) -> list[Violation]:
        """The rule's findings: the earlier ones when its reads are unchanged, else from running it.
        An exception propagates (nothing is remembered for the rule)."""
        plan = cast(_Tracked, tracked.plan)._obj
        code_model = cast(_Tracked, tracked.code)._obj
        context = tuple(getattr(tracked, f) for f in _CONTEXT_FIELDS)
        entry = self._entries.get(code)
        if entry is not None and self._unchanged(entry, tracked, plan, code_model, context):
            self.reused += 1
            return list(entry.violations)
        self._entries.pop(code, None)
        recorder = cast(_Recorder, tracked._tracker)
        recorder.frames.append({})
        try:
            produced = tuple(check(tracked))
        finally:
            deps = recorder.frames.pop()
        self.ran += 1
        self._entries[code] = _Entry(deps, context, produced)
        return list(produced)

    def _unchanged(
        self, entry: _Entry, tracked: CheckContext, plan: Any, code_model: Any, context: tuple[Any, ...]
    ) -> bool:
        if not all(same(a, b) for a, b in zip(entry.context, context, strict=True)):
            return False
        models = {"plan": plan, "code": code_model}
        memos: list[tuple[str, Any]] = []
        for (name, attr), old in entry.deps.items():
            if name == "memo":
                memos.append((attr, old))
                continue
            model = models[name]
            new = model if attr == "*" else getattr(model, attr, _ABSENT)
            if not same(old, new):
                return False
        for key, old in memos:  # the shared analyses last: this may compute them for the check
            verdict = self._verdicts.get((key, id(old)))  # many rules share one analysis: compare once
            if verdict is None:
                compute = self._computes.get(key)
                verdict = compute is not None and same(old, tracked.memo(key, compute))
                self._verdicts[(key, id(old))] = verdict
            if not verdict:
                return False
        return True


_ABSENT = object()
