from __future__ import annotations

from pathlib import Path

import pytest

from stage_lsp.config.project import find_root, load_config
from stage_lsp.config.settings import ConfigError, Settings, merge, parse_settings
from stage_lsp.core.violation import Severity


def test_defaults_are_valid() -> None:
    s = Settings()
    assert s.framework == "auto"
    assert s.allowed_statuses is None  # the rule that uses it is inactive until set
    assert s.select is None and s.ignore == []


def test_kebab_case_keys_are_read() -> None:
    s = parse_settings(
        {
            "api-plans": ["docs/api.md"],
            "extend-select": ["SL5"],
            "allowed-statuses": [200, 201],
            "severity": {"SL101": "error"},
        },
        "stage-lsp.toml",
    )
    assert s.api_plans == ["docs/api.md"]
    assert s.extend_select == ["SL5"]
    assert s.allowed_statuses == [200, 201]
    assert s.severity == {"SL101": Severity.ERROR}


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"api_plan": ["x"]}, "api_plan"),
        ({"framework": "rails"}, "framework"),
        ({"select": ["E501"]}, "select"),
        ({"severity": {"SL101": "fatal"}}, "severity"),
        ({"allowed-statuses": [999]}, "allowed-statuses"),
        ({"api-plans": "docs/api.md"}, "api-plans"),
    ],
)
def test_bad_keys_and_values_name_the_key(data: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_settings(data, "stage-lsp.toml")
    assert f"`{key}" in str(err.value)
    assert err.value.key == key


def test_merge_overrides_key_by_key() -> None:
    base = parse_settings({"ignore": ["SL102"], "framework": "astro"}, "stage-lsp.toml")
    merged = merge(base, {"ignore": ["SL5"]}, "editor settings")
    assert merged.ignore == ["SL5"]
    assert merged.framework == "astro"


def test_stage_lsp_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "stage-lsp.toml").write_text('ignore = ["SL101"]\n')
    (tmp_path / "pyproject.toml").write_text('[tool.stage-lsp]\nignore = ["SL102"]\n')
    config = load_config(tmp_path)
    assert config.settings.ignore == ["SL101"]
    assert config.config_file == tmp_path / "stage-lsp.toml"


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname="x"\n[tool.stage-lsp]\nframework = "next-app"\n'
    )
    assert load_config(tmp_path).settings.framework == "next-app"


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "stage-lsp.toml").write_text("ignore = [\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(tmp_path)


def test_root_for_a_directory_is_the_directory(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    assert find_root(tmp_path / "sub") == (tmp_path / "sub").resolve()


@pytest.mark.parametrize("marker", ["stage-lsp.toml", "pyproject.toml", ".git"])
def test_root_for_a_file_is_the_nearest_marked_ancestor(tmp_path: Path, marker: str) -> None:
    project = tmp_path / "project"
    deep = project / "src" / "pages" / "api"
    deep.mkdir(parents=True)
    if marker == ".git":
        (project / ".git").mkdir()
    elif marker == "pyproject.toml":
        (project / marker).write_text("[tool.stage-lsp]\n")
    else:
        (project / marker).write_text("")
    (deep / "x.ts").write_text("")
    assert find_root(deep / "x.ts") == project.resolve()


def test_pyproject_without_our_table_is_not_a_root_marker(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "web").mkdir(parents=True)
    (project / ".git").mkdir()
    (project / "web" / "pyproject.toml").write_text("[project]\nname='x'\n")
    (project / "web" / "a.md").write_text("")
    assert find_root(project / "web" / "a.md") == project.resolve()
