"""Start-up stays light: a project without plans is answered without the engine, readers or pydantic.

Checked by the modules a fresh interpreter has imported (not by timing), for every output format.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stage_lsp.config.settings import Settings, merge, parse_settings
from stage_lsp.core.violation import Severity

HEAVY = ("tree_sitter", "pglast", "markdown_it", "pydantic", "stage_lsp.engine", "stage_lsp.workspace")

PROBE = """
import contextlib, io, json, sys
from stage_lsp.cli.main import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules), "out": out.getvalue()}))
"""


def run(*args: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# (sarif is left out: its output describes every rule, so it imports the rule modules.)
@pytest.mark.parametrize("fmt", ["text", "json", "github", "gitlab", "junit"])
def test_no_plans_imports_no_reader_or_engine(tmp_path: Path, fmt: str) -> None:
    result = run("--check", str(tmp_path), "--output-format", fmt)
    assert result["code"] == 0
    modules = result["modules"]
    assert isinstance(modules, list)
    assert not [m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY]
    if fmt == "json":
        assert json.loads(str(result["out"]))["summary"]["diagnostics"] == 0


def test_a_config_file_is_still_validated_without_plans(tmp_path: Path) -> None:
    (tmp_path / "stage-lsp.toml").write_text('framework = "rails"\n')
    result = run("--check", str(tmp_path), "--output-format", "json")
    assert result["code"] == 2


def test_settings_round_trip_keeps_every_explicit_key() -> None:
    data = {
        "api-plans": ["docs/api.md"],
        "severity": {"SL101": "error"},
        "allowed-statuses": [200, 201],
        "extend-select": ["SL5"],
        "debounce-ms": 10,
    }
    parsed = parse_settings(data, "stage-lsp.toml")
    assert parsed.explicit() == {**data, "severity": {"SL101": Severity.ERROR}}
    assert parsed.to_public()["severity"] == {"SL101": "error"}
    assert list(parsed.to_public()) == [k.replace("_", "-") for k in Settings.__dataclass_fields__]
    assert merge(parsed, {"debounce-ms": 0}, "editor") == Settings(
        api_plans=["docs/api.md"],
        severity={"SL101": Severity.ERROR},
        allowed_statuses=[200, 201],
        extend_select=["SL5"],
        debounce_ms=0,
    )
    assert Settings().explicit() == {}
    assert "debounce-ms" in Settings.setting_keys() and "api-plans" in Settings.setting_keys()
