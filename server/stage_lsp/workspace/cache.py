"""The on-disk cache of per-file reader results (CLI `--check`; `--no-cache` turns it off).

The Workspace keeps reader results in memory by (reader, path, content digest); this store persists them
between runs, so a second check re-parses nothing that did not change (rules always re-run). Layout:

    .stage-lsp-cache/            (or the `cache-dir` setting)
      CACHEDIR.TAG, .gitignore   (backup tools and git skip the folder)
      v2-<stamp>/<reader>.pickle {path: (content digest, pickled result)} for one reader
      v2-<stamp>/check-<root>.json the last whole check's findings (`workspace.check_results`)

`<stamp>` hashes the tool version, the Python version and the source of the stage_lsp package, so a new
version (or an edited checkout) never reads results written by another. A shard keeps only the entries
used by the last run that wrote it (no unbounded growth) and is written atomically (temporary file, then
rename), only when something changed. A missing, truncated, corrupt or foreign shard is ignored and
replaced; no cache problem ever fails a check.

Results are frozen dataclasses, each pickled on its own: a result is unpickled when it is first asked
for, and written back as the bytes it was read as, so a run after a small change loads what it uses
and pickles only what changed (one pickle of a whole shard cost the large benchmark workspace ~0.45 s
to write: a pickler's memo over ~300,000 objects; the same results pickled one by one take ~0.17 s).
A prefetch worker's result is stored as the bytes it arrived as. Loading uses a restricted unpickler
that can only build dataclasses and enums of the stage_lsp package (and builtin containers), for the
shard and for every result in it, so a planted cache file cannot run code; the cache folder belongs to
the machine, not to the repository (keep it out of version control).
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import enum
import hashlib
import io
import operator
import os
import pickle
import re
import shutil
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import stage_lsp
from stage_lsp.core.gc_pause import gc_paused, long_lived

CACHE_FORMAT = "v2"  # v2: each result pickled on its own
DEFAULT_DIR = ".stage-lsp-cache"
MAGIC = "stage-lsp-cache"
OLD_STAMP_AGE_S = 24 * 3600  # folders of other versions are removed once they are this old
MISSING: Any = object()
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# stage-lsp cache (https://bford.info/cachedir/)\n"


def code_stamp() -> str:
    """A digest of what decides the results' shape: versions and the package's source."""
    h = hashlib.sha256(f"{CACHE_FORMAT}\0{stage_lsp.__version__}\0{sys.version}".encode())
    package = Path(stage_lsp.__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(str(path.relative_to(package)).encode() + b"\0")
        with contextlib.suppress(OSError):
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


_STAMP: list[str] = []


def _stamp() -> str:
    if not _STAMP:
        _STAMP.append(code_stamp())
    return _STAMP[0]


_BUILTINS: dict[str, type] = {"frozenset": frozenset, "set": set, "complex": complex}

# Frozen dataclasses with __slots__ pickle through dataclasses' own __getstate__/__setstate__, which call
# dataclasses.fields() for every object: most of a warm check's time went into loading `Range`s that way.
# They are written as (_rebuild, (class, field values)) instead, with the field names listed once per class.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            raise pickle.UnpicklingError("not a dataclass")
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


_new = object.__new__
_set = object.__setattr__
_SETTERS: dict[type, tuple[Callable[[Any, Any], None], ...]] = {}
_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _named_setter(name: str) -> Callable[[Any, Any], None]:
    def put(obj: Any, value: Any) -> None:
        _set(obj, name, value)

    return put


def _setters(cls: type) -> tuple[Callable[[Any, Any], None], ...]:
    """Per field, in order, what stores its value on a new object: the slot's own descriptor (`__set__`,
    which is what object.__setattr__ ends up calling, without the lookup and the frozen check)."""
    found: list[Callable[[Any, Any], None]] = []
    for name in _field_names(cls):
        slot = getattr(cls, name, None)
        if isinstance(slot, types.MemberDescriptorType):
            found.append(slot.__set__)
        else:  # not a slot after all: as dataclasses' __setstate__ does
            found.append(_named_setter(name))
    setters = _SETTERS[cls] = tuple(found)
    return setters


def _rebuild(cls: type, values: tuple[Any, ...]) -> Any:
    """A slotted frozen dataclass from its field values, as dataclasses' __setstate__ would set them (no
    __init__, no __post_init__); a cache or a prefetch result holds ~200,000 of these."""
    setters = _SETTERS.get(cls) or _setters(cls)
    if len(values) != len(setters):
        raise pickle.UnpicklingError(f"{cls.__name__}: {len(values)} values for {len(setters)} fields")
    obj: Any = _new(cls)
    for put, value in zip(setters, values):  # noqa: B905 - the lengths are checked above
        put(obj, value)
    return obj


def _getter(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    names = _field_names(cls)
    getter: Callable[[Any], tuple[Any, ...]]
    if len(names) > 1:
        getter = operator.attrgetter(*names)  # a tuple of the values, in C
    elif names:
        get = operator.attrgetter(names[0])
        getter = lambda obj: (get(obj),)  # noqa: E731
    else:
        getter = lambda obj: ()  # noqa: E731
    _GETTERS[cls] = getter
    return getter


def _reduce_slotted(obj: Any) -> tuple[Any, ...]:
    cls = type(obj)
    return (_rebuild, (cls, (_GETTERS.get(cls) or _getter(cls))(obj)))


def _reduce_tuple(obj: Any) -> tuple[Any, ...]:
    """A tuple subclass built by tuple.__new__ (`Range`): the NEWOBJ opcode, as pickle's default reduce
    writes it, without the trip through `object.__reduce_ex__` (75,000 ranges: 75 -> 57 ms)."""
    return (_NEWOBJ, (type(obj), tuple(obj)))


_NEWOBJ = copyreg.__newobj__  # type: ignore[attr-defined]


def dispatch_table() -> dict[type, Any]:
    """`_reduce_slotted` for every slotted dataclass of the loaded stage_lsp modules (the classes of any
    result being saved are loaded), `_reduce_tuple` for their plain tuple subclasses."""
    table: dict[type, Any] = {}
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "stage_lsp" or name.startswith("stage_lsp.")):
            continue
        for value in list(vars(module).values()):
            if not isinstance(value, type) or not value.__module__.startswith("stage_lsp"):
                continue
            if dataclasses.is_dataclass(value) and "__slots__" in value.__dict__:
                table[value] = _reduce_slotted
            elif (
                issubclass(value, tuple) and value.__new__ is tuple.__new__ and "__slots__" in value.__dict__
            ):
                table[value] = _reduce_tuple
    return table


def pack(result: Any, table: dict[type, Any]) -> bytes:
    """One result pickled with `table` (`dispatch_table()`): what a shard holds for it."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = table
    pickler.dump(result)
    return out.getvalue()


