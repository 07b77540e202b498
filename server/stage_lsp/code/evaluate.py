"""Evaluate expression summaries across files: what a handler returns, through helpers and constants.

A small abstract interpreter over `code.expr`: identifiers resolve through parameters bound at a call,
function locals, closures, module constants and imports (`code.project`); calls to project functions are
followed (bounded depth) with their parameters bound, so `errorResponse(404, "NOT_FOUND", msg)` yields
the response `jsonResponse({error: {code, message}}, status)` builds. Framework and runtime calls
(`new Response`, `NextResponse.json`, `c.json`, `res.status().json()`, zod, Nest and FastAPI exceptions)
are modelled in `code.builtins`. Whatever is not understood becomes `VUnknown`; nothing raises.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from stage_lsp.code import builtins
from stage_lsp.code.expr import (
    Alt,
    Arr,
    As,
    Call,
    Caught,
    Expr,
    FnRef,
    Ident,
    Index,
    Lit,
    Member,
    New,
    Num,
    Obj,
    Str,
    This,
    TKeyword,
    TRef,
    TUnion,
    TypeExpr,
    Unknown,
)
from stage_lsp.code.facts import FunctionFacts, Guard, ModuleFacts
from stage_lsp.code.model import Insertion
from stage_lsp.code.project import Project, Symbol
from stage_lsp.code.values import (
    UNDEFINED,
    Args,
    Budget,
    Lazy,
    V,
    Vals,
    VArr,
    VCaught,
    VClass,
    VEntry,
    VErr,
    VExt,
    VFn,
    VInst,
    VLit,
    VNs,
    VNum,
    VObj,
    VParam,
    VResp,
    VStr,
    VTyped,
    VUnknown,
    force,
)
from stage_lsp.core.location import Location, Range

MAX_DEPTH = 7
MAX_ALTERNATIVES = 24
_GLOBALS = frozenset(
    {"Response", "JSON", "Math", "Number", "String", "Object", "Array", "Promise", "Error", "console", "Deno"}
    | {"process", "URL", "Headers", "Date", "Boolean", "fetch", "crypto", "Buffer", "NextResponse", "status"}
)
_RESPONSE_TYPES = frozenset({"Response", "NextResponse", "HttpResponse", "JSONResponse", "APIRoute"})


@dataclass(eq=False)
class Frame:
    module: ModuleFacts
    fn: FunctionFacts | None = None
    bindings: dict[str, Vals | Lazy] = field(default_factory=dict)
    parent: Frame | None = None
    depth: int = 0
    memo: dict[str, Vals] = field(default_factory=dict)

    def loc(self, rng: Range) -> Location:
        return Location(self.module.rel, rng)


def cap(values: list[V]) -> Vals:
    if len(values) > MAX_ALTERNATIVES:
        return (*values[:MAX_ALTERNATIVES], VUnknown("too many alternatives"))
    return tuple(values)


class Evaluator:
    def __init__(self, project: Project, frameworks: frozenset[str] = frozenset()) -> None:
        self.project = project
        self.frameworks = frameworks
        self._module_values: dict[tuple[str, str], Vals] = {}
        self._symbol_values: dict[tuple[str, str], Vals] = {}
        self._module_frames: dict[str, Frame] = {}
        self.budget = Budget()
        self.memo: dict[tuple[object, ...], object] = {}  # per-evaluation caches of the analyses

    # -- frames -------------------------------------------------------------------------------------

    def module_frame(self, module: ModuleFacts) -> Frame:
        frame = self._module_frames.get(module.rel)
        if frame is None or frame.module is not module:
            frame = Frame(module)
            self._module_frames[module.rel] = frame
        return frame

    def fn_value(self, module: ModuleFacts, fid: int, env: Frame | None = None) -> VFn | None:
        fn = module.functions.get(fid)
        if fn is None:
            return None
        return VFn(module, fn, env if env is not None else self.module_frame(module))

    # -- expressions --------------------------------------------------------------------------------

    def ev(self, expr: Expr, frame: Frame) -> Vals:
        self.budget.steps -= 1
        if self.budget.steps < 0:
            return (VUnknown("evaluation budget exhausted"),)
        if isinstance(expr, Call):
            return self.call(expr, frame)
        if isinstance(expr, Ident):
            return self.name(expr.name, frame)
        if isinstance(expr, Member):
            out: list[V] = []
            for value in self.ev(expr.obj, frame):
                if isinstance(value, VLit) and value.value in ("undefined", "null"):
                    if expr.optional:
                        out.append(UNDEFINED)
                    continue  # `null.x` throws: that path never gets here
                out.extend(self.member(value, expr.prop, frame))
            return cap(out)
        if isinstance(expr, Index):
            keys = self.ev(expr.key, frame)
            if not keys or not all(isinstance(k, VStr) for k in keys):
                return (VUnknown("a lookup with a key not known here"),)
            found: list[V] = []
            for value in self.ev(expr.obj, frame):
                for k in keys:
                    assert isinstance(k, VStr)
                    found.extend(self.member(value, k.value, frame))
            return cap(found)
        if isinstance(expr, Num):
            return (VNum(expr.value, frame.loc(expr.rng)),)
        if isinstance(expr, Str):
            return (VStr(expr.value, frame.loc(expr.rng)),)
        if isinstance(expr, Obj):
            entries = tuple(
                VEntry(e.key, self.lazy(e.value, frame), frame.loc(e.rng), e.shorthand) for e in expr.entries
            )
            a = expr.append
            insert = Insertion(frame.loc(a.rng), a.lead, a.trail) if a is not None else None
            return (VObj(entries, frame.loc(expr.rng), insert),)
        if isinstance(expr, New):
            return self.new(expr, frame)
        if isinstance(expr, Alt):
            alts: list[V] = []
            for i, option in enumerate(expr.options):
                values = self.ev(option, frame)
                if expr.op != "?" and i < len(expr.options) - 1:
                    values = tuple(v for v in values if not _falsy(v, expr.op))
                alts.extend(values)
            return cap(alts)
        if isinstance(expr, As):
            return self.ev(expr.expr, frame)
        if isinstance(expr, FnRef):
            fn = frame.module.functions.get(expr.fid)
            if fn is None:
                return (VUnknown("function not indexed"),)
            return (VFn(frame.module, fn, frame, self._this(frame)),)
        if isinstance(expr, Lit):
            return (VLit(expr.value),)
        if isinstance(expr, Arr):
            return (VArr(tuple(self.ev(i, frame) for i in expr.items)),)
        if isinstance(expr, This):
            return self._this_values(frame)
        if isinstance(expr, Caught):
            if frame.fn is None:
                return (VUnknown("caught error"),)
            return (VCaught(frame.module, frame.fn, expr.index, frame),)
        if isinstance(expr, Unknown):
            return (VUnknown(expr.text, frame.loc(expr.rng)),)
        return (VUnknown("expression"),)

    def lazy(self, expr: Expr, frame: Frame) -> Lazy:
        return Lazy(lambda: self.ev(expr, frame))

    def _this(self, frame: Frame) -> V | None:
        f: Frame | None = frame
        while f is not None:
            if "this" in f.bindings:
                found = force(f.bindings["this"])
                return found[0] if found else None
            f = f.parent
        return None

    def _this_values(self, frame: Frame) -> Vals:
        value = self._this(frame)
        return (value,) if value is not None else (VUnknown("this"),)

    # -- names --------------------------------------------------------------------------------------

    def name(self, name: str, frame: Frame) -> Vals:
        f: Frame | None = frame
        while f is not None:
            if name in f.bindings:
                bound = f.bindings[name]
                if isinstance(bound, Lazy):
                    bound = f.bindings[name] = bound.get()
                return bound
            fn = f.fn
            if fn is not None:
                if name in fn.locals:
                    return self._local(f, name)
                for i, p in enumerate(fn.params):
                    if p.name == name or name in p.keys:
                        return (VParam((name,), i),)
            f = f.parent
        return self.module_name(frame.module, name)

    def _local(self, frame: Frame, name: str) -> Vals:
        memo = frame.memo
        if name in memo:
            return memo[name]
        memo[name] = (VUnknown(f"`{name}` refers to itself"),)
        assert frame.fn is not None
        value = self.ev(frame.fn.locals[name], frame)
        memo[name] = value
        return value

    def module_name(self, module: ModuleFacts, name: str) -> Vals:
        key = (module.rel, name)
        cached = self._module_values.get(key)
        if cached is not None:
            return cached
        self._module_values[key] = (VUnknown(f"`{name}` refers to itself"),)
        symbol = self.project.lookup(module, name)
        value = self.symbol_value(symbol, name) if symbol is not None else self._global(module, name)
        self._module_values[key] = value
        return value

    def _global(self, module: ModuleFacts, name: str) -> Vals:
        if name in _GLOBALS:
            return (VExt(("#global", name)),)
        if module.language == "python" and name in builtins.PY_GLOBALS:
            return (VExt(("#py", name)),)
        return (VUnknown(f"`{name}` is not defined in {module.rel}"),)

    def symbol_value(self, symbol: Symbol, name: str) -> Vals:
        if symbol.external is not None:
            return (VExt(builtins.external_path(*symbol.external)),)
        if symbol.namespace is not None:
            return (VNs(symbol.namespace),)
        if symbol.cls is not None:
            return (VClass(symbol.module, symbol.cls),)
        if symbol.expr is not None:
            key = (symbol.module.rel, symbol.name)
            cached = self._symbol_values.get(key)
            if cached is not None:
                return cached
            self._symbol_values[key] = (VUnknown(f"`{name}` refers to itself"),)
            value = self.ev(symbol.expr, self.module_frame(symbol.module))
            self._symbol_values[key] = value
            return value
        return (VUnknown(f"`{name}` is only a type"),)

    # -- members ------------------------------------------------------------------------------------

    def member(self, value: V, prop: str, frame: Frame) -> Vals:
        if isinstance(value, VObj):
            return obj_get(value, prop)
        if isinstance(value, VExt):
            return (builtins.ext_member(value, prop),)
        if isinstance(value, VParam):
            return (VParam((*value.path, prop), value.index),)
        if isinstance(value, VNs):
            symbol = self.project.export(value.module, prop)
            if symbol is None:
                return (VUnknown(f"`{prop}` is not exported by {value.module.rel}"),)
            return self.symbol_value(symbol, prop)
        if isinstance(value, VInst):
            return self.instance_member(value, prop)
        if isinstance(value, VLit) and value.value in ("undefined", "null"):
            return (UNDEFINED,)
        if isinstance(value, VResp) and prop in ("status", "statusCode"):
            return value.status_values
        if isinstance(value, VCaught):
            return self.caught_member(value, prop)
        if isinstance(value, VErr) and prop in ("status", "statusCode", "status_code"):
            return value.statuses
        if isinstance(value, VClass):
            return (VUnknown(f"static `{value.cls.name}.{prop}`"),)
        return (VUnknown(f"`.{prop}`"),)

    def instance_member(self, inst: VInst, prop: str, depth: int = 0) -> Vals:
        cls = inst.cls.cls
        module = inst.cls.module
        if prop in cls.methods:
            fn = module.functions.get(cls.methods[prop])
            if fn is not None:
                return (VFn(module, fn, self.module_frame(module), inst),)
        frame = self._ctor_frame(inst)
        if prop in cls.fields:
            values = self.ev(cls.fields[prop], frame)
            if prop in cls.field_types and all(v == UNDEFINED for v in values):
                return self.typed_instance(cls.field_types[prop], module)  # injected by the framework
            return values
        if prop in cls.field_types:
            return self.typed_instance(cls.field_types[prop], module)
        if cls.extends is not None and depth < 6:
            supers = [
                v for v in self.ev(cls.extends, self.module_frame(module)) if isinstance(v, VClass | VExt)
            ]
            args = self.args(cls.super_args, frame) if cls.super_args is not None else inst.args
            for sup in supers:
                if isinstance(sup, VClass):
                    return self.instance_member(VInst(sup, args, inst.loc), prop, depth + 1)
                if isinstance(sup, VExt):
                    err = builtins.construct(sup, args, inst.loc)
                    if isinstance(err, VErr) and prop in ("status", "statusCode", "status_code"):
                        return err.statuses
                    if prop in ("message", "name", "stack", "cause"):
                        return (VUnknown(f"`.{prop}`"),)
            return (UNDEFINED,) if supers else (VUnknown(f"`.{prop}` of {cls.name}"),)
        return (UNDEFINED,)

    def _ctor_frame(self, inst: VInst) -> Frame:
        module = inst.cls.module
        ctor_id = inst.cls.cls.ctor
        ctor = module.functions.get(ctor_id) if ctor_id is not None else None
        if ctor is None:
            return self.module_frame(module)
        return Frame(
            module, ctor, self.bind(ctor, inst.args, self.module_frame(module)), self.module_frame(module)
        )

    def typed_instance(self, type_: TypeExpr, module: ModuleFacts) -> Vals:
        if isinstance(type_, TRef) and not type_.args:
            symbol = self.project.lookup(module, type_.name)
            if symbol is not None and symbol.cls is not None:
                return (VInst(VClass(symbol.module, symbol.cls), ()),)
        return (VTyped(type_, module),)

    def caught_member(self, caught: VCaught, prop: str) -> Vals:
        if prop not in ("status", "statusCode", "status_code", "httpStatus"):
            return (VUnknown(f"caught error `.{prop}`"),)
        from stage_lsp.code.throws import thrown_in_try  # throws imports this module

        statuses: list[V] = [VUnknown("an error of a kind not known here")]
        for value, _site in thrown_in_try(self, caught):
            statuses.extend(self.error_statuses(value))
        return cap(statuses)

    def error_statuses(self, value: V) -> Vals:
        if isinstance(value, VErr):
            return value.statuses
        if isinstance(value, VInst):
            for prop in ("status", "statusCode", "httpStatus", "status_code"):
                found = [v for v in self.instance_member(value, prop) if v != UNDEFINED]
                if found:
                    return tuple(found)
        return ()

    # -- calls --------------------------------------------------------------------------------------

    def bind(self, fn: FunctionFacts, args: Sequence[Vals], env: Frame) -> dict[str, Vals | Lazy]:
        """Parameters bound to the arguments (evaluated on first use), defaults where absent."""
        bindings: dict[str, Vals | Lazy] = {}
        for i, param in enumerate(fn.params):
            value: Vals | Lazy
            if i < len(args):
                value = args.lazy(i) if isinstance(args, Args) else args[i]
            elif param.default is not None:
                value = self.lazy(param.default, Frame(env.module, fn, bindings, env, env.depth))
            else:
                value = (UNDEFINED,)
            if param.name:
                bindings[param.name] = value
            for key in param.keys:
                bindings[key] = Lazy(self._member_thunk(value, key, env))
        return bindings

    def _member_thunk(self, value: Vals | Lazy, key: str, frame: Frame) -> Callable[[], Vals]:
        return lambda: self._members(force(value), key, frame)

    def _members(self, values: Vals, key: str, frame: Frame) -> Vals:
        out: list[V] = []
        for v in values:
            out.extend(self.member(v, key, frame))
        return cap(out)

    def call_fn(self, fn_value: VFn, args: Sequence[Vals], depth: int) -> Vals:
        if depth > MAX_DEPTH:
            return (VUnknown("call depth"),)
        fn = fn_value.fn
        env = fn_value.env if fn_value.env is not None else self.module_frame(fn_value.module)
        frame = Frame(fn_value.module, fn, self.bind(fn, args, env), env, depth + 1)
        if fn_value.this is not None:
            frame.bindings["this"] = (fn_value.this,)
        rtype = fn.return_type
        if rtype is not None and not _response_like(rtype) and not fn.returns:
            return (VTyped(rtype, fn_value.module),)
        out: list[V] = []
        guards = fn.return_guards
        for i, ret in enumerate(fn.returns):
            guard = guards[i] if i < len(guards) else None
            if guard is not None and not self._may_reach(guard, frame):
                continue
            out.extend(self.ev(ret, self.narrowed(frame, fn, i)))
        if not fn.returns:
            out.append(UNDEFINED)
        if rtype is not None and not _response_like(rtype):
            # a declared type says more than `data` from a query or a bare `null`
            typed = VTyped(rtype, fn_value.module)
            out = [v if not isinstance(v, VUnknown | VLit) else typed for v in out]
            out = list({id(v): v for v in out}.values())
        return cap(out)

    def args(self, exprs: tuple[Expr, ...], frame: Frame) -> Args:
        return Args([self.lazy(a, frame) for a in exprs])

    def narrowed(self, frame: Frame, fn: FunctionFacts, i: int) -> Frame:
        """The frame for return `i`: a name declared again in the return's block has that block's value
        (`if (x) { const err = a(); return f(err); }`); names its `if` conditions test
        (`if (!r.ok) return fail(r)`) keep only the alternatives that can pass the test, as TypeScript
        narrows a discriminated union."""
        scoped = fn.return_scopes[i] if i < len(fn.return_scopes) else ()
        if scoped:
            outer = frame
            seen = {name: self.lazy(expr, outer) for name, expr in scoped}
            frame = Frame(frame.module, frame.fn, {**frame.bindings, **seen}, frame.parent, frame.depth)
        narrows = fn.return_narrows[i] if i < len(fn.return_narrows) else ()
        for narrow in narrows:
            values = self.name(narrow.subject, frame)
            kept = tuple(v for v in values if _may_test(v, narrow.prop, narrow.truthy))
            if kept and len(kept) < len(values):
                frame = Frame(
                    frame.module,
                    frame.fn,
                    {**frame.bindings, narrow.subject: kept},
                    frame.parent,
                    frame.depth,
                )
        return frame

    def _may_reach(self, guard: Guard, frame: Frame) -> bool:
        """False when the switch subject is known and no label of this return matches it."""
        parts = guard.subject.split(".")
        expr: Expr = This() if parts[0] == "this" else Ident(parts[0])
        for part in parts[1:]:
            expr = Member(expr, part)
        values = self.ev(expr, frame)
        if not values or not all(isinstance(v, VStr) for v in values):
            return True
        known = {v.value for v in values if isinstance(v, VStr)}
        if guard.default:
            return bool(known - set(guard.values))
        return bool(known & set(guard.values))

    def call(self, expr: Call, frame: Frame) -> Vals:
        callee = expr.callee
        args = self.args(expr.args, frame)
        kwargs = {k: self.ev(v, frame) for k, v in expr.kwargs}
        site = frame.loc(expr.rng)
        out: list[V] = []
        if isinstance(callee, Member):
            for obj in self.ev(callee.obj, frame):
                if isinstance(obj, VLit) and obj.value in ("undefined", "null"):
                    if callee.optional:
                        out.append(UNDEFINED)
                    continue
                if isinstance(obj, VExt | VParam) or type(obj).__name__ in builtins.METHOD_RECEIVERS:
                    handled = builtins.method_call(obj, callee.prop, args, kwargs, site, expr, frame.module)
                    if handled is not None:
                        out.extend(handled)
                        continue
                for fn in self.member(obj, callee.prop, frame):
                    out.extend(self.apply(fn, args, kwargs, site, expr, frame))
            return cap(out)
        for fn in self.ev(callee, frame):
            out.extend(self.apply(fn, args, kwargs, site, expr, frame))
        return cap(out)

    def apply(
        self, fn: V, args: Sequence[Vals], kwargs: dict[str, Vals], site: Location, expr: Call, frame: Frame
    ) -> Vals:
        if isinstance(fn, VFn):
            return self.call_fn(fn, args, frame.depth)
        if isinstance(fn, VClass):  # Python instantiation, or a TS class called as a factory
            return (VInst(fn, args, site),)
        if isinstance(fn, VExt | VParam):
            handled = builtins.apply(fn, args, kwargs, site, expr, frame.module)
            if handled is not None:
                return handled
            return (VUnknown(f"call to `{'.'.join(fn.path)}`", site),)
        if isinstance(fn, VUnknown):
            return (VUnknown(fn.reason, site),)
        return (VUnknown("call of a value that is not a function", site),)

    def new(self, expr: New, frame: Frame) -> Vals:
        args = self.args(expr.args, frame)
        site = frame.loc(expr.rng)
        out: list[V] = []
        for ctor in self.ev(expr.callee, frame):
            if isinstance(ctor, VClass):
                out.append(VInst(ctor, args, site))
            elif isinstance(ctor, VExt):
                out.append(builtins.construct(ctor, args, site))
            else:
                out.append(VUnknown("`new` of an unknown class", site))
        return cap(out)


def _falsy(value: V, op: str) -> bool:
    """A value the left side of `||` (`??`) passes over."""
    if isinstance(value, VLit):
        return value.value in ("undefined", "null") or (op == "||" and value.value == "false")
    if op == "||":
        return (isinstance(value, VNum) and value.value == 0) or (
            isinstance(value, VStr) and value.value == ""
        )
    return False


def _truthiness(value: V) -> bool | None:
    if isinstance(value, VLit):
        return {"true": True, "false": False, "undefined": False, "null": False}.get(value.value)
    if isinstance(value, VNum):
        return value.value != 0
    if isinstance(value, VStr):
        return value.value != ""
    if isinstance(value, VObj | VArr):
        return True
    return None


def _may_test(value: V, prop: str, truthy: bool) -> bool:
    """Can `value.prop` have this truthiness? Only objects whose `prop` is known say no."""
    if not isinstance(value, VObj):
        return True
    found = obj_get(value, prop)
    return not found or any(_truthiness(v) in (None, truthy) for v in found)


def obj_get(obj: VObj, key: str) -> Vals:
    """The values of `obj[key]`, through spreads; UNDEFINED when it is certainly absent."""
    out: list[V] = []
    for entry in reversed(obj.entries):
        if entry.key == key:
            out.extend(entry.values)
            return tuple(out)
        if entry.key is None:
            for spread in entry.values:
                if isinstance(spread, VObj):
                    found = obj_get(spread, key)
                    if found != (UNDEFINED,):
                        out.extend(found)
                elif isinstance(spread, VLit):
                    continue
                else:
                    out.append(VUnknown("spread of an unknown object"))
    return tuple(out) if out else (UNDEFINED,)


def _response_like(t: TypeExpr) -> bool:
    if isinstance(t, TRef):
        base = t.name.rsplit(".", 1)[-1]
        if base in _RESPONSE_TYPES:
            return True
        if base == "Promise" and t.args:
            return _response_like(t.args[0])
    if isinstance(t, TUnion):
        return any(_response_like(p) for p in t.parts)
    return isinstance(t, TKeyword) and t.name in ("any", "unknown")


def vnum_values(values: Vals) -> list[int]:
    return [v.value for v in values if isinstance(v, VNum)]
