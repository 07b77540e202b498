"""The code side of the index: per-file facts (cached by the workspace) and the project pass over them.

`read_facts` is the per-file reader (one parse, one merged query per file kind). `RoutePass` is the
cheap project pass: it picks the route sources of every detected framework, resolves handlers, helpers,
constants, error classes, schemas, DTO types and router prefixes across files through the facts, and
returns the routes. Files are read only when a route reaches them (imports are followed lazily).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from stage_lsp.code.evaluate import Evaluator
from stage_lsp.code.expr import Lit
from stage_lsp.code.facts import ModuleFacts
from stage_lsp.code.fields import TypeFields, TypesTables
from stage_lsp.code.framework import FrameworkGuess
from stage_lsp.code.fs_routes import default_export_routes, exported_routes, route_path_for, served_routes
from stage_lsp.code.model import Route
from stage_lsp.code.nest_fastapi import fastapi_routes, nest_routes
from stage_lsp.code.project import AliasRule, Project
from stage_lsp.code.py_extract import extract_py
from stage_lsp.code.route_make import RouteMaker
from stage_lsp.code.route_memo import RouteMemo
from stage_lsp.code.routers import RouterGraph
from stage_lsp.code.treesitter import TooBrokenError, dialect_for
from stage_lsp.code.ts_extract import extract_ts
from stage_lsp.core.gc_pause import gc_paused
from stage_lsp.core.source import SourceFile

FS_FRAMEWORKS = ("astro", "next-app", "next-pages", "supabase-edge")
_CONTENT_MARKERS: dict[str, tuple[str, ...]] = {
    "hono": ("hono",),
    "express": ("express",),
    "nestjs": ("@Controller", "setGlobalPrefix"),
    "fastapi": ("APIRouter", "FastAPI(", "include_router"),
}


def read_facts(src: SourceFile) -> ModuleFacts:
    """The facts of one source file (never raises; an unreadable file has empty facts)."""
    dialect = dialect_for(src.rel)
    if dialect is None or src.problem:
        return ModuleFacts(src.rel, dialect or "unknown")
    try:
        if dialect == "python":
            return extract_py(src)
        return extract_ts(src, dialect)
    except TooBrokenError as exc:
        return ModuleFacts(src.rel, dialect, parse_error=True, problem=str(exc))
    except (RecursionError, ValueError, UnicodeError):  # defensive: a reader never takes the check down
        return ModuleFacts(src.rel, dialect, parse_error=True)


@dataclass
class RouteIndex:
    routes: list[Route]
    route_files: list[str]
    loaded: list[str]  # files whose facts the pass read (or would have: `Project.note`), in order
    prerender: dict[str, str | None] = field(default_factory=dict)  # file-system route file -> prerender_of


def prerender_of(module: ModuleFacts) -> str | None:
    """A route file's `export const prerender = ...`: the literal ("true", "false"), "other" for another
    value, None without one (Astro)."""
    local = module.exports.get("prerender")
    value = module.consts.get(local) if local else None
    return value.value if isinstance(value, Lit) else ("other" if local else None)


# route_candidates of the last source lists seen, per framework: a recheck asks with the same files
_CANDIDATES: dict[tuple[str, tuple[str, ...]], tuple[list[str], list[tuple[str, str]]]] = {}


def route_candidates(
    framework: str, sources: list[str], frameworks: tuple[str, ...]
) -> list[tuple[str, str]]:
    """(file, route path) of the file-system routed framework's route files."""
    key = (framework, tuple(frameworks))
    kept = _CANDIDATES.get(key)
    if kept is not None and kept[0] == sources:
        return list(kept[1])
    out = _route_candidates(framework, sources, frameworks)
    if len(_CANDIDATES) >= 16:
        _CANDIDATES.clear()
    _CANDIDATES[key] = (list(sources), out)
    return list(out)


def _route_candidates(
    framework: str, sources: list[str], frameworks: tuple[str, ...]
) -> list[tuple[str, str]]:
    out = []
    for rel in sources:
        if framework == "next-pages" and "astro" in frameworks:
            continue
        path = route_path_for(framework, rel)
        if path is not None:
            out.append((rel, path))
    return out


def _content_candidates(framework: str, sources: list[str], text: Callable[[str], str]) -> list[str]:
    markers = _CONTENT_MARKERS.get(framework)
    if markers is None:
        return []
    python = framework == "fastapi"
    out = []
    for rel in sources:
        if rel.endswith(".py") != python or rel.endswith((".d.ts", ".tsx", ".jsx")):
            continue
        body = text(rel)
        if any(m in body for m in markers):
            out.append(rel)
    return out


def route_sources(guess: FrameworkGuess, sources: list[str], text: Callable[[str], str]) -> list[str]:
    """The files the route pass starts from (file-system route files, router and controller modules)."""
    out: list[str] = []
    for framework in guess.names:
        if framework in FS_FRAMEWORKS:
            out.extend(rel for rel, _ in route_candidates(framework, sources, guess.names))
        else:
            out.extend(_content_candidates(framework, sources, text))
    return list(dict.fromkeys(out))


