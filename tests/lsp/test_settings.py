"""Settings: the project config file changing, bad values as SL902 on the config file, editor settings
(initializationOptions, workspace/configuration) over the project config, didChangeConfiguration."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.conftest import Session, capabilities, lsp_session
from tests.lsp.demo import BLOB, EXPORT, PLAN

pytestmark = pytest.mark.lsp
CONFIG = "stage-lsp.toml"


def initial(s: Session) -> bool:
    return bool(
        s.diagnostics(PLAN, "SL101") and s.diagnostics(EXPORT, "SL102") and s.diagnostics(BLOB, "SL903")
    )


async def test_config_file_change_is_applied(demo: Path) -> None:
    async with lsp_session(demo, capabilities()) as s:
        await s.until(lambda: initial(s))
        (demo / CONFIG).write_text('ignore = ["SL102"]\n', encoding="utf-8")
        s.files_changed((CONFIG, types.FileChangeType.Created))
        await s.until(lambda: s.cleared(EXPORT))
        assert s.diagnostics(PLAN, "SL101")


async def test_bad_config_value_is_a_diagnostic_on_its_line(demo: Path) -> None:
    (demo / CONFIG).write_text('# project settings\nignore = ["SL102"]\ndebounce-ms = -5\n', encoding="utf-8")
    async with lsp_session(demo, capabilities()) as s:
        await s.checked()
        (problem,) = s.diagnostics(CONFIG, "SL902")
        assert "debounce-ms" in problem.message
        assert problem.severity == types.DiagnosticSeverity.Error
        assert problem.range == types.Range(
            start=types.Position(line=2, character=0), end=types.Position(line=2, character=16)
        )
        assert not s.diagnostics(EXPORT, "SL102"), "the keys that are fine still apply"
        # fixing the file clears the finding
        (demo / CONFIG).write_text('ignore = ["SL102"]\n', encoding="utf-8")
        s.files_changed((CONFIG, types.FileChangeType.Changed))
        await s.until(lambda: s.cleared(CONFIG))


async def test_invalid_toml_is_a_diagnostic_and_defaults_apply(demo: Path) -> None:
    (demo / CONFIG).write_text('ignore = ["SL102"]\nselect = [\n', encoding="utf-8")
    async with lsp_session(demo, capabilities()) as s:
        await s.until(lambda: bool(s.diagnostics(CONFIG, "SL902")) and initial(s))
        assert "invalid TOML" in s.diagnostics(CONFIG, "SL902")[0].message


async def test_initialization_options_override_the_project_config(demo: Path) -> None:
    (demo / CONFIG).write_text('select = ["SL1"]\n', encoding="utf-8")
    async with lsp_session(demo, capabilities(), init_options={"select": ["SL9"]}) as s:
        await s.checked()
        assert s.diagnostics(BLOB, "SL903")
        assert not s.diagnostics(PLAN, "SL101") and not s.diagnostics(EXPORT, "SL102")


async def test_workspace_configuration_and_its_changes(demo: Path) -> None:
    config = {"stageLsp": {"ignore": ["SL101"], "path": "/usr/bin/stage-lsp"}}  # `path` is client-side
    async with lsp_session(demo, capabilities(), configuration=config) as s:
        await s.checked()
        assert s.diagnostics(EXPORT, "SL102") and s.diagnostics(BLOB, "SL903")
        assert not s.diagnostics(PLAN, "SL101")
        s.client.set_configuration({"stageLsp": {"extendSelect": ["SL1"]}})
        s.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
        await s.until(lambda: bool(s.diagnostics(PLAN, "SL101")))


async def test_bad_editor_setting_is_reported_and_ignored(demo: Path) -> None:
    config = {"stageLsp": {"debounceMs": "soon", "ignore": ["SL903"]}}
    async with lsp_session(demo, capabilities(), configuration=config) as s:
        await s.checked()
        assert s.diagnostics(PLAN, "SL101") and s.diagnostics(EXPORT, "SL102")
        assert any("debounce-ms" in m.message for m in s.client.messages)
        assert not s.diagnostics(BLOB, "SL903"), "the other editor keys still apply"


async def test_pushed_settings_without_workspace_configuration(demo: Path) -> None:
    caps = capabilities()
    assert caps.workspace is not None
    caps.workspace.configuration = False  # a client that can only push settings
    async with lsp_session(demo, caps) as s:
        await s.until(lambda: bool(s.diagnostics(PLAN, "SL101")))
        s.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"stageLsp": {"ignore": ["SL101"]}})
        )
        await s.until(lambda: s.cleared(PLAN))
