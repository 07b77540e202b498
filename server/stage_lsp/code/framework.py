"""Which web frameworks serve the project's API, from package.json, config files and folders.

Several can be present at once (Astro pages plus Supabase Edge Functions, an Astro front end plus a
FastAPI back end): each is reported with its reason, the first is the primary one. `framework` in the
config overrides detection. With no supported framework, `found_instead` names what the project has
(a Spring Boot or .NET back end, a React SPA, ...) so one info finding can say so.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from stage_lsp.code.astro import route_path as astro_route_path
from stage_lsp.config.discovery import SKIP_DIRS, FileSet
from stage_lsp.config.settings import Settings
from stage_lsp.core.source import inside, read_source

ORDER = ("astro", "next-app", "next-pages", "hono", "express", "nestjs", "fastapi", "supabase-edge")


@dataclass(frozen=True)
class FrameworkGuess:
    name: str
    reason: str
    all: tuple[tuple[str, str], ...] = ()  # every framework found, (name, reason), primary first
    found_instead: tuple[str, ...] = ()  # with no supported framework: what the project has instead

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n, _ in self.all) or ((self.name,) if self.name != "none" else ())


_DEPENDENCY_FRAMEWORKS = (
    ("astro", "astro"),
    ("next", "next"),
    ("hono", "hono"),
    ("@nestjs/core", "nestjs"),
    ("express", "express"),
)
_OTHER_BACKENDS = (
    ("pom.xml", "a Java back end (pom.xml)"),
    ("build.gradle", "a JVM back end (build.gradle)"),
    ("build.gradle.kts", "a JVM back end (build.gradle.kts)"),
    ("manage.py", "a Django back end (manage.py)"),
    ("go.mod", "a Go back end (go.mod)"),
    ("Cargo.toml", "a Rust project (Cargo.toml)"),
    ("composer.json", "a PHP project (composer.json)"),
    ("Gemfile", "a Ruby project (Gemfile)"),
    ("pubspec.yaml", "a Flutter/Dart app (pubspec.yaml)"),
)
_FRONT_ENDS = (
    ("react-router", "a React Router app"),
    ("react-router-dom", "a React Router app"),
    ("vue", "a Vue app"),
    ("svelte", "a Svelte app"),
    ("@angular/core", "an Angular app"),
    ("react", "a React app"),
)


_PYTHON_MANIFESTS = ("requirements.txt", "pyproject.toml", "Pipfile")
_DOTNET_SUFFIXES = (".csproj", ".sln")


def detection_inputs(root: Path) -> list[Path]:
    """The files `detect_framework` looks at besides the chosen sources, present or not: the manifests
    it probes in every app folder and the .NET project files there. They may lie where discovery does not
    walk (an ignored folder), so the CLI's whole-check result cache (`cli.result_cache`) stats them; keep
    this in step with `detect_framework`."""
    names = ("package.json", *_PYTHON_MANIFESTS, *(name for name, _ in _OTHER_BACKENDS))
    found: list[Path] = []
    for d in _app_dirs(root):
        found.extend(d / name for name in names)
        try:
            found.extend(sorted(p for p in d.iterdir() if p.suffix in _DOTNET_SUFFIXES))
        except OSError:
            continue
    return found


def _app_dirs(root: Path) -> Iterator[Path]:
    """The root and folders up to two levels down (monorepo apps), skipping dependencies and builds."""
    yield root
    try:
        level1 = sorted(
            p
            for p in root.iterdir()
            if _plain_dir(p) and p.name not in SKIP_DIRS and not p.name.startswith(".")
        )
    except OSError:
        return
    for d in level1:
        yield d
        try:
            level2 = sorted(
                p
                for p in d.iterdir()
                if _plain_dir(p) and p.name not in SKIP_DIRS and not p.name.startswith(".")
            )
        except OSError:
            continue
        yield from level2


def _plain_dir(path: Path) -> bool:
    """A real folder (a symlinked one may lead out of the project: it is not followed, like discovery)."""
    return path.is_dir() and not path.is_symlink()


def _is_file(root: Path, path: Path) -> bool:
    """A file of the project: links out of it do not count."""
    return path.is_file() and inside(root, path)


def _text(root: Path, path: Path) -> str:
    """A project file's text through the safe reader (inside the root, size-capped, decoded)."""
    return read_source(root, path.relative_to(root).as_posix()).text