class RoutePass:
    """The project pass, over the routes of every detected framework (`RoutePass(...).finish()` runs it
    in one go). With `memo` (the language server, the CLI's disk cache), a file-system route file whose
    import closure is unchanged since the last pass keeps its routes instead of being analysed again.

    It also runs in steps: the file-system route files one at a time, in the pass's order, then the
    rest (`finish`). The CLI analyses route files while other files are still being read
    (workspace.prefetch): `next_file` names the file the next `step` analyses, and the caller steps
    once every module that file can reach has been read. The order is the pass's own, so the
    evaluator's caches and step budgets see what a pass in one go sees, and the routes are the same."""

    def __init__(
        self,
        sources: list[str],
        guess: FrameworkGuess,
        facts: Callable[[str], ModuleFacts | None],
        text: Callable[[str], str],
        aliases: tuple[AliasRule, ...] = (),
        types_tables: TypesTables = None,
        memo: RouteMemo | None = None,
    ) -> None:
        self.sources = sources
        self.frameworks = guess.names
        self.text = text
        # a `facts` with a `note` method (the workspace's) hears of modules counted as loaded unread
        self.project = Project(sources, facts, aliases, note=getattr(facts, "note", None))
        self.memo = memo
        self.maker = RouteMaker(
            Evaluator(self.project, frozenset(self.frameworks)), TypeFields(self.project, types_tables)
        )
        self.routes: list[Route] = []
        self.route_files: list[str] = []
        self.prerender: dict[str, str | None] = {}
        if memo is not None:
            memo.begin(self.project, (self.frameworks, aliases, types_tables))
        # the file-system route files of the frameworks before the first router-based one, in order
        self._steps: deque[tuple[str, str, str]] = deque()
        self._stepped: set[str] = set()
        for framework in self.frameworks:
            if framework not in FS_FRAMEWORKS:
                break
            self._stepped.add(framework)
            self._steps.extend(
                (rel, path, framework) for rel, path in route_candidates(framework, sources, self.frameworks)
            )
        self._finished = False

    def next_file(self) -> str | None:
        """The route file the next `step` analyses (None: no step is left before `finish`)."""
        return self._steps[0][0] if self._steps and not self._finished else None

    def step(self) -> None:
        """Analyse `next_file`."""
        with gc_paused():
            self._analyse_file(*self._steps.popleft())

    def _analyse_file(self, rel: str, path: str, framework: str) -> None:
        project, memo, maker = self.project, self.memo, self.maker
        if memo is not None and memo.facts_free and (kept := memo.stored(project, rel, (path, framework))):
            project.note(rel, kept.problem)  # what loading its facts and analysing it would have recorded
            for loaded, problem in kept.loaded:
                project.note(loaded, problem)
            self.route_files.append(rel)
            self.prerender[rel] = kept.prerender
            self.routes.extend(kept.routes)
            return
        module = project.module(rel)
        if module is None:
            return
        self.route_files.append(rel)
        self.prerender[rel] = prerender_of(module)
        key = memo.key(project, rel, path, framework) if memo is not None else None
        if memo is not None and (found := memo.get(project, rel, key)) is not None:
            self.routes.extend(found)
            return
        loaded_before = len(project.loaded_order)
        maker.ev.budget.steps = 20000
        if framework == "next-pages":
            made = list(default_export_routes(maker, module, path, framework))
        elif framework == "supabase-edge":
            made = list(served_routes(maker, module, path, framework))
        else:
            made = list(exported_routes(maker, module, path, framework, framework == "astro"))
        if memo is not None:
            memo.put(project, rel, key, made, project.loaded_order[loaded_before:], self.prerender[rel])
        self.routes.extend(made)

    def finish(self) -> RouteIndex:
        """Analyse whatever is left; the routes of the whole pass (once)."""
        if self._finished:
            raise RuntimeError("RoutePass.finish called twice")
        self._finished = True
        with gc_paused():
            while self._steps:
                self._analyse_file(*self._steps.popleft())
            for framework in self.frameworks:
                if framework in self._stepped:
                    continue
                if framework in FS_FRAMEWORKS:
                    for rel, path in route_candidates(framework, self.sources, self.frameworks):
                        self._analyse_file(rel, path, framework)
                elif framework in _CONTENT_MARKERS:
                    self._routers(framework)
        unique: dict[tuple[str, str, int, int], Route] = {}
        for r in self.routes:
            unique.setdefault((r.key, r.location.file, r.location.range.line, r.location.range.col), r)
        return RouteIndex(
            list(unique.values()),
            list(dict.fromkeys(self.route_files)),
            list(self.project.loaded_order),
            self.prerender,
        )

    def _routers(self, framework: str) -> None:
        """A router-based framework's routes: one graph across its modules, always analysed in full."""
        maker = self.maker
        modules: list[ModuleFacts] = []
        for rel in _content_candidates(framework, self.sources, self.text):
            module = self.project.module(rel)
            if module is not None:
                modules.append(module)
        maker.ev.budget.steps = 200000
        found: list[Route]
        if framework in ("hono", "express"):
            graph = RouterGraph(maker)
            for module in modules:
                graph.add_module(module)
            found = [r for r in graph.routes() if r.framework == framework]
        elif framework == "nestjs":
            found = nest_routes(maker, modules)
        else:
            found = fastapi_routes(maker, modules)
        self.routes.extend(found)
        self.route_files.extend(sorted({r.location.file for r in found}))
