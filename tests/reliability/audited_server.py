"""`stage-lsp server` with an audit hook (PEP 578) writing what the server does to `$STAGE_LSP_AUDIT_LOG`.

One JSON line per event: files opened (path with symlinks resolved, and the mode), folders listed,
sockets connected, names resolved, processes started. tests/reliability/test_lsp_safety.py reads it.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

EVENTS = frozenset(
    {
        "open",
        "os.scandir",
        "os.listdir",
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.sendto",
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
    }
)


def main() -> int:
    log = open(os.environ["STAGE_LSP_AUDIT_LOG"], "a", encoding="utf-8")  # noqa: SIM115 (open for the run)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event not in EVENTS:
            return
        target = args[0] if args else None
        if isinstance(target, bytes):
            target = os.fsdecode(target)
        if isinstance(target, os.PathLike):
            target = os.fspath(target)
        record: dict[str, Any] = {"event": event}
        if event in ("open", "os.scandir", "os.listdir") and isinstance(target, str):
            record["path"] = os.path.realpath(target)
            if event == "open":
                record["mode"] = str(args[1]) if len(args) > 1 else None
                record["flags"] = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
        else:
            record["args"] = repr(args)[:300]
        log.write(json.dumps(record) + "\n")
        log.flush()

    sys.addaudithook(hook)
    from stage_lsp.cli.main import main as cli

    return cli(["server", "--stdio"])


if __name__ == "__main__":
    sys.exit(main())
