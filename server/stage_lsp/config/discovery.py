"""Which files of a project are plans, sources, migrations and generated types, and why.

Plans are taken from the config when set (paths or globs), else discovered by name:
`api-plan.md`, `api_plan.md`, `plan-api.md` (API); `db-plan.md`, `db_plan.md`, `plan-db.md` (DB);
`stages-plan.md`, `phases-plan.md` (stages); `prd.md`. Never plans: `.gitignore`d paths, dependency and
build folders, prompt/command templates (`.github/prompts`, `.claude`, `.cursor`, `.prompts`,
`*.prompt.md`). Preference: `.ai/` > `ai/` > `.docs/`/`docs/` > elsewhere; archive-like folders only when
nothing else exists; then the shortest path. One candidate per kind is used; the others are listed in
`FileSet.shadowed` so an info diagnostic (SL005) can name the one used. A supplementary spec
(`auth-spec.md`, same preference) is found the same way: the endpoints it names count as planned.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pathspec

from stage_lsp.config.settings import Settings
from stage_lsp.core.source import read_source

# Folders never walked: dependencies, build output, caches, VCS.
SKIP_DIRS = frozenset(
    {
        ".git",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        "dist",
        "build",
        "out",
        ".next",
        ".astro",
        ".vercel",
        ".netlify",
        ".output",
        ".svelte-kit",
        ".turbo",
        "coverage",
        ".stage-lsp-cache",
        ".cache",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "target",
        ".idea",
        ".vscode",
        "bower_components",
    }
)
# Folders whose markdown is a prompt or command template, never a plan.
TEMPLATE_DIRS = ((".github", "prompts"), (".claude",), (".cursor",), (".prompts",), (".windsurf",))
ARCHIVE_WORDS = re.compile(
    r"(^|[-_.])(archive|archived|old|backup|bak|deprecated|legacy|obsolete)([-_.]|$)", re.I
)

PLAN_NAMES: dict[str, tuple[str, ...]] = {
    "api": ("api-plan.md", "api_plan.md", "plan-api.md", "plan_api.md"),
    "db": ("db-plan.md", "db_plan.md", "plan-db.md", "plan_db.md"),
    "stage": ("stages-plan.md", "stages_plan.md", "stage-plan.md", "phases-plan.md", "phases_plan.md"),
    "prd": ("prd.md",),
}
PLAN_KINDS = tuple(PLAN_NAMES)
# Supplementary specs: the endpoints they name count as planned (see plan.spec_endpoints).
SPEC_NAMES = ("auth-spec.md", "auth_spec.md")
SETTING_FOR_KIND = {"api": "api-plans", "db": "db-plans", "stage": "stage-plans", "prd": "prd"}
SOURCE_SUFFIXES = frozenset({".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".py"})
MAX_WALK_FILES = 200_000


@dataclass(frozen=True)
class Shadowed:
    """A plan candidate that was not used because another copy was preferred."""

    file: str
    kind: str
    used: str


@dataclass
class FileSet:
    """Relative, `/`-separated paths of the files the checker reads, with the reason each was chosen."""

    plans: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in PLAN_KINDS})
    shadowed: list[Shadowed] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    migrations: list[str] = field(default_factory=list)
    types: str | None = None
    rules_files: list[str] = field(default_factory=list)
    spec_files: list[str] = field(default_factory=list)  # supplementary specs (auth-spec.md)
    reasons: dict[str, str] = field(default_factory=dict)
    truncated: bool = False
    walked: list[str] = field(default_factory=list)  # every file the walk yielded, chosen or not, in order

    @property
    def all_plans(self) -> list[str]:
        return [p for kind in PLAN_KINDS for p in self.plans[kind]]

    def scanned_for_secrets(self) -> list[str]:
        """The files the secret scan reads: every source, migration and plan."""
        return [*self.sources, *self.migrations, *self.all_plans]

    def kind_of(self, rel: str) -> str | None:
        for kind in PLAN_KINDS:
            if rel in self.plans[kind]:
                return kind
        if rel in self.migrations:
            return "migration"
        if rel == self.types:
            return "types"
        if rel in self.rules_files:
            return "rules"
        if rel in self.spec_files:
            return "spec"
        if rel in self.sources:
            return "source"
        return None


class IgnoreMatcher:
    """`.gitignore` files (root and nested) plus the config's `exclude` globs."""

    def __init__(self, root: Path, exclude: Iterable[str]) -> None:
        self._root = root
        self._specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []
        excl = list(exclude)
        if excl:
            self._specs.append(("", pathspec.GitIgnoreSpec.from_lines(excl)))
        self._add_gitignore("")

    def _add_gitignore(self, rel_dir: str) -> None:
        rel = f"{rel_dir}/.gitignore" if rel_dir else ".gitignore"
        src = read_source(self._root, rel)  # a link out of the project is not followed; size-capped
        if src.problem and not src.text:
            return
        lines = src.text.splitlines()
        self._specs.append((rel_dir, pathspec.GitIgnoreSpec.from_lines(lines)))

    def enter(self, rel_dir: str) -> None:
        if rel_dir:
            self._add_gitignore(rel_dir)

    def ignored(self, rel: str, is_dir: bool) -> bool:
        for base, spec in self._specs:
            if base:
                if not rel.startswith(base + "/"):
                    continue
                sub = rel[len(base) + 1 :]
            else:
                sub = rel
            if spec.match_file(sub + "/" if is_dir else sub):
                return True
        return False


