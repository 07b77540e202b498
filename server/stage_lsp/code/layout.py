"""Import aliases from `tsconfig.json` / `jsconfig.json` `compilerOptions.paths` (JSON with comments).

`{"baseUrl": ".", "paths": {"@/*": ["./src/*"]}}` in `web/tsconfig.json` becomes the rule `@/` ->
`web/src/`, scoped to files under `web/`. One level of `extends` is followed for relative paths.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable

from stage_lsp.code.project import AliasRule

_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_STRING_OR_LINE_COMMENT = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*')


def _jsonc(text: str) -> dict[str, object] | None:
    text = _BLOCK_COMMENT.sub("", text)
    text = _STRING_OR_LINE_COMMENT.sub(lambda m: m.group(0) if m.group(0).startswith('"') else "", text)
    text = _TRAILING_COMMA.sub(r"\1", text)
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _options(read: Callable[[str], str | None], rel: str, depth: int = 0) -> tuple[str, dict[str, object]]:
    """(directory whose paths are relative, compilerOptions) with `extends` merged under."""
    text = read(rel)
    data = _jsonc(text) if text else None
    base_dir = posixpath.dirname(rel)
    if data is None:
        return base_dir, {}
    opts = data.get("compilerOptions")
    options: dict[str, object] = dict(opts) if isinstance(opts, dict) else {}
    extends = data.get("extends")
    if isinstance(extends, str) and extends.startswith(".") and depth < 2:
        parent = posixpath.normpath(posixpath.join(base_dir, extends))
        if not parent.endswith(".json"):
            parent += ".json"
        parent_dir, parent_opts = _options(read, parent, depth + 1)
        if "paths" not in options and "paths" in parent_opts:
            options["paths"] = parent_opts["paths"]
            options.setdefault(
                "baseUrl",
                posixpath.relpath(
                    posixpath.join(parent_dir, str(parent_opts.get("baseUrl", "."))), base_dir or "."
                ),
            )
    return base_dir, options


def read_aliases(config_files: list[str], read: Callable[[str], str | None]) -> tuple[AliasRule, ...]:
    rules: list[AliasRule] = []
    for rel in config_files:
        base_dir, options = _options(read, rel)
        paths = options.get("paths")
        if not isinstance(paths, dict):
            continue
        base_url = options.get("baseUrl", ".")
        root = posixpath.normpath(posixpath.join(base_dir, base_url if isinstance(base_url, str) else "."))
        root = "" if root == "." else root
        for pattern, targets in paths.items():
            if not isinstance(targets, list):
                continue
            exact = not pattern.endswith("*")
            prefix = pattern[:-1] if not exact else pattern
            resolved = []
            for target in targets:
                if isinstance(target, str):
                    resolved.append(_target(root, target, exact))
            rules.append(AliasRule(prefix, tuple(resolved), exact, base_dir))
    # longer prefixes first, so `@/lib/*` wins over `@/*`
    return tuple(sorted(rules, key=lambda r: -len(r.prefix)))


def _target(root: str, target: str, exact: bool) -> str:
    if exact or not target.endswith("*"):
        joined = posixpath.normpath(posixpath.join(root, target))
        return "" if joined == "." else joined
    stem = target[:-1]
    if stem == "" or stem.endswith("/"):
        folder = posixpath.normpath(posixpath.join(root, stem or "."))
        return "" if folder == "." else folder + "/"
    return posixpath.normpath(posixpath.join(root, stem))
