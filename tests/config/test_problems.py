"""Configuration problems for the language server: lenient loading and SL902 locations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from stage_lsp.config.problems import config_issue, locate
from stage_lsp.config.project import load_config_lenient
from stage_lsp.core.location import Range

Make = Callable[[dict[str, str]], Path]


def test_a_bad_key_is_dropped_and_the_others_kept(make_project: Make) -> None:
    root = make_project({"stage-lsp.toml": 'ignore = ["SL102"]\nframework = "rails"\ndebounce-ms = 0\n'})
    project, errors = load_config_lenient(root)
    assert project.settings.ignore == ["SL102"] and project.settings.debounce_ms == 0
    assert project.settings.framework == "auto"
    assert [e.key for e in errors] == ["framework"]
    issue = config_issue(root, project.config_file, errors[0])
    assert issue.code == "SL902" and issue.location.file == "stage-lsp.toml"
    assert issue.location.range == Range(1, 0, 1, 19)
    assert "the default for `framework` is used" in issue.message


def test_invalid_toml_gives_defaults_and_the_error_line(make_project: Make) -> None:
    root = make_project({"stage-lsp.toml": 'ignore = ["SL102"]\nselect = = 1\nstage = 2\n'})
    project, errors = load_config_lenient(root)
    assert project.settings.ignore == [] and len(errors) == 1
    issue = config_issue(root, project.config_file, errors[0])
    assert "invalid TOML" in issue.message and issue.location.range == Range(1, 0, 1, 12)


def test_unterminated_toml_points_at_the_last_line(make_project: Make) -> None:
    root = make_project({"stage-lsp.toml": 'ignore = ["SL102"]\nselect = [\n\n'})
    project, errors = load_config_lenient(root)
    issue = config_issue(root, project.config_file, errors[0])
    assert "end of document" in issue.message and issue.location.range == Range(1, 0, 1, 10)


def test_no_config_is_no_problem(make_project: Make) -> None:
    project, errors = load_config_lenient(make_project({"README.md": "x\n"}))
    assert project.config_file is None and errors == ()


def test_pyproject_table_keys_are_located_in_their_table(make_project: Make) -> None:
    text = '[project]\nname = "x"\nselect = 1\n\n[tool.stage-lsp]\n# checker\nselect = ["E1"]\n'
    root = make_project({"pyproject.toml": text})
    project, errors = load_config_lenient(root)
    assert [e.key for e in errors] == ["select"] and project.settings.select is None
    issue = config_issue(root, project.config_file, errors[0])
    assert issue.location.file == "pyproject.toml" and issue.location.range == Range(6, 0, 6, 15)


def test_locate_finds_tables_and_falls_back_to_the_start() -> None:
    text = 'ignore = []\n\n[severity]\nSL101 = "fatal"\n'
    assert locate(text, "severity", "bad value for `severity.SL101`") == Range(2, 0, 2, 10)
    assert locate(text, "unknown", "x") == Range(0, 0, 0, 0)
    assert locate(text, None, "x") == Range(0, 0, 0, 0)