def walk(root: Path, exclude: Iterable[str] = ()) -> Iterator[str]:
    """Relative paths of the project's files, skipping ignored folders; symlinks are not followed."""
    matcher = IgnoreMatcher(root, exclude)
    count = 0
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        try:
            entries = sorted(
                os.scandir(root / rel_dir) if rel_dir else os.scandir(root), key=lambda e: e.name
            )
        except OSError:
            continue
        if any(e.name == ".gitignore" for e in entries):  # most folders have none: no read attempted
            matcher.enter(rel_dir)
        subdirs: list[str] = []
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                if entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if entry.name in SKIP_DIRS or matcher.ignored(rel, True):
                        continue
                    subdirs.append(rel)
                elif entry.is_file(follow_symlinks=False):
                    if matcher.ignored(rel, False):
                        continue
                    count += 1
                    if count > MAX_WALK_FILES:
                        return
                    yield rel
            except OSError:
                continue
        stack.extend(reversed(subdirs))


def is_template_path(rel: str) -> bool:
    parts = PurePosixPath(rel).parts
    if rel.endswith(".prompt.md"):
        return True
    for template in TEMPLATE_DIRS:
        n = len(template)
        for i in range(len(parts) - n):
            if tuple(parts[i : i + n]) == template:
                return True
    return False


def _is_archive(rel: str) -> bool:
    return any(ARCHIVE_WORDS.search(part) for part in PurePosixPath(rel).parts[:-1])


def preference(rel: str) -> tuple[int, int, int, str]:
    """Sort key: lower is preferred."""
    parts = PurePosixPath(rel).parts
    top = parts[0] if len(parts) > 1 else ""
    rank = {".ai": 0, "ai": 1, ".docs": 2, "docs": 2}.get(top, 3)
    return (10 if _is_archive(rel) else 0) + rank, len(parts), len(rel), rel


def _name(rel: str) -> str:
    """The last part of a walked path (`PurePosixPath(rel).name`, without building a path: discovery
    looks at every file of the project)."""
    return rel[rel.rfind("/") + 1 :]


