"""Decorator-routed frameworks: NestJS controllers and FastAPI routers.

NestJS: `@Controller('plans')` classes, `@Get(':id')`/`@Post()`/... methods, `@HttpCode(HttpStatus.CREATED)`
(default 201 for POST, 200 otherwise), `@Body() dto: CreatePlanDto` (request fields, validated by the
DTO), `@Query('limit')`, `@Headers('idempotency-key')`, and `app.setGlobalPrefix('api')` anywhere.

FastAPI: `router = APIRouter(prefix="/api/v1/queries")`, `@router.post("", status_code=status.HTTP_202_ACCEPTED)`,
`app.include_router(queries.router, prefix=...)` across modules; a router nobody includes is a root.
"""

from __future__ import annotations

from stage_lsp.code.evaluate import Evaluator, Frame
from stage_lsp.code.expr import Arr, Call, Expr, FnRef, Ident, Member, Obj, Str
from stage_lsp.code.facts import ModuleFacts, Param
from stage_lsp.code.model import CodeField, Route
from stage_lsp.code.route_make import HandlerSpec, RouteMaker
from stage_lsp.code.values import VClass, VExt, VFn, VInst, VNs
from stage_lsp.core.keys import HTTP_METHODS, display_path
from stage_lsp.core.location import Location

_NEST_METHODS = {"Get": "GET", "Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE"}
_NEST_METHODS |= {"Head": "HEAD", "Options": "OPTIONS", "All": "ALL"}


def _join(*parts: str) -> str:
    segs = [p.strip("/") for p in parts if p and p.strip("/")]
    return "/" + "/".join(segs)


def _deco(decorators: tuple[Expr, ...], names: set[str] | dict[str, str]) -> list[tuple[str, Call]]:
    out = []
    for d in decorators:
        if isinstance(d, Call) and isinstance(d.callee, Ident) and d.callee.name in names:
            out.append((d.callee.name, d))
    return out


def _str_arg(call: Call) -> list[str]:
    if not call.args:
        return [""]
    first = call.args[0]
    if isinstance(first, Str):
        return [first.value]
    if isinstance(first, Arr):
        return [i.value for i in first.items if isinstance(i, Str)] or [""]
    if isinstance(first, Obj):
        for e in first.entries:
            if e.key == "path" and isinstance(e.value, Str):
                return [e.value.value]
    return [""]


def nest_routes(maker: RouteMaker, modules: list[ModuleFacts]) -> list[Route]:
    ev = maker.ev
    prefix = next((p for m in modules for p, _ in m.global_prefixes), "")
    out: list[Route] = []
    for module in modules:
        mframe = ev.module_frame(module)
        for cls in module.classes.values():
            controller = _deco(cls.decorators, {"Controller"})
            if not controller:
                continue
            bases = _str_arg(controller[0][1])
            this = VInst(VClass(module, cls), ())
            for fid in cls.methods.values():
                fn = module.functions.get(fid)
                if fn is None:
                    continue
                for name, call in _deco(fn.decorators, _NEST_METHODS):
                    method = _NEST_METHODS[name]
                    codes = _deco(fn.decorators, {"HttpCode"})
                    declared = ev.ev(codes[0][1].args[0], mframe) if codes and codes[0][1].args else ()
                    spec = HandlerSpec(
                        VFn(module, fn, mframe, this),
                        data_handler=True,
                        default_status=201 if method == "POST" else 200,
                        declared=declared,
                    )
                    _nest_params(spec, module, fn.params, mframe)
                    where = Location(module.rel, call.rng)
                    for base in bases:
                        for sub in _str_arg(call):
                            path = display_path(_join(prefix, base, sub))
                            methods = None if method == "ALL" else [method]
                            out.extend(maker.routes(methods, path, where, "nestjs", spec))
    return out


def _nest_params(spec: HandlerSpec, module: ModuleFacts, params: tuple[Param, ...], frame: Frame) -> None:
    query: list[CodeField] = []
    headers: list[CodeField] = []
    for p in params:
        for name, call in _deco(p.decorators, {"Body", "Query", "Headers", "Res", "Response"}):
            arg = call.args[0].value if call.args and isinstance(call.args[0], Str) else None
            where = Location(module.rel, p.rng or call.rng)
            if name == "Body" and p.type is not None and arg is None:
                spec.body_type = (p.type, module)
                spec.validated = True
            elif name == "Query":
                if arg is not None:
                    query.append(CodeField(arg, where))
                elif p.type is not None:
                    spec.query_type = (p.type, module)
            elif name == "Headers" and arg is not None:
                headers.append(CodeField(arg, where))
            elif name in ("Res", "Response"):
                spec.complete = False  # the method writes the response itself
    spec.extra_query = (*spec.extra_query, *query)
    spec.extra_headers = (*spec.extra_headers, *headers)


