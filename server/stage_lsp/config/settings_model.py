"""The pydantic schema of the settings: validates a configuration that exists (a config file, editor
settings, `--stage`) and names the offending key. Imported only then (`config.settings.parse_settings`), so
a project without a config file never pays for importing pydantic (~0.1-0.25 s of start-up)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from stage_lsp.config.settings import CODE_OR_PREFIX, Framework
from stage_lsp.core.violation import Severity


def _kebab(name: str) -> str:
    return name.replace("_", "-")


PathList = list[Annotated[str, Field(min_length=1)]]


class SettingsModel(BaseModel):
    """Field for field the `Settings` dataclass, with the validation rules and kebab-case aliases."""

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
    secrets_allow: list[str] = Field(default_factory=list)
    cache_dir: str | None = None
    debounce_ms: int = Field(default=150, ge=0, le=60_000)

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
