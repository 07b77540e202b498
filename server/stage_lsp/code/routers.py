"""Hono and Express routers: registrations and mounts composed across files.

A router is a module constant built from `new Hono()`, `express()`, `express.Router()` or `Router()`
(with `.basePath('/api')`), or a function returning such a chain (`function createPlanRoutes() { return
new Hono().get(...).route('/:planId/days', createPlanDayRoutes()) }`). Registrations are
`.get/.post/.put/.patch/.delete/.all/.on(path, ...middleware, handler)` and Express `.route(path).get(h)`;
mounts are Hono `.route(prefix, child)` and Express `.use(prefix, child)`. Routers nobody mounts are
roots; a route's path is the prefixes from its root down.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stage_lsp.code.evaluate import Evaluator, Frame
from stage_lsp.code.expr import Arr, Call, Expr, FnRef, Ident, Member, New, Str, unwrap
from stage_lsp.code.facts import ModuleFacts
from stage_lsp.code.model import Route
from stage_lsp.code.route_make import HandlerSpec, RouteMaker
from stage_lsp.code.values import VExt, VFn, VNs, VZod
from stage_lsp.core.keys import HTTP_METHODS, display_path
from stage_lsp.core.location import Location

_METHODS = {m.lower(): m for m in HTTP_METHODS}
_ROUTER_PACKAGES = ("hono", "express", "@hono/zod-openapi")
NodeKey = tuple[str, str]


@dataclass
class _Reg:
    methods: list[str] | None
    path: str
    where: Location
    handler: Expr
    middleware: tuple[Expr, ...]
    frame: Frame


@dataclass
class _Node:
    key: NodeKey
    framework: str
    base: str = ""  # `new Hono().basePath("/api")`
    regs: list[_Reg] = field(default_factory=list)
    mounts: list[tuple[str, Expr, Frame]] = field(default_factory=list)


def _join(prefix: str, path: str) -> str:
    if not path or path == "/":
        return prefix or "/"
    return prefix.rstrip("/") + "/" + path.lstrip("/")


def flatten(expr: Expr) -> tuple[Expr, list[Call]]:
    calls: list[Call] = []
    e = unwrap(expr)
    while isinstance(e, Call) and isinstance(e.callee, Member):
        calls.append(e)
        e = unwrap(e.callee.obj)
    calls.reverse()
    return e, calls


class RouterGraph:
    def __init__(self, maker: RouteMaker) -> None:
        self.maker = maker
        self.ev: Evaluator = maker.ev
        self.nodes: dict[NodeKey, _Node] = {}
        self.children: set[NodeKey] = set()
        self.added: set[str] = set()

    # -- discovery -----------------------------------------------------------------------------------

    def _creation(self, root: Expr, frame: Frame) -> str | None:
        """The framework when `root` creates a router (`new Hono()`, `express.Router()`), else None."""
        callee: Expr | None = None
        if isinstance(root, (New, Call)):
            callee = root.callee
        if callee is None:
            return None
        for value in self.ev.ev(callee, frame):
            if isinstance(value, VExt) and value.path and value.path[0] in _ROUTER_PACKAGES:
                return "express" if value.path[0] == "express" else "hono"
        return None

    def split(self, expr: Expr, frame: Frame) -> tuple[str, list[Call]] | None:
        """(framework, chained calls) when `expr` builds a router, else None."""
        root, calls = flatten(expr)
        framework = self._creation(root, frame)
        if framework is not None:
            return framework, calls
        if isinstance(root, Ident) and calls:
            first = calls[0].callee
            if isinstance(first, Member) and first.prop == "Router":
                for value in self.ev.ev(root, frame):
                    if isinstance(value, VExt) and value.path[:1] == ("express",):
                        return "express", calls[1:]
        return None

    def node(self, key: NodeKey, framework: str) -> _Node:
        node = self.nodes.get(key)
        if node is None:
            node = _Node(key, framework)
            self.nodes[key] = node
        return node

    def add_module(self, module: ModuleFacts) -> None:
        if module.rel in self.added:
            return
        self.added.add(module.rel)
        ev = self.ev
        mframe = ev.module_frame(module)
        for name, value in module.consts.items():
            found = self.split(value, mframe)
            if found is not None:
                self._apply(self.node((module.rel, name), found[0]), found[1], mframe, creation=True)
        for fn in module.functions.values():
            fframe = Frame(module, fn, {}, mframe, 0)
            for ret in fn.returns:
                found = self.split(ret, fframe)
                root, calls = flatten(ret)
                if found is not None:
                    self._apply(self.node((module.rel, f"#{fn.fid}"), found[0]), found[1], fframe)
                elif isinstance(root, Ident) and root.name in fn.locals:
                    local = self.split(fn.locals[root.name], fframe)
                    if local is not None:
                        node = self.node((module.rel, f"#{fn.fid}"), local[0])
                        self._apply(node, local[1] + calls, fframe)
                        for rc in module.router_calls:
                            if rc.fid == fn.fid:
                                rroot, rcalls = flatten(rc.expr)
                                if isinstance(rroot, Ident) and rroot.name == root.name:
                                    self._apply(node, rcalls, fframe)
        for rc in module.router_calls:
            root, calls = flatten(rc.expr)
            if rc.fid is not None or not isinstance(root, Ident):
                continue
            key = self._symbol_node(module, root.name)
            if key is not None and key in self.nodes:
                self._apply(self.nodes[key], calls, mframe)

    def _symbol_node(self, module: ModuleFacts, name: str) -> NodeKey | None:
        symbol = self.ev.project.lookup(module, name)
        if symbol is None or symbol.expr is None:
            return None
        if isinstance(symbol.expr, FnRef):
            return (symbol.module.rel, f"#{symbol.expr.fid}")
        if (symbol.module.rel, symbol.name) not in self.nodes and symbol.module.rel != module.rel:
            self.add_module(symbol.module)
        return (symbol.module.rel, symbol.name)

    def _child(self, expr: Expr, frame: Frame) -> NodeKey | None:
        e = unwrap(expr)
        if isinstance(e, Ident):
            if frame.fn is not None and e.name in frame.fn.locals:
                return self._child(frame.fn.locals[e.name], frame)
            return self._symbol_node(frame.module, e.name)
        if isinstance(e, Call) and isinstance(e.callee, Ident) and not self._creation(e, frame):
            key = self._symbol_node(frame.module, e.callee.name)
            if key is not None and key not in self.nodes:
                module = self.ev.project.module(key[0])
                if module is not None:
                    self.add_module(module)
            return key
        if isinstance(e, Member) and isinstance(e.obj, Ident):
            for value in self.ev.ev(e.obj, frame):
                if isinstance(value, VNs):
                    symbol = self.ev.project.export(value.module, e.prop)
                    if symbol is not None and symbol.expr is not None:
                        if isinstance(symbol.expr, FnRef):
                            return (symbol.module.rel, f"#{symbol.expr.fid}")
                        return (symbol.module.rel, symbol.name)
        found = self.split(e, frame)
        if found is not None:
            key = (frame.module.rel, f"@{id(e)}")
            self._apply(self.node(key, found[0]), found[1], frame)
            return key
        return None

    def _apply(self, node: _Node, calls: list[Call], frame: Frame, creation: bool = False) -> None:
        base = node.base
        chained: str | None = None
        for call in calls:
            assert isinstance(call.callee, Member)
            prop = call.callee.prop
            args = call.args
            first = args[0] if args else None
            if prop == "basePath" and isinstance(first, Str):
                base = _join(base, first.value)
                if creation:
                    node.base = base
            elif prop in _METHODS or prop == "all":
                methods = None if prop == "all" else [_METHODS[prop]]
                if isinstance(first, Str) and len(args) >= 2:
                    self._reg(node, methods, _join(base, first.value), first, args[1:], frame)
                elif chained is not None and args and not isinstance(first, Str):
                    self._reg(node, methods, chained, None, args, frame, call)
            elif prop == "on" and len(args) >= 3 and isinstance(args[1], Str):
                names = (
                    [args[0]]
                    if isinstance(args[0], Str)
                    else list(args[0].items)
                    if isinstance(args[0], Arr)
                    else []
                )
                methods = [
                    n.value.upper() for n in names if isinstance(n, Str) and n.value.upper() in HTTP_METHODS
                ]
                self._reg(node, methods or None, _join(base, args[1].value), args[1], args[2:], frame)
            elif prop == "route":
                if len(args) >= 2 and isinstance(first, Str):
                    node.mounts.append((_join(base, first.value), args[1], frame))
                elif len(args) == 1 and isinstance(first, Str):
                    chained = _join(base, first.value)
            elif prop == "use":
                if len(args) >= 2 and isinstance(first, Str):
                    for child in args[1:]:
                        node.mounts.append((_join(base, first.value), child, frame))
                elif len(args) == 1 and not isinstance(first, Str):
                    node.mounts.append((base, args[0], frame))

    def _reg(
        self,
        node: _Node,
        methods: list[str] | None,
        path: str,
        path_expr: Str | None,
        handlers: tuple[Expr, ...],
        frame: Frame,
        call: Call | None = None,
    ) -> None:
        rng = path_expr.rng if path_expr is not None else call.rng if call is not None else None
        if rng is None or not handlers:
            return
        node.regs.append(
            _Reg(methods, path, Location(frame.module.rel, rng), handlers[-1], handlers[:-1], frame)
        )

    # -- routes --------------------------------------------------------------------------------------

    def routes(self) -> list[Route]:
        edges: dict[NodeKey, list[tuple[str, NodeKey]]] = {}
        for key in list(self.nodes):
            node = self.nodes[key]
            for prefix, child_expr, frame in node.mounts:
                child = self._child(child_expr, frame)
                if child is not None and child in self.nodes and child != key:
                    edges.setdefault(key, []).append((prefix, child))
                    self.children.add(child)
        out: list[Route] = []
        roots = [k for k in self.nodes if k not in self.children]
        for root in sorted(roots):
            self._walk(root, "", edges, out, {root})
        return out

    def _walk(
        self,
        key: NodeKey,
        prefix: str,
        edges: dict[NodeKey, list[tuple[str, NodeKey]]],
        out: list[Route],
        seen: set[NodeKey],
    ) -> None:
        node = self.nodes[key]
        for reg in node.regs:
            path = display_path(_join(prefix, reg.path))
            out.extend(self.maker.routes(reg.methods, path, reg.where, node.framework, self._spec(reg)))
        for mount, child in edges.get(key, []):
            if child not in seen:
                self._walk(child, _join(prefix, mount), edges, out, seen | {child})

    def _spec(self, reg: _Reg) -> HandlerSpec:
        values = self.ev.ev(reg.handler, reg.frame)
        fns = [v for v in values if isinstance(v, VFn)]
        spec = HandlerSpec(fns[0] if fns else None, complete=len(fns) == len(values) and bool(fns))
        for mw in reg.middleware:
            m = unwrap(mw)
            if (
                isinstance(m, Call)
                and len(m.args) >= 2
                and isinstance(m.args[0], Str)
                and m.args[0].value in ("json", "form")
            ):
                for callee in self.ev.ev(m.callee, reg.frame):
                    if isinstance(callee, VExt) and "zValidator" in callee.path[-1:]:
                        schema = next(
                            (v for v in self.ev.ev(m.args[1], reg.frame) if isinstance(v, VZod)), None
                        )
                        if schema is not None:
                            spec.body_schema = (schema, Location(reg.frame.module.rel, m.rng))
        return spec
