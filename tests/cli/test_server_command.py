"""`stage-lsp server`: accepted arguments, and pygls/lsprotocol imported only for it (~250 ms)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

from tests.conftest import SERVER, CliResult

Cli = Callable[..., CliResult]


def test_server_help_mentions_stdio(cli: Cli) -> None:
    r = cli("server", "--help")
    assert r.code == 0 and "--stdio" in r.out


def test_cli_commands_do_not_import_the_lsp_stack() -> None:
    code = (
        "import sys\n"
        "from stage_lsp.cli.main import main\n"
        "assert main(['rule', '--all']) == 0\n"
        "assert main(['check', '--show-settings', '.']) == 0\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol'))\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SERVER)}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