def fastapi_routes(maker: RouteMaker, modules: list[ModuleFacts]) -> list[Route]:
    ev = maker.ev
    nodes: dict[tuple[str, str], str] = {}  # router -> own prefix
    regs: dict[tuple[str, str], list[tuple[list[str] | None, str, Location, HandlerSpec]]] = {}
    includes: list[tuple[tuple[str, str], tuple[str, str], str]] = []
    for module in modules:
        mframe = ev.module_frame(module)
        for name, value in module.consts.items():
            if not isinstance(value, Call):
                continue
            for callee in ev.ev(value.callee, mframe):
                if isinstance(callee, VExt) and callee.path[-1:] in (("APIRouter",), ("FastAPI",)):
                    own = next((v.value for k, v in value.kwargs if k == "prefix" and isinstance(v, Str)), "")
                    nodes[(module.rel, name)] = own
    for module in modules:
        mframe = ev.module_frame(module)
        for fn in module.functions.values():
            for deco in fn.decorators:
                if not (
                    isinstance(deco, Call)
                    and isinstance(deco.callee, Member)
                    and isinstance(deco.callee.obj, Ident)
                ):
                    continue
                key = (module.rel, deco.callee.obj.name)
                if key not in nodes:
                    continue
                verb = deco.callee.prop.upper()
                methods: list[str] | None
                if verb in HTTP_METHODS:
                    methods = [verb]
                elif verb == "API_ROUTE":
                    listed = next((v for k, v in deco.kwargs if k == "methods"), None)
                    methods = (
                        [i.value.upper() for i in listed.items if isinstance(i, Str)]
                        if isinstance(listed, Arr)
                        else None
                    )
                else:
                    continue
                path_expr = deco.args[0] if deco.args and isinstance(deco.args[0], Str) else None
                path = path_expr.value if path_expr is not None else ""
                code = next((v for k, v in deco.kwargs if k == "status_code"), None)
                declared = ev.ev(code, mframe) if code is not None else ()
                spec = HandlerSpec(VFn(module, fn, mframe), data_handler=True, declared=declared)
                where = Location(module.rel, (path_expr or deco).rng)
                regs.setdefault(key, []).append((methods, path, where, spec))
        for rc in module.router_calls:
            call = rc.expr
            if not (
                isinstance(call, Call)
                and isinstance(call.callee, Member)
                and call.callee.prop == "include_router"
            ):
                continue
            parent_expr = call.callee.obj
            if not isinstance(parent_expr, Ident) or not call.args:
                continue
            child = _py_router(ev, module, call.args[0], nodes)
            prefix = next((v.value for k, v in call.kwargs if k == "prefix" and isinstance(v, Str)), "")
            if child is not None:
                includes.append(((module.rel, parent_expr.name), child, prefix))
    children = {c for _, c, _ in includes}
    out: list[Route] = []

    def walk(key: tuple[str, str], prefix: str, seen: set[tuple[str, str]]) -> None:
        full = _join(prefix, nodes.get(key, ""))
        for methods, path, where, spec in regs.get(key, []):
            out.extend(maker.routes(methods, display_path(_join(full, path)), where, "fastapi", spec))
        for parent, child, inc_prefix in includes:
            if parent == key and child not in seen:
                walk(child, _join(full, inc_prefix), seen | {child})

    for key in sorted(nodes):
        if key not in children:
            walk(key, "", {key})
    return out


def _py_router(
    ev: Evaluator, module: ModuleFacts, expr: Expr, nodes: dict[tuple[str, str], str]
) -> tuple[str, str] | None:
    if isinstance(expr, Ident):
        symbol = ev.project.lookup(module, expr.name)
        if symbol is not None and symbol.expr is not None and not isinstance(symbol.expr, FnRef):
            return (symbol.module.rel, symbol.name)
        if (module.rel, expr.name) in nodes:
            return (module.rel, expr.name)
    if isinstance(expr, Member) and isinstance(expr.obj, Ident):
        for value in ev.ev(expr.obj, ev.module_frame(module)):
            if isinstance(value, VNs) and expr.prop in value.module.consts:
                return (value.module.rel, expr.prop)
    return None
