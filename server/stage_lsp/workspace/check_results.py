"""The whole-check result cache: the findings of a check, kept with everything that decides them.

A warm `stage-lsp --check` with nothing changed used to import the engine and the rules, unpickle the
per-file results and read every file again to compare digests, only to compute the same findings. The
CLI (`cli.result_cache`) keeps the last check's findings of a root here, in the disk cache's folder for
this version of the package (`workspace.cache`: a new version or an edited checkout never reads them),
under a key made of:

- the inputs the CLI names (settings, config file, the options that change findings: `inputs`);
- every file discovery walked, chosen or not, in walk order, each with a cheap signature (size,
  mtime_ns, ctime_ns, inode): added, removed and renamed files change the list, edits the signatures;
- other paths that decide the result wherever they lie (the framework detection's probe files);
- the files the check read outside the walk, with the stamp the check saw (`Workspace.read_stamps`).

The key is taken before the check runs, so a file changed during the check makes the next run a miss.
On a match the CLI renders the stored findings without importing the engine, the rules or any reader.

**Approximation.** A file's signature is its stat, not its content (as ruff's cache): an edit is seen
through its mtime (and ctime, size, inode). The known hole of that scheme, a file rewritten with the same
size within the same timestamp tick right after it was stat'ed, is closed as git closes it: a file
modified less than `RACY_NS` before the key was taken is *racy*, its content digest joins the key, and
later runs hash it again. What remains: a same-size rewrite whose mtime is set back and whose ctime the
platform does not keep (Windows reports the creation time as ctime), or a clock set back.

**Format.** One file per root, `check-<digest of the root path>.json`: a header line (JSON: format, root,
key, racy files, files read outside the walk) and a result line (JSON: the findings, the number of files
checked, the selected rule codes), so a miss parses only the header. JSON and not pickle: a cache folder
someone else can write must not run code here. Anything unexpected (truncated, corrupt, another format,
wrong types) is a miss, never an error; the decoder checks every value's type, so the renderers only see
well-formed Violations.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stage_lsp.core.location import Location, Range
from stage_lsp.core.rule_info import RuleInfo
from stage_lsp.core.violation import (
    Applicability,
    CreateFile,
    Edit,
    Fix,
    Related,
    Severity,
    TextEdit,
    Violation,
)
from stage_lsp.workspace.cache import DiskCache

RESULT_FORMAT = 2  # 2: with the rules' report metadata (`rules`)
RACY_NS = 2_000_000_000  # coarser than any file system's timestamp tick (FAT: 2 s)

Signature = tuple[int, int, int, int] | None  # (size, mtime_ns, ctime_ns, inode); None: absent
Stamp = tuple[int, int] | str  # as `Workspace.read_stamps`: (mtime_ns, size), "missing", "not-a-file"


@dataclass(frozen=True)
class StoredCheck:
    """What the CLI needs to answer a check again: findings, files checked, the rule codes selected, and
    the report metadata of the rules that found something (SARIF describes them; storing it spares the
    cached answer importing the rules)."""

    violations: tuple[Violation, ...]
    files_checked: int
    codes: tuple[str, ...]
    rules: tuple[RuleInfo, ...] = ()


def _signature(path: str) -> Signature:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _content_digest(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except (OSError, ValueError):
        return "unreadable"


def read_stamp(root_prefix: str, rel: str, seen: Stamp) -> Stamp:
    """`rel`'s stamp now, in the form `seen` has (see `Workspace._load` and `read_stamps`)."""
    path = root_prefix + rel
    if seen == "not-a-file":
        return "file" if os.path.isfile(path) else "not-a-file"
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return "missing"
    return (st.st_mtime_ns, st.st_size)


