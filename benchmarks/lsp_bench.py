"""The language-server measurement: initial index time, edit-to-diagnostics latency, RSS.

`measure_lsp(...)` is the one entry point. It returns None when `stage-lsp server` does not exist (the
metrics are then null in results.json) and otherwise, per run, starts a fresh server over stdio on the
workspace with `debounce-ms` 0, acting as an editor that supports push diagnostics only (no pull
capability), work-done progress and `workspace/configuration`:

- `lsp_initial_index_s`: from starting the server process (initialize, initialized and didOpen of one
  route file are sent at once) to the last `$/progress` begin/end or publishDiagnostics of the initial
  index, once no progress is open and none of those has come for a settle second (not counted). It
  includes interpreter start-up, as an editor user waits for it too.
- `lsp_rss_mb`: resident memory right then (the server process plus any children it started).
- `lsp_edit_*_ms`: 200 edits of that route file, alternately appending and removing a `PUT` handler the
  plan does not have (so each edit adds or clears a diagnostic): from writing `didChange` to reading the
  file's publishDiagnostics for that version (or the next one, when the server sends no version).
  Incremental changes when the server asks for them, full text otherwise.
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.lsp_client import LspClient, LspError, Message

# Sent as initializationOptions and as the answer to workspace/configuration.
LSP_SETTINGS: dict[str, Any] = {"debounce-ms": 0}
INDEX_TIMEOUT_S = 300.0
SETTLE_S = 1.0
EDIT_TIMEOUT_S = 60.0


@dataclass
class LspRun:
    initial_index_s: float
    rss_mb: float
    edit_ms: list[float]
    changed: int  # edits whose diagnostics differed from the previous ones


@dataclass
class LspResult:
    runs: list[LspRun] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def server_available(stage_lsp: list[str]) -> bool:
    """True when `stage-lsp server` is a command (it answers `--help` with exit 0)."""
    try:
        done = subprocess.run([*stage_lsp, "server", "--help"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _configuration(item: dict[str, Any]) -> Any:
    section = str(item.get("section") or "")
    if section.endswith("debounce-ms"):
        return 0
    return dict(LSP_SETTINGS)


def _rss_mb(pid: int) -> float:
    """VmRSS of the process and its descendants, in MiB (0 when /proc is unavailable)."""
    total_kb = 0
    pending = [pid]
    while pending:
        p = pending.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(c) for c in children)
        except OSError:
            pass
    return total_kb / 1024


def _capabilities() -> dict[str, Any]:
    return {
        "general": {"positionEncodings": ["utf-16"]},
        "window": {"workDoneProgress": True},
        "workspace": {"configuration": True, "workspaceFolders": True, "didChangeConfiguration": {}},
        "textDocument": {
            "synchronization": {"didSave": True, "dynamicRegistration": False},
            "publishDiagnostics": {
                "relatedInformation": True,
                "versionSupport": True,
                "codeDescriptionSupport": True,
            },
        },
    }


def _sync_kind(result: Any) -> int:
    caps = (result or {}).get("capabilities", {}) if isinstance(result, dict) else {}
    sync = caps.get("textDocumentSync")
    if isinstance(sync, int):
        return sync
    if isinstance(sync, dict):
        return int(sync.get("change") or 0)
    return 0


def _end_position(text: str) -> dict[str, int]:
    lines = text.split("\n")
    last = lines[-1]
    return {"line": len(lines) - 1, "character": len(last.encode("utf-16-le")) // 2}


def _diag_state(msg: Message) -> tuple[tuple[Any, ...], ...]:
    diags = (msg.params or {}).get("diagnostics") or []
    return tuple(sorted((str(d.get("code")), d.get("message", ""), str(d.get("range"))) for d in diags))


def _wait_indexed(client: LspClient, uri: str, settle: float) -> tuple[float, Message | None]:
    """Seconds from spawn until the initial index is done, and the opened file's last diagnostics.

    Done = the last `$/progress` begin or end or publishDiagnostics (of any file: a server need not
    publish an empty list for a clean file), once no progress is open, at least one publish or progress
    end has come, and nothing of the sort has followed for `settle` s (that wait is not counted). So a
    server may publish early, then report progress, then publish again, and the last event counts.
    """
    deadline = client.started + INDEX_TIMEOUT_S
    open_progress: set[Any] = set()
    file_diags: Message | None = None
    done_seen = False
    last_event = 0.0
    while True:
        now = time.perf_counter()
        if done_seen and not open_progress:
            wait = last_event + settle - now
            if wait <= 0:
                return last_event - client.started, file_diags
        else:
            wait = deadline - now
            if wait <= 0:
                raise LspError(f"the initial index did not finish within {INDEX_TIMEOUT_S:.0f} s")
        msg = client.next(wait)
        if msg is None:
            continue
        params = msg.params if isinstance(msg.params, dict) else {}
        if msg.method == "$/progress":
            kind = (params.get("value") or {}).get("kind")
            if kind == "begin":
                open_progress.add(params.get("token"))
                last_event = msg.at
            elif kind == "end":
                open_progress.discard(params.get("token"))
                done_seen = True
                last_event = msg.at
        elif msg.method == "textDocument/publishDiagnostics":
            if params.get("uri") == uri:
                file_diags = msg
            done_seen = True
            last_event = msg.at


def one_run(
    stage_lsp: list[str],
    root: Path,
    edit_file: str,
    append: str,
    edits: int,
    log: Path,
    settle: float = SETTLE_S,
) -> LspRun:
    uri_root = root.resolve().as_uri()
    path = root / edit_file
    uri = path.resolve().as_uri()
    original = path.read_text(encoding="utf-8")
    with log.open("ab") as err:
        client = LspClient(
            [*stage_lsp, "server", "--stdio"],
            cwd=root,
            stderr=err,
            configuration=_configuration,
            folders=[{"uri": uri_root, "name": root.name}],
        )
        try:
            init = client.request(
                "initialize",
                {
                    "processId": None,
                    "clientInfo": {"name": "stage-lsp-bench", "version": "1"},
                    "rootUri": uri_root,
                    "workspaceFolders": [{"uri": uri_root, "name": root.name}],
                    "capabilities": _capabilities(),
                    "initializationOptions": dict(LSP_SETTINGS),
                },
                INDEX_TIMEOUT_S,
            )
            kind = _sync_kind(init)
            if kind not in (1, 2):
                raise LspError(f"the server takes no document changes (textDocumentSync {kind})")
            client.notify("initialized", {})
            client.notify(
                "textDocument/didOpen",
                {"textDocument": {"uri": uri, "languageId": "typescript", "version": 1, "text": original}},
            )
            index_s, last_diags = _wait_indexed(client, uri, settle)
            rss = _rss_mb(client.pid)
            state = _diag_state(last_diags) if last_diags is not None else ()
            latencies: list[float] = []
            changed = 0
            text = original
            for i in range(edits):
                version = i + 2
                adding = i % 2 == 0
                if kind == 2:
                    if adding:
                        end = _end_position(text)
                        change = {"range": {"start": end, "end": end}, "text": append}
                        text = text + append
                    else:
                        start = _end_position(original)
                        change = {"range": {"start": start, "end": _end_position(text)}, "text": ""}
                        text = original
                else:
                    text = original + append if adding else original
                    change = {"text": text}
                client.drain()
                sent = client.notify(
                    "textDocument/didChange",
                    {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
                )

                def published(msg: Message, version: int = version) -> bool:
                    if msg.method != "textDocument/publishDiagnostics":
                        return False
                    params = msg.params or {}
                    if params.get("uri") != uri:
                        return False
                    got = params.get("version")
                    return got is None or got == version

                msg = client.wait_for(published, EDIT_TIMEOUT_S, f"diagnostics for edit {i + 1}")
                latencies.append((msg.at - sent) * 1000)
                new_state = _diag_state(msg)
                changed += new_state != state
                state = new_state
            return LspRun(index_s, rss, latencies, changed)
        finally:
            client.close()


def measure_lsp(
    stage_lsp: list[str], root: Path, edit_file: str, append: str, runs: int, edits: int
) -> LspResult | None:
    """None when `stage-lsp server` does not exist; otherwise the runs that succeeded, with notes."""
    if not server_available(stage_lsp):
        return None
    result = LspResult()
    with tempfile.TemporaryDirectory(prefix="stage-lsp-bench-") as tmp:
        log = Path(tmp) / "server-stderr.log"
        for n in range(runs):
            try:
                run = one_run(stage_lsp, root, edit_file, append, edits, log)
            except (LspError, OSError) as exc:
                tail = log.read_text(errors="replace")[-600:] if log.exists() else ""
                result.notes.append(
                    f"{root.name}: LSP run {n + 1} failed: {exc}. Server stderr (tail): {tail!r}"
                )
                break
            result.runs.append(run)
            if run.changed < edits:
                result.notes.append(
                    f"{root.name}: LSP run {n + 1}: only {run.changed} of {edits} edits changed the diagnostics"
                )
    return result


def summarise(result: LspResult | None) -> dict[str, float | None]:
    """Per-run figures, then the median over runs of each (null when there is no run)."""
    keys = (
        "lsp_initial_index_s",
        "lsp_edit_p50_ms",
        "lsp_edit_p95_ms",
        "lsp_edit_p99_ms",
        "lsp_edit_max_ms",
        "lsp_rss_mb",
    )
    if result is None or not result.runs:
        return dict.fromkeys(keys)
    per_run: dict[str, list[float]] = {k: [] for k in keys}
    for run in result.runs:
        per_run["lsp_initial_index_s"].append(run.initial_index_s)
        per_run["lsp_rss_mb"].append(run.rss_mb)
        lat = run.edit_ms
        if len(lat) >= 2:
            q = statistics.quantiles(lat, n=100, method="inclusive")
            p50, p95, p99 = q[49], q[94], q[98]
        else:
            p50 = p95 = p99 = lat[0] if lat else float("nan")
        per_run["lsp_edit_p50_ms"].append(p50)
        per_run["lsp_edit_p95_ms"].append(p95)
        per_run["lsp_edit_p99_ms"].append(p99)
        per_run["lsp_edit_max_ms"].append(max(lat) if lat else float("nan"))
    return {k: statistics.median(v) for k, v in per_run.items()}
