"""Precompiled code for the methods `dataclasses` writes, kept beside the bytecode like a `.pyc` file.

stage-lsp defines ~260 dataclasses. For each, `dataclasses` writes the source of `__init__`, `__repr__`,
`__eq__`, `__hash__` and (frozen) `__setattr__`/`__delattr__` and compiles it with `exec`; on Python 3.11
that is ~90 ms of the ~240 ms the checker's imports take, paid by every `stage-lsp` process, and no
`.pyc` file holds it. `install` gives the `dataclasses` module its own `exec` (a module global shadows the
builtin for that module only) that takes the code object for a source text from a file written ahead of
time (`write`, run by `python -m stage_lsp.cli.precompile` after installing: the Makefile and the
benchmark harness do it, as pip byte-compiles modules on install). What runs is unchanged: a code object
is what `exec` compiles from the same text (file name `<string>`, no inherited `__future__` flags), run in
the same namespaces; a text not in the file is compiled as before.

The file (`dataclass-methods.<cache tag>.bin` in the package's `__pycache__`: a header naming this format
and the interpreter's bytecode version, then a marshalled dict from source text to code object) is only
read at run time, never written; one that is missing, unreadable, from another Python or damaged is
ignored. It holds nothing but code compiled from the texts `dataclasses` writes for the classes of
stage_lsp and its libraries: no project input reaches it. Like a `.pyc` file, it is trusted as much as
the package folder it sits in.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import importlib.util
import marshal
import os
import sys
from types import CodeType
from typing import Any

FORMAT = b"stage-lsp dataclass methods 1\n"
MAX_FILE_BYTES = 32 * 1024 * 1024  # a larger file is not read


class _Codes:
    def __init__(self) -> None:
        self.codes: dict[str, CodeType] = {}
        self.loaded = 0  # entries read from the file
        self.compiled = 0  # texts compiled by this process

    def code(self, source: str) -> CodeType:
        code = self.codes.get(source)
        if code is None:
            # dont_inherit: `exec` in dataclasses.py compiles without this module's `annotations` future
            code = self.codes[source] = compile(source, "<string>", "exec", dont_inherit=True)
            self.compiled += 1
        return code


_installed: _Codes | None = None


def default_path() -> str | None:
    """Where the file lives: the `__pycache__` folder the package's bytecode goes to (None when this
    interpreter caches no bytecode)."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    try:
        pyc = importlib.util.cache_from_source(os.path.join(os.path.dirname(__file__), "__init__.py"))
    except (NotImplementedError, ValueError):
        return None
    return os.path.join(os.path.dirname(pyc), f"dataclass-methods.{tag}.bin")


def _header() -> bytes:
    return FORMAT + importlib.util.MAGIC_NUMBER


def read(path: str | None) -> dict[str, CodeType]:
    """The file's entries; {} for a file that is missing, too large, from another Python or damaged."""
    if path is None:
        return {}
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError:
        return {}
    header = _header()
    if len(data) > MAX_FILE_BYTES or not data.startswith(header):
        return {}
    try:
        codes = marshal.loads(data[len(header) :])
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(codes, dict) or not all(
        isinstance(k, str) and isinstance(v, CodeType) for k, v in codes.items()
    ):
        return {}
    return codes


def install(path: str | None = None) -> None:
    """Give `dataclasses` the `exec` that reuses code objects (once per process; later calls do
    nothing). `path`: the file to read (default: `default_path()`)."""
    global _installed
    if _installed is not None:
        return
    codes = _Codes()
    codes.codes = read(path if path is not None else default_path())
    codes.loaded = len(codes.codes)

    def exec_(source: Any, globals: Any = None, locals: Any = None, /) -> None:
        if isinstance(source, str) and globals is not None:
            builtins.exec(codes.code(source), globals, locals)
            return
        if globals is None:  # dataclasses always passes its namespaces; keep exec's defaults anyway
            frame = sys._getframe(1)
            globals = frame.f_globals
            locals = frame.f_locals if locals is None else locals
        builtins.exec(source, globals, locals)

    dataclasses.exec = exec_  # type: ignore[attr-defined]  # shadows the builtin in that module only
    _installed = codes


def stats() -> tuple[int, int]:
    """(entries read from the file, texts compiled since) of the installed `exec`; (0, 0) without one."""
    return (_installed.loaded, _installed.compiled) if _installed is not None else (0, 0)


def write(path: str | None = None) -> int:
    """Write every code object the installed `exec` holds (read or compiled) to `path` (default:
    `default_path()`), atomically; how many were written. Raises OSError when it cannot write."""
    import tempfile  # only here (its import costs a few ms)

    if _installed is None:
        raise RuntimeError("dataclass_code.install() was not called")
    target = path if path is not None else default_path()
    if target is None:
        raise OSError("this interpreter keeps no bytecode cache")
    folder = os.path.dirname(target) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".dataclass-methods-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(_header())
            marshal.dump(_installed.codes, f)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return len(_installed.codes)
