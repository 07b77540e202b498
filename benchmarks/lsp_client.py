"""A minimal LSP client over stdio (JSON-RPC 2.0 with Content-Length framing), for the benchmark.

Deliberately small and dependency-free, so the benchmark measures the server and nothing of a client
library: a reader thread stamps every incoming message with `time.perf_counter()` the moment it is
decoded, answers the server's own requests (progress tokens, `workspace/configuration`, capability
registration) at once, hands responses to the waiting request, and queues notifications for `wait_for`.
"""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any


class LspError(Exception):
    """The server died, answered with an error, or did not answer in time."""


@dataclass(frozen=True)
class Message:
    at: float  # perf_counter() when it was read
    body: dict[str, Any]

    @property
    def method(self) -> str | None:
        m = self.body.get("method")
        return m if isinstance(m, str) else None

    @property
    def params(self) -> Any:
        return self.body.get("params")


ConfigFn = Callable[[dict[str, Any]], Any]


class LspClient:
    def __init__(
        self,
        argv: list[str],
        cwd: Path,
        stderr: IO[bytes],
        configuration: ConfigFn,
        folders: list[dict[str, str]],
    ) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr
        )
        self._configuration = configuration
        self._folders = folders
        self._write_lock = threading.Lock()
        self._next_id = 0
        self._responses: dict[int, queue.Queue[Message]] = {}
        self._responses_lock = threading.Lock()
        self.notifications: queue.Queue[Message] = queue.Queue()
        self.closed = threading.Event()
        self._reader = threading.Thread(target=self._read_loop, name="lsp-reader", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    # -- wire ----------------------------------------------------------------------------------------

    def _send(self, body: dict[str, Any]) -> None:
        data = json.dumps(body, separators=(",", ":")).encode("utf-8")
        stdin = self.proc.stdin
        if stdin is None:
            raise LspError("server stdin is closed")
        with self._write_lock:
            try:
                stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
                stdin.flush()
            except (BrokenPipeError, ValueError, OSError) as exc:
                raise LspError(f"cannot write to the server: {exc}") from None

    def _read_message(self, stream: IO[bytes]) -> dict[str, Any] | None:
        length = None
        while True:
            line = stream.readline()
            if not line:
                return None
            line = line.strip()
            if not line:
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        if length is None:
            return None
        data = stream.read(length)
        if len(data) < length:
            return None
        body = json.loads(data)
        return body if isinstance(body, dict) else None

    def _read_loop(self) -> None:
        stream = self.proc.stdout
        try:
            while stream is not None:
                body = self._read_message(stream)
                if body is None:
                    break
                msg = Message(time.perf_counter(), body)
                if "id" in body and "method" in body:
                    self._answer(body)
                elif "id" in body:
                    with self._responses_lock:
                        box = self._responses.get(body["id"])
                    if box is not None:
                        box.put(msg)
                else:
                    self.notifications.put(msg)
        except (OSError, ValueError):
            pass
        finally:
            self.closed.set()

    def _answer(self, request: dict[str, Any]) -> None:
        """Reply to a server-to-client request the way an editor would."""
        method = request.get("method")
        params = request.get("params") or {}
        result: Any = None
        if method == "workspace/configuration":
            result = [self._configuration(item) for item in params.get("items", [])]
        elif method == "workspace/workspaceFolders":
            result = self._folders
        with contextlib.suppress(LspError):
            self._send({"jsonrpc": "2.0", "id": request["id"], "result": result})

    # -- API -----------------------------------------------------------------------------------------

    def notify(self, method: str, params: Any) -> float:
        """Send a notification; return the perf_counter() just before it was written."""
        at = time.perf_counter()
        self._send({"jsonrpc": "2.0", "method": method, "params": params})
        return at

    def request(self, method: str, params: Any, timeout: float) -> Any:
        with self._responses_lock:
            self._next_id += 1
            rid = self._next_id
            box: queue.Queue[Message] = queue.Queue()
            self._responses[rid] = box
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.perf_counter() + timeout
        while True:
            try:
                msg = box.get(timeout=0.05)
                break
            except queue.Empty:
                if self.closed.is_set():
                    raise LspError(f"server exited while waiting for `{method}`") from None
                if time.perf_counter() > deadline:
                    raise LspError(f"no answer to `{method}` within {timeout:.0f} s") from None
        with self._responses_lock:
            del self._responses[rid]
        if "error" in msg.body:
            raise LspError(f"`{method}` failed: {msg.body['error']}")
        return msg.body.get("result")

    def wait_for(self, predicate: Callable[[Message], bool], timeout: float, what: str) -> Message:
        """The first queued notification that satisfies `predicate` (earlier ones are dropped)."""
        deadline = time.perf_counter() + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise LspError(f"timed out after {timeout:.0f} s waiting for {what}")
            try:
                msg = self.notifications.get(timeout=min(remaining, 0.05))
            except queue.Empty:
                if self.closed.is_set() and self.notifications.empty():
                    raise LspError(f"server exited while waiting for {what}") from None
                continue
            if predicate(msg):
                return msg

    def next(self, timeout: float) -> Message | None:
        """The next queued notification, or None when none arrives within `timeout` seconds."""
        try:
            return self.notifications.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            if self.closed.is_set() and self.notifications.empty():
                raise LspError("the server exited") from None
            return None

    def drain(self) -> list[Message]:
        out: list[Message] = []
        while True:
            try:
                out.append(self.notifications.get_nowait())
            except queue.Empty:
                return out

    def close(self, timeout: float = 10.0) -> None:
        """shutdown + exit, then wait; kill the server if it does not go."""
        try:
            if not self.closed.is_set():
                self.request("shutdown", None, timeout)
                self.notify("exit", None)
        except LspError:
            pass
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=timeout)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self._reader.join(timeout=timeout)
