"""Assemble the project's CodeModel from the cached per-file results.

`assemble_code` runs the route pass (`code.index.RoutePass`) over facts read through `facts` (the
workspace's content cache) and packs it with the migrations' final schema and the generated database types.
The types' tables also resolve `Tables<"x">` / `Database["public"]["Tables"]["x"]["Row"]` in DTO types;
without them such field sets are incomplete.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from stage_lsp.code.db_types import TypesFile
from stage_lsp.code.facts import ModuleFacts
from stage_lsp.code.fields import TypesTables
from stage_lsp.code.framework import FrameworkGuess
from stage_lsp.code.index import RouteIndex, RoutePass, prerender_of
from stage_lsp.code.layout import read_aliases
from stage_lsp.code.model import CodeModel, CodeStatus
from stage_lsp.code.project import AliasRule, Project
from stage_lsp.code.replay import Schema
from stage_lsp.code.route_memo import RouteMemo
from stage_lsp.core.issue import ReaderIssue
from stage_lsp.core.location import Location, Range

CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")


class _BySources:
    """What depends on the list of source files only (config candidates, Astro configs, middleware
    files), kept for the last list seen: the language server reassembles on every keystroke, with the
    same files."""

    def __init__(self) -> None:
        self.sources: list[str] | None = None
        self.configs: list[str] = []
        self.astro_configs: list[str] = []
        self.middleware: list[str] = []

    def of(self, sources: list[str]) -> _BySources:
        if self.sources is None or self.sources != sources:
            self.configs = config_candidates(sources)
            self.astro_configs = sorted(
                (s for s in sources if s.rpartition("/")[2].startswith("astro.config.")), key=len
            )
            self.middleware = [rel for rel in sources if _MIDDLEWARE_FILE.search(rel) or rel.endswith(".py")]
            self.sources = list(sources)
        return self


_BY_SOURCES = _BySources()


def config_candidates(sources: Iterable[str]) -> list[str]:
    """tsconfig/jsconfig files that may sit beside the sources (root and app folders)."""
    dirs = {""}
    for rel in sources:
        parts = rel.split("/")[:-1]  # sources are normalised `/`-separated relative paths
        for depth in (1, 2):
            if len(parts) >= depth:
                dirs.add("/".join(parts[:depth]))
    return [f"{d}/{name}" if d else name for d in sorted(dirs) for name in CONFIG_NAMES]


def assemble_code(
    guess: FrameworkGuess,
    sources: list[str],
    facts: Callable[[str], ModuleFacts | None],
    text: Callable[[str], str],
    read_config: Callable[[str], str | None],
    extra_issues: Iterable[ReaderIssue] = (),
    schema: Schema | None = None,
    types: TypesFile | None = None,
    route_memo: RouteMemo | None = None,
    route_pass: RoutePass | None = None,
) -> CodeModel:
    """The code model. `route_pass` is a pass `start_routes` began with the same arguments (the CLI
    analyses route files while it still reads others); without it, the pass runs here in one go."""
    issues: list[ReaderIssue] = list(extra_issues)
    schema = schema or Schema()
    issues.extend(schema.issues)
    types_entries = types.tables if types is not None else None
    types_tables = _types_tables(types)
    derived = _BY_SOURCES.of(sources)
    if route_pass is None:
        route_pass = start_routes(guess, sources, facts, text, read_config, types, route_memo)
    index = route_pass.finish()
    astro_output, prerender = _astro_rendering(derived.astro_configs, facts, read_config, index)
    return CodeModel(
        middleware_statuses=middleware_statuses(derived.middleware, text, guess.names),
        astro_output=astro_output,
        prerender_exports=prerender,
        framework=guess.name,
        framework_reason=guess.reason,
        frameworks=guess.all,
        found_instead=guess.found_instead,
        routes=tuple(index.routes),
        route_files=tuple(index.route_files),
        issues=tuple(issues),
        tables=schema.tables,
        views=tuple(v.name for v in schema.views),
        enums=tuple((e.name, e.values) for e in schema.enums),
        migrations=schema.migrations,
        schema_enums=schema.enums,
        schema_views=schema.views,
        types_tables=types_tables,
        types_file=types.file if types is not None else None,
        types_entries=types_entries or (),
    )


def start_routes(
    guess: FrameworkGuess,
    sources: list[str],
    facts: Callable[[str], ModuleFacts | None],
    text: Callable[[str], str],
    read_config: Callable[[str], str | None],
    types: TypesFile | None = None,
    route_memo: RouteMemo | None = None,
) -> RoutePass:
    """The route pass of `assemble_code`, not run yet (`RoutePass.step` / `finish`)."""
    aliases = project_aliases(sources, read_config)
    return RoutePass(sources, guess, facts, text, aliases, _types_tables(types), memo=route_memo)


def _types_tables(types: TypesFile | None) -> TypesTables:
    if types is None or types.tables is None:
        return None
    return tuple((t.name, t.columns) for t in types.tables)


def project_aliases(sources: list[str], read_config: Callable[[str], str | None]) -> tuple[AliasRule, ...]:
    """The tsconfig/jsconfig `paths` aliases of the project whose source files are `sources`."""
    configs = _BY_SOURCES.of(sources).configs
    return read_aliases([c for c in configs if read_config(c) is not None], read_config)


def import_targets(
    modules: Iterable[ModuleFacts], sources: list[str], read_config: Callable[[str], str | None]
) -> list[str]:
    """The project files `modules` import or re-export from, resolved as the route pass resolves them.

    A prediction of what the route pass reads next (the CLI reads those files ahead, in parallel): the
    pass itself follows only the names it evaluates, so some of these may never be read, and nothing
    depends on the prediction being exact.
    """
    project = Project(sources, lambda rel: None, project_aliases(sources, read_config))
    found: list[str] = []
    for module in modules:
        python = module.language == "python"
        edges = [(b.source, b.imported) for b in module.imports]
        edges += [(r.source, r.imported) for r in module.reexports]
        for source, imported in edges:
            targets: tuple[str | None, ...]
            if python:  # `from pkg import mod` may name a module, else a name in pkg
                dotted = f"{source}.{imported}" if source != "." else f".{imported}"
                targets = (
                    project.resolve(module.rel, dotted, True),
                    project.resolve(module.rel, source, True),
                )
            else:
                targets = (project.resolve(module.rel, source),)
            found.extend(t for t in targets if t is not None)
    return list(dict.fromkeys(found))


_OUTPUT = re.compile(r"""\boutput\s*:\s*["'](\w+)["']""")


def _astro_rendering(
    configs: list[str],
    facts: Callable[[str], ModuleFacts | None],
    read_config: Callable[[str], str | None],
    index: RouteIndex,
) -> tuple[str | None, tuple[tuple[str, str | None], ...]]:
    """The Astro site's output mode (from the first of `configs`, the astro.config files shortest path
    first) and each route file's `export const prerender = ...` literal (`code.index.prerender_of`, as
    the route pass recorded it for file-system route files)."""
    output: str | None = None
    for rel in configs:
        text = read_config(rel)
        if text is not None:
            m = _OUTPUT.search(text)
            output = m.group(1) if m else "static"  # Astro 5's default
            break
    exports: list[tuple[str, str | None]] = []
    for rel in index.route_files:
        if "/pages/" not in "/" + rel:
            continue
        if rel in index.prerender:
            exports.append((rel, index.prerender[rel]))
            continue
        mf = facts(rel)
        if mf is not None:
            exports.append((rel, prerender_of(mf)))
    return output, tuple(exports)


# Code that answers before or around every handler: Astro and Next.js middleware, FastAPI exception
# handlers and middleware. A status written there is produced for the routes even if no handler returns it.
_MIDDLEWARE_FILE = re.compile(r"(^|/)(src/)?middleware(\.[cm]?[jt]s|/index\.[cm]?[jt]s)$")
_FASTAPI_HOOK = re.compile(r"\.(add_exception_handler|exception_handler|add_middleware|middleware)\s*\(")
_STATUS_LITERAL = re.compile(
    r"\bstatus(?:_code)?\s*[:=]\s*(?:status\.HTTP_)?([1-5]\d\d)\b|\bstatus\.HTTP_([1-5]\d\d)_|\.status\(([1-5]\d\d)\)"
)


def middleware_statuses(
    sources: list[str], text: Callable[[str], str], frameworks: Iterable[str]
) -> tuple[CodeStatus, ...]:
    found: dict[int, CodeStatus] = {}
    names = set(frameworks)
    for rel in sources:
        is_python = rel.endswith(".py")
        if not (_MIDDLEWARE_FILE.search(rel) or (is_python and "fastapi" in names)):
            continue
        body = text(rel)
        if is_python and not _FASTAPI_HOOK.search(body):
            continue
        for n, line in enumerate(body.split("\n")):
            for m in _STATUS_LITERAL.finditer(line):
                code = int(next(g for g in m.groups() if g))
                col = m.start()
                found.setdefault(code, CodeStatus(code, Location(rel, Range(n, col, n, m.end()))))
    if "fastapi" in names and 422 not in found:  # request validation errors answered by the framework
        found[422] = CodeStatus(422, Location("", Range(0, 0, 0, 0)))
    return tuple(sorted(found.values(), key=lambda s: s.code))