class CheckKey:
    """The key of one check, taken before it runs: `inputs` (a digest of what the CLI names), and the
    signatures of the walked files (relative to `root`) and of `paths` (absolute, anywhere)."""

    def __init__(self, root: Path, inputs: str, walked: Sequence[str], paths: Iterable[Path]) -> None:
        self.root = str(root)
        self.prefix = os.path.join(self.root, "")
        self.inputs = inputs
        self.time_ns = time.time_ns()  # before the stats: a file changed during them counts as racy
        prefix = self.prefix
        self.walked = [(rel, _signature(prefix + rel)) for rel in walked]
        self.paths = [(str(p), _signature(str(p))) for p in paths]
        self._digests: dict[str, str] = {}

    def racy(self) -> list[str]:
        """Walked files modified less than RACY_NS before the key was taken (their content joins it)."""
        recent = self.time_ns - RACY_NS
        return [rel for rel, sig in self.walked if sig is not None and sig[1] > recent]

    def digest(self, racy: Iterable[str]) -> str:
        """The key's digest, with the content of the `racy` files (read now) included."""
        h = hashlib.sha256(f"{RESULT_FORMAT}\0{self.root}\0{self.inputs}\n".encode(errors="surrogatepass"))
        for rel, sig in self.walked:
            h.update(f"{rel}\0{sig}\n".encode(errors="surrogatepass"))
        for path, sig in self.paths:
            h.update(f"@{path}\0{sig}\n".encode(errors="surrogatepass"))
        for rel in sorted(set(racy)):
            digest = self._digests.get(rel)
            if digest is None:
                digest = self._digests[rel] = _content_digest(self.prefix + rel)
            h.update(f"#{rel}\0{digest}\n".encode(errors="surrogatepass"))
        return h.hexdigest()


def entry_name(root: Path) -> str:
    return "check-" + hashlib.sha256(str(root).encode(errors="surrogatepass")).hexdigest()[:16] + ".json"


class PendingStore:
    """A miss: the key sealed before the check (racy files hashed then), stored after it."""

    def __init__(self, key: CheckKey) -> None:
        self.key = key
        self.racy = key.racy()
        self.digest = key.digest(self.racy)

    def store(self, cache: DiskCache, result: StoredCheck, stamps: Mapping[str, Stamp]) -> bool:
        """Write the entry; False (nothing written) when the check read a file outside the walk that
        was an editor buffer or was modified too recently to trust its stamp."""
        walked = {rel for rel, _ in self.key.walked}
        recent = self.key.time_ns - RACY_NS
        read: list[list[Any]] = []
        for rel, seen in sorted(stamps.items()):
            if rel in walked:
                continue
            if isinstance(seen, tuple):
                if seen[0] > recent:
                    return False
                read.append([rel, list(seen)])
            elif seen in ("missing", "not-a-file"):
                read.append([rel, seen])
            else:
                return False
        header = {
            "format": RESULT_FORMAT,
            "root": self.key.root,
            "key": self.digest,
            "racy": self.racy,
            "read": read,
        }
        body = {
            "files": result.files_checked,
            "codes": list(result.codes),
            "violations": [_violation(v) for v in result.violations],
            "rules": [[r.code, r.name, r.summary, r.doc, r.severity.value, r.family] for r in result.rules],
        }
        payload = (
            json.dumps(header, separators=(",", ":"))
            + "\n"
            + json.dumps(body, ensure_ascii=False, separators=(",", ":"))
            + "\n"
        )
        cache.write_entry(entry_name(Path(self.key.root)), payload.encode("utf-8", errors="surrogatepass"))
        return True


def lookup(cache: DiskCache, key: CheckKey) -> StoredCheck | None:
    """The stored result of this key, or None (absent, another key, or anything unexpected)."""
    data = cache.read_entry(entry_name(Path(key.root)))
    if data is None:
        return None
    try:
        head, _, rest = data.partition(b"\n")
        header = json.loads(head)
        if not (
            isinstance(header, dict)
            and header.get("format") == RESULT_FORMAT
            and header.get("root") == key.root
        ):
            return None
        racy = _strs(header.get("racy"))
        if header.get("key") != key.digest(racy):
            return None
        read = header.get("read")
        if not isinstance(read, list):
            return None
        for item in read:
            if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
                return None
            seen = tuple(item[1]) if isinstance(item[1], list) else item[1]
            if not (isinstance(seen, str) or (len(seen) == 2 and all(_is_int(x) for x in seen))):
                return None
            if read_stamp(key.prefix, item[0], seen) != seen:
                return None
        return _stored(json.loads(rest.decode("utf-8", errors="surrogatepass")))
    except Exception:  # corrupt, truncated, foreign: a miss
        return None