class _SafeUnpickler(pickle.Unpickler):
    """Builds only stage_lsp dataclasses, enums and plain tuple subclasses; anything else is refused (the
    shard is ignored)."""

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == "_rebuild":
            return _rebuild
        if module == "stage_lsp" or module.startswith("stage_lsp."):
            found = getattr(sys.modules.get(module), name, None)
            if isinstance(found, type) and (
                dataclasses.is_dataclass(found)
                or issubclass(found, enum.Enum)
                # a tuple subclass built by tuple.__new__ itself (`Range`): no code of the class runs
                or (issubclass(found, tuple) and found.__new__ is tuple.__new__)
            ):
                return found
        if module == "builtins" and name in _BUILTINS:
            return _BUILTINS[name]
        raise pickle.UnpicklingError(f"refused to load {module}.{name} from the cache")


def loads(data: bytes) -> Any:
    """A result pickled by `pack` (a shard's entry, a prefetch worker's result), loaded through the
    restricted unpickler: only stage_lsp dataclasses and enums are built."""
    return _SafeUnpickler(io.BytesIO(data)).load()


CACHE_ENV = "STAGE_LSP_CACHE_DIR"  # the machine's choice of cache folder (anywhere), over `cache-dir`


def cache_directory(root: Path, configured: str | None) -> Path | None:
    """Where the cache of `root` lives: `STAGE_LSP_CACHE_DIR` when set (the machine's choice, anywhere),
    else `cache-dir` (default `.stage-lsp-cache`), which comes from the repository and so must stay inside
    the project: None (no cache) when it leads outside, so a cloned repository never makes the checker
    create, write or prune folders elsewhere."""
    machine = os.environ.get(CACHE_ENV)
    if machine:
        return Path(machine)
    directory = root / (configured or DEFAULT_DIR)
    try:
        inside = directory.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        inside = False
    return directory if inside else None


