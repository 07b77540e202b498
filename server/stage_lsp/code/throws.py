"""Errors a handler may throw, directly or from the project functions it calls (services, helpers).

A throw inside a `try` whose `catch` handles it does not escape the function; what the catch does with
it is seen through the caught value (`e.status` -> `Evaluator.caught_member`). Calls are followed through
imports and `this.service.method()` (constructor-injected services) to a bounded depth.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from stage_lsp.code.expr import Expr, Ident, Member, This
from stage_lsp.code.facts import FunctionFacts
from stage_lsp.code.values import V, VCaught, VFn
from stage_lsp.core.location import Location

if TYPE_CHECKING:
    from stage_lsp.code.evaluate import Evaluator

MAX_FOLLOW = 4


def _dotted_expr(dotted: str) -> Expr:
    parts = dotted.split(".")
    expr: Expr = This() if parts[0] == "this" else Ident(parts[0])
    for part in parts[1:]:
        expr = Member(expr, part)
    return expr


def _caught(fn: FunctionFacts, byte: int) -> bool:
    return any(t.catch is not None and t.body[0] <= byte < t.body[1] for t in fn.tries)


def function_throws(
    ev: Evaluator, fn_value: VFn, *, within: tuple[int, int] | None = None, escaping_only: bool = True
) -> Iterator[tuple[V, Location]]:
    """(thrown value, site in this function) for throws that may leave `fn_value` (or a span of it)."""
    from stage_lsp.code.evaluate import Frame  # evaluate imports this module

    fn = fn_value.fn
    module = fn_value.module
    env = fn_value.env if fn_value.env is not None else ev.module_frame(module)
    frame = Frame(module, fn, {}, env, env.depth)
    if fn_value.this is not None:
        frame.bindings["this"] = (fn_value.this,)

    def wanted(byte: int) -> bool:
        if within is not None:
            return within[0] <= byte < within[1]
        return not (escaping_only and _caught(fn, byte))

    for thrown in fn.throws:
        if not wanted(thrown.byte):
            continue
        site = Location(module.rel, thrown.rng)
        for value in ev.ev(thrown.expr, frame):
            yield value, site
    for call in fn.calls:
        if not wanted(call.byte):
            continue
        site = Location(module.rel, call.rng)
        for target in ev.ev(_dotted_expr(call.callee), frame):
            if isinstance(target, VFn):
                for value in _escaping(ev, target, set(), 1):
                    yield value, site


def _escaping(ev: Evaluator, fn_value: VFn, visiting: set[tuple[str, int]], depth: int) -> list[V]:
    """What may escape a called function (its own throws and its callees'), cached per function."""
    key = (fn_value.module.rel, fn_value.fn.fid)
    if key in visiting or depth > MAX_FOLLOW:
        return []
    memo_key = ("escaping", *key, depth)
    cached = ev.memo.get(memo_key) if fn_value.this is None else None
    if isinstance(cached, list):
        return cached
    out = [value for value, _ in _follow(ev, fn_value, visiting | {key}, depth)]
    if fn_value.this is None:
        ev.memo[memo_key] = out
    return out


def _follow(
    ev: Evaluator, fn_value: VFn, visiting: set[tuple[str, int]], depth: int
) -> Iterator[tuple[V, Location]]:
    from stage_lsp.code.evaluate import Frame

    fn = fn_value.fn
    module = fn_value.module
    env = fn_value.env if fn_value.env is not None else ev.module_frame(module)
    frame = Frame(module, fn, {}, env, env.depth)
    if fn_value.this is not None:
        frame.bindings["this"] = (fn_value.this,)
    for thrown in fn.throws:
        if not _caught(fn, thrown.byte):
            for value in ev.ev(thrown.expr, frame):
                yield value, Location(module.rel, thrown.rng)
    for call in fn.calls:
        if _caught(fn, call.byte):
            continue
        for target in ev.ev(_dotted_expr(call.callee), frame):
            if isinstance(target, VFn):
                for value in _escaping(ev, target, visiting, depth + 1):
                    yield value, Location(module.rel, call.rng)


def thrown_in_try(ev: Evaluator, caught: VCaught) -> Iterator[tuple[V, Location]]:
    """What the try block matching a catch may throw."""
    if caught.index >= len(caught.fn.tries):
        return
    body = caught.fn.tries[caught.index].body
    env = caught.env.parent
    yield from function_throws(ev, VFn(caught.module, caught.fn, env), within=body)