# -- the findings as JSON (lists, not objects: a large project stores thousands) -------------------------


def _location(loc: Location) -> list[Any]:
    r = loc.range
    return [loc.file, r.line, r.col, r.end_line, r.end_col]


def _edit(e: Edit) -> list[Any]:
    if isinstance(e, TextEdit):
        return ["edit", _location(e.location), e.new_text]
    return ["create", e.file, e.content]


def _fix(f: Fix) -> list[Any]:
    return [f.title, f.applicability.value, [_edit(e) for e in f.edits]]


def _violation(v: Violation) -> list[Any]:
    return [
        v.code,
        v.name,
        v.severity.value,
        v.message,
        _location(v.location),
        v.fingerprint,
        [[_location(r.location), r.message] for r in v.related],
        _fix(v.fix) if v.fix is not None else None,
        list(v.entity),
        [_fix(f) for f in v.alternatives],
    ]


class _Bad(ValueError):
    pass


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _str(x: object) -> str:
    if not isinstance(x, str):
        raise _Bad("not a string")
    return x


def _int(x: object) -> int:
    if not _is_int(x):
        raise _Bad("not an integer")
    assert isinstance(x, int)
    return x


def _list(x: object, n: int | None = None) -> list[Any]:
    if not isinstance(x, list) or (n is not None and len(x) != n):
        raise _Bad("not a list of the expected length")
    return x


def _strs(x: object) -> list[str]:
    return [_str(s) for s in _list(x)]


def _read_location(x: object) -> Location:
    file, line, col, end_line, end_col = _list(x, 5)
    return Location(_str(file), Range(_int(line), _int(col), _int(end_line), _int(end_col)))


def _read_edit(x: object) -> Edit:
    kind, a, b = _list(x, 3)
    if kind == "edit":
        return TextEdit(_read_location(a), _str(b))
    if kind == "create":
        return CreateFile(_str(a), _str(b))
    raise _Bad("unknown edit")


def _read_fix(x: object) -> Fix:
    title, applicability, edits = _list(x, 3)
    return Fix(_str(title), Applicability(_str(applicability)), tuple(_read_edit(e) for e in _list(edits)))


def _read_violation(x: object) -> Violation:
    code, name, severity, message, location, fingerprint, related, fix, entity, alternatives = _list(x, 10)
    return Violation(
        code=_str(code),
        name=_str(name),
        severity=Severity(_str(severity)),
        message=_str(message),
        location=_read_location(location),
        fingerprint=_str(fingerprint),
        related=tuple(Related(_read_location(loc), _str(msg)) for loc, msg in map(_pair, _list(related))),
        fix=None if fix is None else _read_fix(fix),
        entity=tuple(_strs(entity)),
        alternatives=tuple(_read_fix(f) for f in _list(alternatives)),
    )


def _pair(x: object) -> list[Any]:
    return _list(x, 2)


def _stored(x: object) -> StoredCheck:
    if not isinstance(x, dict):
        raise _Bad("not an object")
    return StoredCheck(
        violations=tuple(_read_violation(v) for v in _list(x.get("violations"))),
        files_checked=_int(x.get("files")),
        codes=tuple(_strs(x.get("codes"))),
        rules=tuple(_read_rule_info(r) for r in _list(x.get("rules"))),
    )


def _read_rule_info(x: object) -> RuleInfo:
    code, name, summary, doc, severity, family = _list(x, 6)
    return RuleInfo(_str(code), _str(name), _str(summary), _str(doc), Severity(_str(severity)), _str(family))
