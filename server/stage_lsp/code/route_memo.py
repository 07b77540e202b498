"""Routes of file-system route files kept between route passes, for the language server's edits.

The route pass (`code.index.RoutePass`) analyses every handler of every route file; on a large project
that is most of a recheck, although an edit changes one file. A file-system route file's routes depend
only on its path, the pass's inputs (frameworks, path aliases, generated types) and the facts of the
modules it can reach through imports and re-exports (`Project` resolves names only along those). So the
memo keys each route file's routes by the facts of that import closure (the workspace caches facts by
content digest, so the same facts object means the same content) and hands them back while none of
those files changed; an edit re-analyses only the route files that import the edited file,
directly or not. A change to the set of source files or to the pass's inputs forgets everything (module
resolution depends on which files exist).

Router-based frameworks (Hono, Express, NestJS, FastAPI) build one graph across modules and are always
analysed in full.

With a `store` (the CLI's disk cache, and the language server's while it reads that cache for its first
index), entries are also kept between runs, keyed by a digest of the pass's inputs, the set of source
files, the route's path and framework; each entry holds its import closure with the content digest of
every module then, and is used while every one of them still has that content (`stored`): a warm check
re-analyses only the route files whose closure changed. The CLI asks for such an entry before loading
any facts (`facts_free`): the entry also holds what the pass would have learnt from loading them (the
modules its analysis loaded and their problems, the file's `prerender` export), so an edit unpickles
only the facts of the closures it changed.

Known approximation: the evaluator's step budget is per route file, and results it caches while
analysing one file can save steps in the next; a file re-analysed alone could run out of budget where
the full pass did not. Only handlers near the budget (pathologically deep helper chains) are affected.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, cast

from stage_lsp.code.facts import ModuleFacts
from stage_lsp.code.model import Route
from stage_lsp.code.project import Project


@dataclass(frozen=True)
class _Entry:
    key: Hashable
    routes: tuple[Route, ...]
    loaded: tuple[str, ...]  # modules the analysis loaded first (replayed on a hit, so SL903 still sees them)


@dataclass(frozen=True)
class Kept:
    """A route file's routes as the disk keeps them, with what a pass needs to count the file as
    analysed without loading any facts (`RouteMemo.stored`)."""

    routes: tuple[Route, ...]
    loaded: tuple[tuple[str, str | None], ...]  # modules the analysis loaded first, with their facts' problem
    problem: str | None  # the route file's own facts' problem
    prerender: str | None  # its `export const prerender` (see code.index.prerender_of)


class RouteMemo:
    def __init__(
        self,
        facts: Callable[[str], ModuleFacts | None],
        digest: Callable[[str], str] | None = None,
        store: Callable[[], Any] | None = None,
        *,
        facts_free: bool = False,
    ) -> None:
        """`facts` reads a module's facts from the workspace cache without counting it as loaded by the
        pass; it must return the same object while a file's content is unchanged (a new one when it
        changed). `digest` is a file's content digest and `store` returns the persistent store to use
        (`get(reader, rel, key)` / `put(reader, rel, key, value)`) or None; both are needed to keep
        entries between runs. With `facts_free` (the CLI), the pass asks `stored` first: an entry on
        disk is checked against the digests of its import closure, without loading any facts."""
        self._facts = facts
        self._digest = digest
        self._store = store
        self.facts_free = facts_free
        self._inputs_digest = ""
        self._entries: dict[str, _Entry] = {}
        self._targets: dict[str, tuple[ModuleFacts, list[str]]] = {}  # per module, while its facts stay
        self._inputs: Hashable = None
        # per pass: a module's facts, asked for by every route file whose closure holds it
        self._pass_facts: dict[str, ModuleFacts | None] = {}
        self.hits = 0
        self.misses = 0

    def begin(self, project: Project, inputs: Hashable) -> None:
        """A new pass: forget everything when the set of sources or the pass's inputs changed."""
        self._pass_facts.clear()
        current = (project.sources, inputs)
        if current != self._inputs:
            self._entries.clear()
            self._targets.clear()
            self._inputs = current
            self._inputs_digest = ""
        if not self._inputs_digest and self._persistent() is not None:
            text = repr(_canonical(current))
            self._inputs_digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def _persistent(self) -> Any:
        return self._store() if self._store is not None and self._digest is not None else None

    def _stored_key(self, rel: str, extra: tuple[Hashable, ...]) -> str:
        text = "\0".join((self._inputs_digest, repr(extra), rel))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def closure(self, project: Project, rel: str) -> tuple[str, ...]:
        """`rel` and every source module it reaches through imports and re-exports."""
        seen = {rel}
        stack = [rel]
        while stack:
            name = stack.pop()
            module = self._module(name)
            if module is None:
                continue
            known = self._targets.get(name)
            if known is None or known[0] is not module:
                known = self._targets[name] = (module, module_targets(project, module))
            for target in known[1]:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return tuple(sorted(seen))

    def _module(self, name: str) -> ModuleFacts | None:
        facts = self._pass_facts
        if name in facts:
            return facts[name]
        found = facts[name] = self._facts(name)
        return found

    def key(self, project: Project, rel: str, *extra: Hashable) -> Hashable:
        """(extra, ((module, its facts), ...) over the import closure). The last key is returned as is
        while its modules keep their facts: the closure is walked again only when one of them changed."""
        entry = self._entries.get(rel)
        if entry is not None:
            old_extra, modules = cast(tuple[tuple[Hashable, ...], tuple[tuple[str, Any], ...]], entry.key)
            if old_extra == extra and all(self._module(m) is f for m, f in modules):
                return entry.key
        return (extra, tuple((m, self._module(m)) for m in self.closure(project, rel)))

    def stored(self, project: Project, rel: str, extra: tuple[Hashable, ...]) -> Kept | None:
        """The routes kept on disk for `rel` while every module of the import closure they were made
        from has the content it had then (a module's content decides its imports, so the same contents
        mean the same closure); None otherwise. Loads no facts: only the files' digests are compared."""
        store = self._persistent()
        if store is None:
            return None
        kept = self._valid(project, rel, store.get("route-memo", rel, self._stored_key(rel, extra)))
        if kept is not None:
            self.hits += 1
        return kept

    def _valid(self, project: Project, rel: str, found: Any) -> Kept | None:
        if not (isinstance(found, tuple) and len(found) == 5):
            return None
        closure, routes, loaded, problem, prerender = found
        if not (
            isinstance(closure, tuple)
            and all(
                isinstance(c, tuple) and len(c) == 2 and all(isinstance(x, str) for x in c) for c in closure
            )
            and isinstance(routes, tuple)
            and all(isinstance(r, Route) for r in routes)
            and isinstance(loaded, tuple)
            and all(
                isinstance(x, tuple)
                and len(x) == 2
                and isinstance(x[0], str)
                and isinstance(x[1], (str, type(None)))
                for x in loaded
            )
            and isinstance(problem, (str, type(None)))
            and isinstance(prerender, (str, type(None)))
            and any(m == rel for m, _ in closure)
        ):
            return None
        assert self._digest is not None
        sources = project.sources
        for module, digest in closure:
            if digest == "-":  # not a source file then: it must not have become one
                if module in sources:
                    return None
            elif module not in sources or self._digest(module) != digest:
                return None
        return Kept(routes, loaded, problem, prerender)

    def get(self, project: Project, rel: str, key: Hashable) -> list[Route] | None:
        entry = self._entries.get(rel)
        if entry is None or entry.key is not key:  # `key` returns the entry's own key when it still holds
            extra = cast(tuple[tuple[Hashable, ...], Any], key)[0]
            kept = None if self.facts_free else self.stored(project, rel, extra)  # facts-free: asked first
            if kept is None:
                self.misses += 1
                return None
            entry = self._entries[rel] = _Entry(key, kept.routes, tuple(m for m, _ in kept.loaded))
        else:
            self.hits += 1
        for loaded in entry.loaded:
            project.module(loaded)
        return list(entry.routes)

    def put(
        self,
        project: Project,
        rel: str,
        key: Hashable,
        routes: list[Route],
        loaded: list[str],
        prerender: str | None = None,
    ) -> None:
        entry = self._entries[rel] = _Entry(key, tuple(routes), tuple(loaded))
        store = self._persistent()
        extra, modules = cast(tuple[tuple[Hashable, ...], tuple[tuple[str, Any], ...]], key)
        # Only an analysis over real facts is kept (not one over the stand-ins of deferred reads).
        if store is not None and all(f is None or isinstance(f, ModuleFacts) for _, f in modules):
            assert self._digest is not None
            closure = tuple((m, self._digest(m) if f is not None else "-") for m, f in modules)
            value = (
                closure,
                entry.routes,
                tuple((m, _problem(project.loaded(m))) for m in entry.loaded),
                _problem(project.loaded(rel)),
                prerender,
            )
            store.put("route-memo", rel, self._stored_key(rel, extra), value)


