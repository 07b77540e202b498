"""Finding the project root and loading its configuration.

Root: a directory given on the command line is the root. For a file, the nearest ancestor holding
`stage-lsp.toml`, a pyproject.toml with `[tool.stage-lsp]`, or `.git` (the file's directory otherwise).
Config: `stage-lsp.toml` (top-level keys) wins over `[tool.stage-lsp]`; only one of them is read.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stage_lsp.config.settings import ConfigError, Settings, parse_settings
from stage_lsp.core.source import inside

CONFIG_FILE = "stage-lsp.toml"


@dataclass(frozen=True)
class ProjectConfig:
    root: Path
    settings: Settings
    config_file: Path | None  # the file the settings came from, if any


def _pyproject_table(path: Path) -> dict[str, Any] | None:
    if not inside(path.parent, path):  # a link out of the project (a shared file): not this project's
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: invalid TOML: {exc}", source=path.name) from None
    tool = data.get("tool")
    if isinstance(tool, dict):
        table = tool.get("stage-lsp")
        if isinstance(table, dict):
            return table
    return None


def _has_pyproject_table(directory: Path) -> bool:
    pyproject = directory / "pyproject.toml"
    if not pyproject.is_file():
        return False
    try:
        return "[tool.stage-lsp]" in pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def find_root(path: Path) -> Path:
    path = path.resolve()
    if path.is_dir():
        return path
    start = path.parent
    for directory in (start, *start.parents):
        if (
            (directory / CONFIG_FILE).is_file()
            or _has_pyproject_table(directory)
            or (directory / ".git").exists()
        ):
            return directory
    return start


def load_config(root: Path) -> ProjectConfig:
    """Read and validate the root's configuration. Raises ConfigError."""
    toml_path = root / CONFIG_FILE
    if toml_path.is_file():
        if not inside(root, toml_path):
            raise ConfigError(
                f"{CONFIG_FILE}: a link to a file outside the project; not read (copy the file into the project)",
                source=CONFIG_FILE,
            )
        try:
            data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise ConfigError(f"{CONFIG_FILE}: not UTF-8", source=CONFIG_FILE) from None
        except OSError as exc:
            raise ConfigError(
                f"{CONFIG_FILE}: cannot read: {exc.strerror or exc}", source=CONFIG_FILE
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{CONFIG_FILE}: invalid TOML: {exc}", source=CONFIG_FILE) from None
        return ProjectConfig(root, parse_settings(data, CONFIG_FILE), toml_path)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        table = _pyproject_table(pyproject)
        if table is not None:
            return ProjectConfig(root, parse_settings(table, "pyproject.toml [tool.stage-lsp]"), pyproject)
    return ProjectConfig(root, Settings(), None)


def load_config_lenient(root: Path) -> tuple[ProjectConfig, tuple[ConfigError, ...]]:
    """Like `load_config`, but never raises: for the language server, which keeps working.

    A bad key is dropped, so its default applies and the other keys still count; a file that is not
    valid TOML gives the defaults. The problems are returned (they become SL902 on the config file).
    """
    toml_path = root / CONFIG_FILE
    pyproject = root / "pyproject.toml"
    data: dict[str, Any] | None = None
    path: Path | None = None
    source = CONFIG_FILE
    try:
        if toml_path.is_file():
            path = toml_path
            try:
                data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                raise ConfigError(f"{CONFIG_FILE}: not UTF-8", source=CONFIG_FILE) from None
            except OSError:
                data = None
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"{CONFIG_FILE}: invalid TOML: {exc}", source=CONFIG_FILE) from None
        elif pyproject.is_file():
            data = _pyproject_table(pyproject)
            if data is not None:
                path, source = pyproject, "pyproject.toml [tool.stage-lsp]"
    except ConfigError as exc:
        return ProjectConfig(root, Settings(), path or pyproject), (exc,)
    if data is None:
        return ProjectConfig(root, Settings(), path), ()
    errors: list[ConfigError] = []
    remaining = dict(data)
    while True:
        try:
            return ProjectConfig(root, parse_settings(remaining, source), path), tuple(errors)
        except ConfigError as exc:
            errors.append(exc)
            if exc.key is None or exc.key not in remaining:
                return ProjectConfig(root, Settings(), path), tuple(errors)
            del remaining[exc.key]