def _read_json(root: Path, path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(_text(root, path))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _deps(data: dict[str, object]) -> dict[str, object]:
    deps: dict[str, object] = {}
    for key in ("dependencies", "devDependencies", "peerDependencies"):
        section = data.get(key)
        if isinstance(section, dict):
            deps.update(section)
    return deps


def _mentions(root: Path, path: Path, word: str) -> bool:
    return word in _text(root, path).lower()


def detect_framework(root: Path, settings: Settings, files: FileSet) -> FrameworkGuess:
    if settings.framework != "auto":
        reason = "set by `framework` in the config"
        return FrameworkGuess(settings.framework, reason, ((settings.framework, reason),))
    found: dict[str, str] = {}
    front_ends: list[str] = []
    instead: list[str] = []
    dirs = list(_app_dirs(root))
    for d in dirs:
        rel_dir = d.relative_to(root).as_posix()
        where = f"{rel_dir}/" if rel_dir != "." else ""
        pkg = d / "package.json"
        if _is_file(root, pkg):
            data = _read_json(root, pkg)
            deps = _deps(data) if data is not None else {}
            for dep, name in _DEPENDENCY_FRAMEWORKS:
                if dep in deps:
                    found.setdefault(name, f"`{dep}` in {where}package.json")
            for dep, label in _FRONT_ENDS:
                if dep in deps and label not in front_ends:
                    front_ends.append(label)
        for fname in _PYTHON_MANIFESTS:
            if _is_file(root, d / fname) and _mentions(root, d / fname, "fastapi"):
                found.setdefault("fastapi", f"`fastapi` in {where}{fname}")
        for fname, label in _OTHER_BACKENDS:
            if _is_file(root, d / fname) and label not in instead:
                instead.append(label)
        try:
            if any(p.suffix in _DOTNET_SUFFIXES for p in d.iterdir()) and "a .NET back end" not in instead:
                instead.append("a .NET back end")
        except OSError:
            pass
    sources = files.sources
    has_astro_dir = any(astro_route_path(s) is not None for s in sources)
    has_next_app = any(_is_next_route(s) for s in sources)
    has_pages_api = any("pages/api/" in "/" + s for s in sources)
    if has_astro_dir and "astro" not in found and "next" not in found:
        found["astro"] = "src/pages/api folder"
    if "next" in found:
        reason = found.pop("next")
        if has_next_app or not has_pages_api:
            found["next-app"] = reason + (" and app/**/route.ts files" if has_next_app else "")
        if has_pages_api and "astro" not in found:
            found["next-pages"] = reason + " and a pages/api folder"
    elif has_next_app and "astro" not in found:
        found["next-app"] = "app/**/route.ts files"
    if any(_is_edge(s) for s in sources):
        found["supabase-edge"] = "supabase/functions/*/index.ts"
    if "fastapi" not in found and any(s.endswith(".py") for s in sources):
        for s in sources:
            if s.endswith(("main.py", "app.py")) and _mentions(root, root / s, "fastapi"):
                found["fastapi"] = f"FastAPI app in {s}"
                break
    ordered = tuple((n, found[n]) for n in ORDER if n in found)
    if not ordered:
        return FrameworkGuess(
            "none",
            "no package.json with a supported framework and no route folders",
            (),
            tuple(instead + front_ends),
        )
    return FrameworkGuess(ordered[0][0], ordered[0][1], ordered)


def _is_next_route(rel: str) -> bool:
    parts = rel.split("/")
    return parts[-1].startswith("route.") and "app" in parts[:-1]


def _is_edge(rel: str) -> bool:
    parts = rel.split("/")
    return (
        len(parts) >= 4
        and parts[-1].startswith("index.")
        and parts[-3] == "functions"
        and parts[-4] == "supabase"
        and not parts[-2].startswith("_")
    )
