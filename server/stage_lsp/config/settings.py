"""The project configuration: `stage-lsp.toml` (top-level keys) or `[tool.stage-lsp]` in pyproject.toml.

Keys are kebab-case and validated; an unknown key or a bad value is a `ConfigError` naming the key
(the CLI exits 2, the language server shows it on the config file). Later features add keys here,
additively. See docs/configuration.md for every key.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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


PathList = list[Annotated[str, Field(min_length=1)]]


class Settings(BaseModel):
    """Resolved settings. Every field has a default, so an empty config is valid."""

    model_config = ConfigDict(frozen=True, extra="forbid", alias_generator=_kebab, populate_by_name=True)

    api_plans: PathList | None = None
    db_plans: PathList | None = None
    stage_plans: PathList | None = None
    prd: PathList | None = None
    sources: PathList | None = None
    framework: Framework = "auto"
    migrations: str | None = None
    types: str | None = None
    exclude: PathList = Field(default_factory=list)
    select: list[str] | None = None
    extend_select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    allowed_statuses: list[Annotated[int, Field(ge=100, le=599)]] | None = None
    stage: int | None = None
    secrets_allow: list[str] = Field(default_factory=list)  # secret ids (from the message) or exact values
    cache_dir: str | None = None  # CLI parse cache; default `.stage-lsp-cache` at the root
    debounce_ms: int = Field(default=150, ge=0, le=60_000)  # language server: delay after an edit

    @field_validator("select", "extend_select", "ignore")
    @classmethod
    def _codes(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        for code in value:
            if not CODE_OR_PREFIX.match(code):
                raise ValueError(f"{code!r} is not a rule code or prefix (like SL101 or SL5)")
        return value

    @field_validator("severity")
    @classmethod
    def _severity_codes(cls, value: dict[str, Severity]) -> dict[str, Severity]:
        for code in value:
            if not CODE_OR_PREFIX.match(code):
                raise ValueError(f"{code!r} is not a rule code or prefix (like SL101 or SL5)")
        return value

    def to_public(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, mode="json")


def parse_settings(data: dict[str, Any], source: str) -> Settings:
    """Validate a raw mapping; raise ConfigError naming the first bad key."""
    try:
        return Settings.model_validate(data)
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


def merge(base: Settings, overrides: dict[str, Any], source: str) -> Settings:
    """Apply overrides (kebab-case keys) on top of `base`, key by key (editor settings over project config)."""
    data = base.model_dump(by_alias=True, exclude_unset=True)
    data.update(overrides)
    return parse_settings(data, source)