def _shard_name(reader: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", reader) + ".pickle"


def holds_results(directory: Path, reader: str) -> bool:
    """Whether the cache in `directory` has a shard of `reader`'s results written by this code (without
    reading it)."""
    return (directory / f"{CACHE_FORMAT}-{_stamp()}" / _shard_name(reader)).is_file()


class DiskCache:
    """Reader results by (reader, path, content digest), loaded per reader on first use."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.folder = directory / f"{CACHE_FORMAT}-{_stamp()}"
        # per reader: path -> (content digest, the pickled result; None until written)
        self._shards: dict[str, dict[str, tuple[str, bytes | None]]] = {}
        self._values: dict[str, dict[str, Any]] = {}  # per reader: results unpickled or put in this run
        self._used: dict[str, set[str]] = {}
        self._dirty: set[str] = set()
        self.hits = 0
        self.misses = 0

    def _shard(self, reader: str) -> dict[str, tuple[str, bytes | None]]:
        shard = self._shards.get(reader)
        if shard is None:
            shard = self._shards[reader] = self._load(reader)
            self._values[reader] = {}
            self._used[reader] = set()
        return shard

    def _load(self, reader: str) -> dict[str, tuple[str, bytes | None]]:
        try:
            data = (self.folder / _shard_name(reader)).read_bytes()
            doc = _SafeUnpickler(io.BytesIO(data)).load()
        except FileNotFoundError:
            return {}
        except Exception:  # corrupt, truncated, foreign: start afresh, rewrite on save
            self._dirty.add(reader)
            return {}
        if not (isinstance(doc, tuple) and len(doc) == 4 and doc[:3] == (MAGIC, _stamp(), reader)):
            self._dirty.add(reader)
            return {}
        entries = doc[3]
        return entries if isinstance(entries, dict) else {}

    def get(self, reader: str, rel: str, digest: str) -> Any:
        shard = self._shard(reader)
        hit = shard.get(rel)
        if not (isinstance(hit, tuple) and len(hit) == 2 and hit[0] == digest):
            self.misses += 1
            return MISSING
        values = self._values[reader]
        value = values.get(rel, MISSING)
        if value is MISSING:
            try:
                if not isinstance(hit[1], bytes):
                    raise pickle.UnpicklingError("not a pickled result")
                # Long-lived results: keep later collections from walking them again and again (the
                # first full collection after a large shard cost a warm check ~0.5 s of CPU).
                with long_lived():
                    value = loads(hit[1])
            except Exception:  # a damaged or foreign entry: a miss, and the shard is rewritten
                del shard[rel]
                self._dirty.add(reader)
                self.misses += 1
                return MISSING
            values[rel] = value
        self._used[reader].add(rel)
        self.hits += 1
        return value

    def keep(self, reader: str, rel: str, digest: str) -> bool:
        """Whether a result for this content is kept; if so it counts as used by this run (the shard
        keeps only used entries), without being unpickled."""
        hit = self._shard(reader).get(rel)
        if not (isinstance(hit, tuple) and len(hit) == 2 and hit[0] == digest):
            return False
        self._used[reader].add(rel)
        return True

    def put(self, reader: str, rel: str, digest: str, result: Any, packed: bytes | None = None) -> None:
        """Keep `result`; `packed` is its pickle when the caller has it (a prefetch worker's), else it is
        pickled when the shard is written."""
        self._shard(reader)[rel] = (digest, packed)
        self._values[reader][rel] = result
        self._used[reader].add(rel)
        self._dirty.add(reader)

    def save(self) -> None:
        """Write the shards that changed (only the entries this run used); never raises."""
        table = dispatch_table()
        with gc_paused():
            for reader, shard in self._shards.items():
                used = self._used.get(reader, set())
                if reader not in self._dirty and used == set(shard):
                    continue
                kept: dict[str, tuple[str, bytes]] = {}
                for rel in sorted(used):
                    hit = shard.get(rel)
                    if hit is None:
                        continue
                    packed = hit[1]
                    if packed is None:
                        try:
                            packed = pack(self._values[reader][rel], table)
                        except Exception:  # a result that cannot be pickled is not kept
                            continue
                    kept[rel] = (hit[0], packed)
                with contextlib.suppress(Exception):
                    self._write(reader, kept)
        self._dirty.clear()

    def _write(self, reader: str, entries: dict[str, tuple[str, bytes]]) -> None:
        doc = (MAGIC, _stamp(), reader, entries)
        self._write_file(_shard_name(reader), pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))

    def _write_file(self, name: str, payload: bytes) -> None:
        new_dir = not self.folder.is_dir()
        self.folder.mkdir(parents=True, exist_ok=True)
        if new_dir:
            self._mark()
            self._remove_old()
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(payload)
            os.replace(tmp, self.folder / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    # Other entries of this version's folder (the whole-check results of `workspace.check_results`):
    # bytes the caller encodes and validates itself; written atomically like the shards.

    def read_entry(self, name: str) -> bytes | None:
        """The bytes of entry `name` of this version's folder, None when absent or unreadable."""
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    def write_entry(self, name: str, payload: bytes) -> None:
        """Write entry `name` atomically (marking a new folder as the shards do); never raises."""
        with contextlib.suppress(Exception):
            self._write_file(name, payload)

    def _mark(self) -> None:
        for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "# created by stage-lsp\n*\n")):
            path = self.directory / name
            if not path.exists():
                with contextlib.suppress(OSError):
                    path.write_text(text, encoding="utf-8")

    def _remove_old(self) -> None:
        now = time.time()
        with contextlib.suppress(OSError):
            for entry in self.directory.iterdir():
                old = entry.name.startswith(f"{CACHE_FORMAT}-") and entry != self.folder
                if (
                    old
                    and entry.is_dir()
                    and not entry.is_symlink()
                    and now - entry.stat().st_mtime > OLD_STAMP_AGE_S
                ):
                    shutil.rmtree(entry, ignore_errors=True)

    def clear(self) -> None:
        """Remove this cache folder (all versions)."""
        shutil.rmtree(self.directory, ignore_errors=True)
