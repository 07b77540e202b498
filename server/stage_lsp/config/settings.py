"""The project configuration: `stage-lsp.toml` (top-level keys) or `[tool.stage-lsp]` in pyproject.toml.

Keys are kebab-case and validated; an unknown key or a bad value is a `ConfigError` naming the key
(the CLI exits 2, the language server shows it on the config file). Later features add keys here,
additively (and to the schema in `config.settings_model`). See docs/configuration.md for every key.

`Settings` is a plain frozen dataclass: building the defaults costs nothing, and pydantic (the schema in
`settings_model`) is imported only to validate a configuration that exists.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from stage_lsp.core.violation import Severity

CODE_OR_PREFIX = re.compile(r"^SL\d{0,3}$")


class ConfigError(Exception):
    """A configuration problem; `key` names the offending setting when known."""

    def __init__(self, message: str, key: str | None = None, source: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.source = source


Framework = Literal[
    "auto", "astro", "next-app", "next-pages", "hono", "express", "supabase-edge", "nestjs", "fastapi", "none"
]
FRAMEWORKS: tuple[str, ...] = get_args(Framework)


def _kebab(name: str) -> str:
    return name.replace("_", "-")


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Resolved settings. Every field has a default, so an empty config is valid. Values built by
    `parse_settings`/`merge` are validated; constructing one directly (tests, tools) trusts its arguments."""

    api_plans: list[str] | None = None
    db_plans: list[str] | None = None
    stage_plans: list[str] | None = None
    prd: list[str] | None = None
    sources: list[str] | None = None
    framework: Framework = "auto"
    migrations: str | None = None
    types: str | None = None
    exclude: list[str] = field(default_factory=list)
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    allowed_statuses: list[int] | None = None
    stage: int | None = None
    secrets_allow: list[str] = field(default_factory=list)  # secret ids (from the message) or exact values
    cache_dir: str | None = None  # CLI parse cache; default `.stage-lsp-cache` at the root
    debounce_ms: int = 150  # language server: delay after an edit (0-60000)

    @staticmethod
    def setting_keys() -> frozenset[str]:
        """Every setting's key as written in a config file (kebab-case)."""
        return _KEYS

    def to_public(self) -> dict[str, Any]:
        """The settings as JSON-ready data with kebab-case keys (`--show-settings`)."""
        return {_kebab(f.name): _public(getattr(self, f.name)) for f in _FIELDS}

    def explicit(self) -> dict[str, Any]:
        """The keys whose value differs from the default, kebab-case (what a config would have to say)."""
        out: dict[str, Any] = {}
        for f in _FIELDS:
            value = getattr(self, f.name)
            default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
            if value != default:
                out[_kebab(f.name)] = value
        return out


_FIELDS = dataclasses.fields(Settings)
_KEYS = frozenset(_kebab(f.name) for f in _FIELDS)


def _public(value: Any) -> Any:
    if isinstance(value, Severity):
        return value.value
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_public(v) for v in value]
    return value


def parse_settings(data: dict[str, Any], source: str) -> Settings:
    """Validate a raw mapping; raise ConfigError naming the first bad key."""
    from pydantic import ValidationError  # a configuration exists: validate it (see the module docstring)

    from stage_lsp.config.settings_model import SettingsModel

    try:
        model = SettingsModel.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err.get("loc", ())]
        key = loc[0] if loc else None
        where = ".".join(loc) if loc else "(root)"
        if err.get("type") == "extra_forbidden":
            message = f"{source}: unknown key `{where}`"
        else:
            message = f"{source}: bad value for `{where}`: {err.get('msg', 'invalid')}"
        raise ConfigError(message, key=key, source=source) from None
    return Settings(**{f.name: getattr(model, f.name) for f in _FIELDS})


def merge(base: Settings, overrides: dict[str, Any], source: str) -> Settings:
    """Apply overrides (kebab-case keys) on top of `base`, key by key (editor settings over project config)."""
    data = base.explicit()
    data.update(overrides)
    return parse_settings(data, source)