def _suffix(name: str) -> str:
    """`PurePosixPath(name).suffix`, the same way."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def plan_kind(rel: str) -> str | None:
    name = _name(rel).lower()
    for kind, names in PLAN_NAMES.items():
        if name in names:
            return kind
    return None


def discover(root: Path, settings: Settings) -> FileSet:
    files = FileSet()
    all_files = list(walk(root, settings.exclude))
    files.truncated = len(all_files) >= MAX_WALK_FILES
    files.walked = all_files
    configured = {
        "api": settings.api_plans,
        "db": settings.db_plans,
        "stage": settings.stage_plans,
        "prd": settings.prd,
    }
    candidates: dict[str, list[str]] = {k: [] for k in PLAN_KINDS}
    specs = {k: pathspec.GitIgnoreSpec.from_lines(p) for k, p in configured.items() if p is not None}
    for rel in all_files:
        if not rel.lower().endswith(".md"):
            continue
        for kind, spec in specs.items():
            if spec.match_file(rel):
                candidates[kind].append(rel)
                files.reasons[rel] = f"{kind} plan: matches `{SETTING_FOR_KIND[kind]}` in the config"
    for rel in all_files:
        found_kind = plan_kind(rel)
        if found_kind is None or configured[found_kind] is not None or is_template_path(rel):
            continue
        candidates[found_kind].append(rel)
    for kind in PLAN_KINDS:
        found = candidates[kind]
        if not found:
            continue
        if configured[kind] is not None:
            files.plans[kind] = sorted(found)
            continue
        ranked = sorted(found, key=preference)
        used = ranked[0]
        files.plans[kind] = [used]
        others = len(ranked) - 1
        files.reasons[used] = f"{kind} plan: found by name" + (
            f"; preferred over {others} other cop{'y' if others == 1 else 'ies'}" if others else ""
        )
        for other in ranked[1:]:
            files.shadowed.append(Shadowed(other, kind, used))
            files.reasons[other] = f"not used: another {kind} plan is preferred ({used})"
    _discover_spec(all_files, files)
    _discover_code(root, settings, all_files, files)
    return files


def _discover_spec(all_files: list[str], files: FileSet) -> None:
    """The preferred `auth-spec.md` that is not already a configured plan."""
    plan_set = set(files.all_plans)
    found = [
        rel
        for rel in all_files
        if _name(rel).lower() in SPEC_NAMES and rel not in plan_set and not is_template_path(rel)
    ]
    if found:
        used = min(found, key=preference)
        files.spec_files.append(used)
        files.reasons[used] = "spec: found by name; the endpoints it names count as planned"


def _discover_code(root: Path, settings: Settings, all_files: list[str], files: FileSet) -> None:
    plan_set = set(files.all_plans) | set(files.spec_files)
    source_roots = settings.sources
    for rel in all_files:
        if rel in plan_set:
            continue
        lower = rel.lower()
        name = _name(lower)
        suffix = _suffix(name)
        if lower.endswith(".mdc") and "/.cursor/rules/" in "/" + lower:
            files.rules_files.append(rel)
            files.reasons[rel] = "project rules file (.cursor/rules)"
            continue
        if suffix == ".sql":
            parent = rel[: rel.rfind("/")] if "/" in rel else "."
            if settings.migrations is not None:
                if parent == settings.migrations.strip("/"):
                    files.migrations.append(rel)
                    files.reasons[rel] = "migration: in `migrations` from the config"
            elif parent == "supabase/migrations" or parent.endswith("/supabase/migrations"):
                files.migrations.append(rel)
                files.reasons[rel] = "migration: supabase/migrations"
            continue
        if suffix not in SOURCE_SUFFIXES:
            continue
        if source_roots is not None and not any(
            rel == r.strip("/") or rel.startswith(r.strip("/") + "/") for r in source_roots
        ):
            continue
        files.sources.append(rel)
        if (
            settings.types is None
            and name in ("database.types.ts", "database-types.ts")
            and (files.types is None or preference(rel) < preference(files.types))
        ):
            files.types = rel
    if settings.types is not None:
        files.types = settings.types.strip("/")
    if files.types:
        files.reasons[files.types] = "generated database types" + (
            " (from the config)" if settings.types else ""
        )
    for rel in files.sources:
        files.reasons.setdefault(rel, "source")
