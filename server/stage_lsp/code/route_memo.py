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
files, the route's path and framework and the content digest of every module of the import closure: a
warm check re-analyses only the route files whose closure changed.

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


class RouteMemo:
    def __init__(
        self,
        facts: Callable[[str], ModuleFacts | None],
        digest: Callable[[str], str] | None = None,
        store: Callable[[], Any] | None = None,
    ) -> None:
        """`facts` reads a module's facts from the workspace cache without counting it as loaded by the
        pass; it must return the same object while a file's content is unchanged (a new one when it
        changed). `digest` is a file's content digest and `store` returns the persistent store to use
        (`get(reader, rel, key)` / `put(reader, rel, key, value)`) or None; both are needed to keep
        entries between runs."""
        self._facts = facts
        self._digest = digest
        self._store = store
        self._inputs_digest = ""
        self._disk_keys: dict[str, str] = {}  # rel -> the persistent key of its last `get` in this pass
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
        self._disk_keys.clear()
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

    def _disk_key(self, rel: str, key: Hashable) -> str:
        extra, modules = cast(tuple[tuple[Hashable, ...], tuple[tuple[str, Any], ...]], key)
        assert self._digest is not None
        parts = [self._inputs_digest, repr(extra)]
        parts += [f"{m}\0{self._digest(m) if f is not None else '-'}" for m, f in modules]
        digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
        self._disk_keys[rel] = digest
        return digest

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

    def get(self, project: Project, rel: str, key: Hashable) -> list[Route] | None:
        entry = self._entries.get(rel)
        if entry is None or entry.key is not key:  # `key` returns the entry's own key when it still holds
            store = self._persistent()
            stored = store.get("route-memo", rel, self._disk_key(rel, key)) if store is not None else None
            if not (
                isinstance(stored, tuple)
                and len(stored) == 2
                and all(isinstance(r, Route) for r in stored[0])
            ):
                self.misses += 1
                return None
            entry = self._entries[rel] = _Entry(key, stored[0], stored[1])
        self.hits += 1
        for loaded in entry.loaded:
            project.module(loaded)
        return list(entry.routes)

    def put(self, rel: str, key: Hashable, routes: list[Route], loaded: list[str]) -> None:
        entry = self._entries[rel] = _Entry(key, tuple(routes), tuple(loaded))
        store = self._persistent()
        _, modules = cast(tuple[tuple[Hashable, ...], tuple[tuple[str, Any], ...]], key)
        # Only an analysis over real facts is kept (not one over the stand-ins of deferred reads).
        if store is not None and all(f is None or isinstance(f, ModuleFacts) for _, f in modules):
            disk_key = self._disk_keys.get(rel) or self._disk_key(rel, key)
            store.put("route-memo", rel, disk_key, (entry.routes, entry.loaded))


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
