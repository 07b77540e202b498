"""The project pass's view of the cached per-file facts: module resolution and symbol lookup.

`Project` loads a file's `ModuleFacts` on first use through a callback (the workspace's content cache),
so only the files the routes actually reach are read. Import specifiers are resolved against the chosen
source files: relative paths, `tsconfig.json` `paths` aliases (`@/lib/http`), the usual `@/`/`~/` ->
`src/` convention when no tsconfig says otherwise, extension and `index` probing, and Python dotted
modules (absolute from the project or an app folder, or relative with dots).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from stage_lsp.code.expr import Expr, TypeExpr
from stage_lsp.code.facts import ClassFacts, FunctionFacts, ModuleFacts

TS_EXTS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
_JS_TO_TS = {".js": (".ts", ".tsx"), ".jsx": (".tsx",), ".mjs": (".mts",), ".cjs": (".cts",)}


@dataclass(frozen=True, slots=True)
class AliasRule:
    """A tsconfig `paths` entry, made relative to the project root: `@/*` -> `src/*`."""

    prefix: str  # the pattern before `*` ("@/"), or the whole pattern when exact
    targets: tuple[str, ...]  # root-relative target prefixes ("src/")
    exact: bool = False
    scope: str = ""  # the folder of the tsconfig that declares it ("" = whole project)


@dataclass(frozen=True, slots=True)
class Symbol:
    """What a name refers to: a constant/function, a class, a type, a module namespace or a package."""

    module: ModuleFacts
    name: str
    expr: Expr | None = None
    cls: ClassFacts | None = None
    type: TypeExpr | None = None
    namespace: ModuleFacts | None = None
    external: tuple[str, str] | None = None  # (package specifier, imported name)


class Project:
    def __init__(
        self,
        sources: Iterable[str],
        load: Callable[[str], ModuleFacts | None],
        aliases: tuple[AliasRule, ...] = (),
        note: Callable[[str, str | None], None] | None = None,
    ) -> None:
        self.sources = frozenset(sources)
        self._load = load
        self._note = note
        self._modules: dict[str, ModuleFacts | None] = {}
        self._noted: set[str] = set()
        self._resolved: dict[tuple[str, str], str | None] = {}
        self.aliases = aliases
        self.loaded_order: list[str] = []

    def module(self, rel: str) -> ModuleFacts | None:
        if rel not in self._modules:
            facts = self._load(rel) if rel in self.sources else None
            self._modules[rel] = facts
            if facts is not None and rel not in self._noted:
                self.loaded_order.append(rel)
        return self._modules[rel]

    def loaded(self, rel: str) -> ModuleFacts | None:
        """The facts of `rel` if the pass has loaded them (never loads)."""
        return self._modules.get(rel)

    def note(self, rel: str, problem: str | None) -> None:
        """Count `rel` as loaded without loading its facts (a route kept by the route memo loaded it
        when it was analysed; `problem` is its facts' problem then). `note`, given to the constructor,
        hears of it as `load` would have; the facts are loaded if something asks for them later."""
        if rel in self._modules or rel in self._noted:
            return
        self._noted.add(rel)
        self.loaded_order.append(rel)
        if self._note is not None:
            self._note(rel, problem)

    def function(self, module: ModuleFacts, fid: int) -> FunctionFacts | None:
        return module.functions.get(fid)

    # -- module resolution ------------------------------------------------------------------------

    def resolve(self, from_rel: str, spec: str, python: bool = False) -> str | None:
        key = (from_rel, spec)
        if key not in self._resolved:
            self._resolved[key] = (
                self._resolve_py(from_rel, spec) if python else self._resolve_ts(from_rel, spec)
            )
        return self._resolved[key]

    def _probe(self, base: str) -> str | None:
        base = posixpath.normpath(base)
        if base.startswith("..") or base.startswith("/"):
            return None
        if base == ".":
            base = ""
        sources = self.sources
        if base in sources:
            return base
        stem, ext = posixpath.splitext(base)
        for swapped in _JS_TO_TS.get(ext, ()):
            if stem + swapped in sources:
                return stem + swapped
        for e in TS_EXTS:
            if base + e in sources:
                return base + e
        prefix = base + "/" if base else ""
        for e in TS_EXTS:
            if prefix + "index" + e in sources:
                return prefix + "index" + e
        return None

    def _resolve_ts(self, from_rel: str, spec: str) -> str | None:
        if spec.startswith((".", "/")):
            return self._probe(posixpath.join(posixpath.dirname(from_rel), spec))
        for rule in self.aliases:
            if rule.scope and not from_rel.startswith(rule.scope + "/"):
                continue
            if rule.exact:
                if spec != rule.prefix:
                    continue
                rest = ""
            elif spec.startswith(rule.prefix):
                rest = spec[len(rule.prefix) :]
            else:
                continue
            for target in rule.targets:
                found = self._probe(target + rest)
                if found is not None:
                    return found
        if spec.startswith(("@/", "~/")):  # the common convention, when no tsconfig says otherwise
            cut = from_rel.rfind("src/")
            app = from_rel[:cut] if cut != -1 and (cut == 0 or from_rel[cut - 1] == "/") else ""
            for base in (app + "src/" + spec[2:], app + spec[2:]):
                found = self._probe(base)
                if found is not None:
                    return found
        return None

    def _resolve_py(self, from_rel: str, spec: str) -> str | None:
        if spec.startswith("."):
            dots = len(spec) - len(spec.lstrip("."))
            base = posixpath.dirname(from_rel)
            for _ in range(dots - 1):
                base = posixpath.dirname(base)
            rest = spec[dots:].replace(".", "/")
            return self._probe_py(posixpath.join(base, rest) if rest else base)
        path = spec.replace(".", "/")
        roots = [""]
        parts = from_rel.split("/")[:-1]
        roots.extend("/".join(parts[: i + 1]) for i in range(len(parts)))
        for root in roots:
            found = self._probe_py(posixpath.join(root, path) if root else path)
            if found is not None:
                return found
        return None

    def _probe_py(self, base: str) -> str | None:
        base = posixpath.normpath(base)
        for candidate in (base + ".py", base + "/__init__.py"):
            if candidate in self.sources:
                return candidate
        return None

    # -- symbols ------------------------------------------------------------------------------------

    def lookup(self, module: ModuleFacts, name: str, want_type: bool = False) -> Symbol | None:
        return self._lookup(module, name, want_type, set())

    def _lookup(
        self, module: ModuleFacts, name: str, want_type: bool, seen: set[tuple[str, str]]
    ) -> Symbol | None:
        if (module.rel, name) in seen or len(seen) > 40:
            return None
        seen.add((module.rel, name))
        if want_type:
            if name in module.types:
                return Symbol(module, name, type=module.types[name])
            if name in module.classes:
                return Symbol(module, name, cls=module.classes[name])
        else:
            if name in module.classes:
                return Symbol(module, name, cls=module.classes[name])
            if name in module.consts:
                return Symbol(module, name, expr=module.consts[name])
        for binding in module.imports:
            if binding.local == name:
                return self._follow(module, binding.source, binding.imported, want_type, seen)
        return None

    def _follow(
        self, module: ModuleFacts, source: str, imported: str, want_type: bool, seen: set[tuple[str, str]]
    ) -> Symbol | None:
        python = module.language == "python"
        if python:
            target = self.resolve(
                module.rel, f"{source}.{imported}" if source != "." else f".{imported}", True
            )
            if target is not None and imported != "*":
                facts = self.module(target)
                if facts is not None:
                    return Symbol(facts, imported, namespace=facts)
            target = self.resolve(module.rel, source, True)
        else:
            target = self.resolve(module.rel, source)
        if target is None:
            return Symbol(module, imported, external=(source, imported))
        facts = self.module(target)
        if facts is None:
            return Symbol(module, imported, external=(source, imported))
        if imported == "*":
            return Symbol(facts, "*", namespace=facts)
        return self.export(facts, imported, want_type, seen)

    def export(
        self,
        module: ModuleFacts,
        name: str,
        want_type: bool = False,
        seen: set[tuple[str, str]] | None = None,
    ) -> Symbol | None:
        seen = seen if seen is not None else set()
        if module.language == "python":
            return self._lookup(module, name, want_type, seen)
        local = module.exports.get(name)
        if local is not None:
            found = self._lookup(module, local, want_type, seen)
            if found is not None:
                return found
        for r in module.reexports:
            if r.exported == name:
                return self._follow(module, r.source, r.imported, want_type, seen)
        for r in module.reexports:
            if r.exported == "*":
                target = self.resolve(module.rel, r.source)
                facts = self.module(target) if target else None
                if facts is not None and (facts.rel, "*" + name) not in seen:
                    seen.add((facts.rel, "*" + name))
                    found = self.export(facts, name, want_type, seen)
                    if found is not None:
                        return found
        # `export type X = ...` / `export interface X` are exported declarations too
        if want_type and name in module.types and name in module.exports:
            return Symbol(module, name, type=module.types[name])
        return None
