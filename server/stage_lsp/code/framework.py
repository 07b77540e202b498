"""Which web framework serves the project's API, from package.json, config files and folders."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from stage_lsp.config.discovery import FileSet
from stage_lsp.config.settings import Settings


@dataclass(frozen=True)
class FrameworkGuess:
    name: str
    reason: str


_DEPENDENCY_FRAMEWORKS = (
    ("astro", "astro"),
    ("next", "next-app"),
    ("hono", "hono"),
    ("@nestjs/core", "nestjs"),
    ("express", "express"),
)


def detect_framework(root: Path, settings: Settings, files: FileSet) -> FrameworkGuess:
    if settings.framework != "auto":
        return FrameworkGuess(settings.framework, "set by `framework` in the config")
    candidates = sorted(root.glob("package.json")) + sorted(root.glob("*/package.json"))
    for pkg in candidates:
        try:
            data = json.loads(pkg.read_text(encoding="utf-8", errors="replace"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict):
            continue
        deps: dict[str, object] = {}
        for key in ("dependencies", "devDependencies"):
            section = data.get(key)
            if isinstance(section, dict):
                deps.update(section)
        for dep, name in _DEPENDENCY_FRAMEWORKS:
            if dep in deps:
                rel = pkg.relative_to(root).as_posix()
                return FrameworkGuess(name, f"`{dep}` in {rel}")
    if any("src/pages/api/" in "/" + s for s in files.sources):
        return FrameworkGuess("astro", "src/pages/api folder")
    return FrameworkGuess("none", "no package.json with a supported framework and no route folders")