def _problem(facts: ModuleFacts | None) -> str | None:
    return facts.problem if isinstance(facts, ModuleFacts) else None


def _canonical(value: Any) -> Any:
    """`value` with sets sorted and dataclasses spelled out, so its repr is the same in every process
    (a frozenset's order depends on the process's string hashing)."""
    if isinstance(value, (set, frozenset)):
        return ("set", sorted((_canonical(v) for v in value), key=repr))
    if isinstance(value, (tuple, list)):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, dict):
        return ("dict", sorted(((repr(_canonical(k)), _canonical(v)) for k, v in value.items()), key=repr))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = tuple((f.name, _canonical(getattr(value, f.name))) for f in dataclasses.fields(value))
        return (type(value).__qualname__, fields)
    return value


def module_targets(project: Project, module: ModuleFacts) -> list[str]:
    """The source modules `module` imports or re-exports from, resolved as `Project` resolves them."""
    out: list[str] = []
    python = module.language == "python"
    specs = [(b.source, b.imported) for b in module.imports]
    specs += [(r.source, r.imported) for r in module.reexports]
    for source, imported in specs:
        if python:
            dotted = f"{source}.{imported}" if source != "." else f".{imported}"
            for spec in (dotted, source):
                target = project.resolve(module.rel, spec, True)
                if target is not None:
                    out.append(target)
        else:
            target = project.resolve(module.rel, source)
            if target is not None:
                out.append(target)
    return out
