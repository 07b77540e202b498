"""What one handler returns: statuses, error codes and response fields, with completeness.

Every returned value (and, for Express-style handlers, every `res.status(n).json(...)` statement) is
evaluated across files. A status is located at its literal when the literal is in the handler, else at
the handler's expression that produced it (`return jsonResponse(deck)` for a helper's default 200).
Error classes carrying a status that the handler or a service it calls may throw add their status at
the throw or the call. Anything not resolved makes the corresponding set incomplete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stage_lsp.code.evaluate import Evaluator, Frame
from stage_lsp.code.expr import TypeExpr
from stage_lsp.code.facts import ModuleFacts
from stage_lsp.code.fields import Fields, TypeFields
from stage_lsp.code.model import CodeErrorCode, CodeField, CodeStatus, FieldSet, Insertion
from stage_lsp.code.throws import function_throws
from stage_lsp.code.values import (
    UNDEFINED,
    V,
    Vals,
    VArr,
    VErr,
    VFn,
    VInst,
    VLit,
    VNum,
    VObj,
    VResp,
    VStr,
    VTyped,
    VUnknown,
)
from stage_lsp.core.location import Location, Range

_CODE_KEYS = frozenset({"code", "error_code", "errorCode", "errCode", "error_type", "errorType"})
_LOOSE_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9]*([_.:-][A-Za-z0-9]+)*$")
_STRICT_CODE = re.compile(r"^([A-Z][A-Z0-9]*(_[A-Z0-9]+)+|[A-Z]{3,}|[a-z][a-z0-9]*(_[a-z0-9]+)+)$")


@dataclass
class HandlerResult:
    statuses: list[CodeStatus] = field(default_factory=list)
    statuses_complete: bool = True
    error_codes: list[CodeErrorCode] = field(default_factory=list)
    error_codes_complete: bool = True
    response: Fields | None = None
    only_405: bool = False
    unresolved: list[str] = field(default_factory=list)  # why the statuses are incomplete

    def gap(self, why: str) -> None:
        self.statuses_complete = False
        if why not in self.unresolved and len(self.unresolved) < 8:
            self.unresolved.append(why)


@dataclass
class _Ctx:
    ev: Evaluator
    file: str
    span_rng: Range
    types: TypeFields
    result: HandlerResult
    success_bodies: list[tuple[Vals, tuple[tuple[TypeExpr, ModuleFacts], ...]]] = field(default_factory=list)

    def here(self, loc: Location | None, site: Location) -> Location:
        """`loc` when it lies in the handler, else the handler-level `site`."""
        if loc is not None and loc.file == self.file:
            r = self.span_rng
            if (r.line, r.col) <= (loc.range.line, loc.range.col) and (
                loc.range.end_line,
                loc.range.end_col,
            ) <= (
                r.end_line,
                r.end_col,
            ):
                return loc
        return site


def analyze_handler(
    ev: Evaluator,
    handler: VFn,
    types: TypeFields,
    *,
    data_handler: bool = False,
    default_status: int = 200,
    declared_status: Vals = (),
    throws_from: VFn | None = None,
) -> HandlerResult:
    """Statuses, error codes and response fields of `handler` (evaluated with its parameters unbound).

    `data_handler`: returns are bodies (Nest, FastAPI), answered with `declared_status` or
    `default_status`. `throws_from`: the user's function when `handler` is a wrapper around it.
    """
    result = HandlerResult()
    fn = handler.fn
    ctx = _Ctx(ev, handler.module.rel, fn.rng, types, result)
    env = handler.env if handler.env is not None else ev.module_frame(handler.module)
    frame = Frame(handler.module, fn, {}, env, env.depth)
    if handler.this is not None:
        frame.bindings["this"] = (handler.this,)
    for i, ret in enumerate(fn.returns):
        rng = fn.return_ranges[i] if i < len(fn.return_ranges) else fn.rng
        site = Location(handler.module.rel, rng)
        values = ev.ev(ret, ev.narrowed(frame, fn, i))
        if not data_handler and any(isinstance(v, VResp) for v in values):
            # `if (auth instanceof Response) return auth;`: the handler's type only lets responses
            # through, so the other (known) alternatives are narrowed away
            values = tuple(v for v in values if isinstance(v, VResp | VUnknown))
        if not values:
            result.gap(f"{site.file}:{site.range.line + 1}: returns nothing that could be followed")
        for value in values:
            _returned(ctx, value, site, data_handler, default_status, declared_status)
    for effect in fn.effects:
        for value in ev.ev(effect, frame):
            if isinstance(value, VResp):
                _response(ctx, value, value.site or Location(handler.module.rel, fn.rng))
    if data_handler and not fn.returns:
        _success(
            ctx,
            _declared(declared_status, default_status),
            Location(handler.module.rel, fn.rng),
            (UNDEFINED,),
        )
    for value, site in function_throws(ev, throws_from or handler):
        _thrown(ctx, value, site)
    codes = {s.code for s in result.statuses}
    result.only_405 = codes == {405}
    result.response = _response_fields(ctx)
    return result


def _declared(declared: Vals, default: int) -> Vals:
    return declared or (VNum(default, None),)


def _returned(ctx: _Ctx, value: V, site: Location, data: bool, default: int, declared: Vals) -> None:
    if isinstance(value, VResp):
        _response(ctx, value, site)
    elif isinstance(value, VLit) and value.value == "undefined" and not data:
        return  # a bare `return;` (after an effect, or unreachable)
    elif data:
        if isinstance(value, VUnknown) and value.reason.startswith("call to"):
            ctx.result.error_codes_complete = False
        _success(ctx, _declared(declared, default), site, (value,))
    else:
        ctx.result.gap(_why(value, site))
        ctx.result.error_codes_complete = False


def _why(value: V, site: Location) -> str:
    where = f"{site.file}:{site.range.line + 1}"
    if isinstance(value, VUnknown):
        return f"{where}: {value.reason}"
    return f"{where}: returns {type(value).__name__[1:].lower()} that is not a response"


def _status_codes(ctx: _Ctx, statuses: Vals, site: Location) -> list[tuple[int, Location]]:
    out: list[tuple[int, Location]] = []
    for s in statuses:
        if isinstance(s, VNum) and 100 <= s.value <= 599:
            out.append((s.value, ctx.here(s.loc, site)))
        else:
            ctx.result.gap(
                _why(s, site)
                if isinstance(s, VUnknown)
                else f"{site.file}:{site.range.line + 1}: status not a number"
            )
    return out


def _add_status(ctx: _Ctx, code: int, loc: Location) -> None:
    if not any(s.code == code and s.location == loc for s in ctx.result.statuses):
        ctx.result.statuses.append(CodeStatus(code, loc))


def _response(ctx: _Ctx, resp: VResp, site: Location) -> None:
    codes = _status_codes(ctx, resp.status_values, site)
    for code, loc in codes:
        _add_status(ctx, code, loc)
    if not codes:
        ctx.result.error_codes_complete = False
    errors = [c for c, _ in codes if c >= 400]
    status = errors[0] if len(errors) == 1 and len(codes) == 1 else None
    if errors or not codes:
        _codes_in(ctx, resp.body, status, site, 0)
    if any(200 <= c < 300 for c, _ in codes):
        ctx.success_bodies.append((resp.body, tuple(resp.type_args)))


def _success(ctx: _Ctx, statuses: Vals, site: Location, body: Vals) -> None:
    for code, loc in _status_codes(ctx, statuses, site):
        _add_status(ctx, code, loc)
    ctx.success_bodies.append((body, ()))


def _thrown(ctx: _Ctx, value: V, site: Location) -> None:
    ev = ctx.ev
    statuses = ev.error_statuses(value)
    if not statuses:
        return
    codes = _status_codes(ctx, statuses, site)
    for code, _ in codes:
        _add_status(ctx, code, site)
    status = codes[0][0] if len(codes) == 1 else None
    if isinstance(value, VErr):
        _codes_in(ctx, value.body, status, site, 0)
    elif isinstance(value, VInst):
        for prop in ("code", "errorCode", "error_code"):
            for v in ev.instance_member(value, prop):
                if isinstance(v, VStr) and _LOOSE_CODE.match(v.value):
                    _add_code(ctx, v.value, status, ctx.here(v.loc, site))


def _add_code(ctx: _Ctx, code: str, status: int | None, loc: Location) -> None:
    if not any(c.code == code and c.status == status and c.location == loc for c in ctx.result.error_codes):
        ctx.result.error_codes.append(CodeErrorCode(code, loc, status))


def _codes_in(ctx: _Ctx, body: Vals, status: int | None, site: Location, depth: int) -> None:
    if depth > 3:
        return
    for value in body:
        if isinstance(value, VObj):
            for entry in value.entries:
                if entry.key is None:
                    _codes_in(ctx, entry.values, status, site, depth + 1)
                elif entry.key in _CODE_KEYS:
                    for v in entry.values:
                        if isinstance(v, VStr) and _LOOSE_CODE.match(v.value):
                            _add_code(ctx, v.value, status, ctx.here(v.loc, site))
                        elif isinstance(v, VUnknown | VTyped):
                            ctx.result.error_codes_complete = False
                elif entry.key == "error":
                    for v in entry.values:
                        if isinstance(v, VStr) and _STRICT_CODE.match(v.value):
                            _add_code(ctx, v.value, status, ctx.here(v.loc, site))
                        elif isinstance(v, VObj):
                            _codes_in(ctx, (v,), status, site, depth + 1)
                        elif isinstance(v, VUnknown | VTyped):
                            ctx.result.error_codes_complete = False
        elif isinstance(value, VUnknown | VTyped | VInst):
            ctx.result.error_codes_complete = False


def _response_fields(ctx: _Ctx) -> Fields | None:
    if not ctx.success_bodies:
        return None
    out = Fields([], True)
    any_json = False
    inserts: set[Insertion | None] = set()  # where each body would take a new field
    for body, type_args in ctx.success_bodies:
        if type_args:
            t, module = type_args[0]
            got = ctx.types.of(t, module)
            out.fields.extend(got.fields)
            out.complete = out.complete and got.complete
            out.source = out.source or got.source
            inserts.add(got.insert)
            any_json = True
            continue
        for value in body:
            got_fields = _value_fields(ctx, value, 0)
            if got_fields is None:
                continue
            any_json = True
            out.fields.extend(got_fields.fields)
            out.complete = out.complete and got_fields.complete
            out.source = out.source or got_fields.source
            inserts.add(got_fields.insert if isinstance(value, VTyped) else None)
    if len(inserts) == 1:  # every body is one declared type: a field added there is in every answer
        out.insert = inserts.pop()
    return out if any_json else None


def _value_fields(ctx: _Ctx, value: V, depth: int) -> Fields | None:
    """Top-level keys of a JSON body; None for no body / a text body."""
    if isinstance(value, VObj):
        out = Fields([], True, value.loc)
        for entry in value.entries:
            if entry.key is not None:
                out.fields.append(
                    CodeField(
                        entry.key,
                        entry.loc or value.loc or Location("", Range(0, 0, 0, 0)),
                        kind=("literal-shorthand" if entry.shorthand else "literal") if entry.loc else "",
                    )
                )
                continue
            for spread in entry.values:
                inner = _value_fields(ctx, spread, depth + 1) if depth < 4 else None
                if inner is None or isinstance(spread, VLit):
                    if not isinstance(spread, VLit):
                        out.complete = False
                    continue
                out.fields.extend(inner.fields)
                out.complete = out.complete and inner.complete
        return out
    if isinstance(value, VTyped):
        return ctx.types.of(value.type, value.module)
    if isinstance(value, VArr):
        for item in value.items:
            for v in item:
                return _value_fields(ctx, v, depth + 1)
        return Fields([], False)
    if isinstance(value, VLit | VStr | VNum):
        return None
    if isinstance(value, VFn):
        return None
    return Fields([], False)


__all__ = ["FieldSet", "HandlerResult", "analyze_handler"]
