"""Editor settings (initializationOptions, workspace/configuration section `stageLsp`) over the project config.

Editors send camelCase keys (`debounceMs`, `extendSelect`); the project config uses kebab-case
(`debounce-ms`, `extend-select`). Both are accepted. Keys the server does not know (client-side settings
such as `path`, `interpreter` or `trace`) are ignored, and `null` means "not set here". A set key replaces
the project's value for that key (config.settings.merge); a bad value is reported and dropped, so the
project's value stays.
"""

from __future__ import annotations

import re
from typing import Any

from stage_lsp.config.settings import ConfigError, Settings, merge

SECTION = "stageLsp"
SOURCE = "editor settings (stageLsp)"
KNOWN_KEYS = Settings.setting_keys()
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


def kebab(key: str) -> str:
    return _CAMEL.sub(r"-\1", key).replace("_", "-").lower()


def normalise(raw: Any) -> dict[str, Any]:
    """The server settings in an editor's object: `{"stageLsp": {...}}` or the section itself."""
    if not isinstance(raw, dict):
        return {}
    section = raw.get(SECTION)
    if isinstance(section, dict):
        raw = section
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = kebab(str(key))
        if name in KNOWN_KEYS and value is not None:
            out[name] = value
    return out


def apply(base: Settings, editor: dict[str, Any]) -> tuple[Settings, list[str]]:
    """`base` with the editor's keys on top; problems are messages naming the dropped keys."""
    problems: list[str] = []
    remaining = dict(editor)
    while remaining:
        try:
            return merge(base, remaining, SOURCE), problems
        except ConfigError as exc:
            problems.append(f"{exc}; the project's value is used")
            if exc.key is None or exc.key not in remaining:
                return base, problems
            del remaining[exc.key]
    return base, problems
