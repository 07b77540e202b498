"""Baselines: accept today's findings, fail only on new ones (`--baseline FILE`, `--baseline-update`).

A baseline is a JSON file listing fingerprints (never line numbers, so edits that move a finding keep it
baselined) with a readable summary of each:

    {"version": 1, "tool": "stage-lsp",
     "entries": [{"fingerprint": "1:0c4f...", "code": "SL101", "file": ".ai/api-plan.md",
                  "message": "Planned endpoint `GET /api/x` has no route in the code"}]}

Entries are sorted by file, code, fingerprint and message, one per fingerprint, so the file diffs well.
A finding is reported only when its fingerprint is not in the baseline. An entry whose fingerprint no
longer matches any finding is *stale* (the finding was fixed); stale entries are reported once per run as
a notice on stderr and pruned by `--baseline-update`. Entries the run could not have matched (a rule that
was not selected, a file outside `--since`) are neither stale nor pruned: `--baseline-update` keeps them.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from stage_lsp.core.violation import Violation

BASELINE_VERSION = 1


class BaselineError(Exception):
    """The baseline file is missing or not a stage-lsp baseline (the CLI exits 2)."""


@dataclass(frozen=True, slots=True, order=True)
class Entry:
    file: str
    code: str
    fingerprint: str
    message: str

    @staticmethod
    def of(v: Violation) -> Entry:
        return Entry(v.location.file, v.code, v.fingerprint, v.message)

    def to_json(self) -> dict[str, str]:
        return {
            "fingerprint": self.fingerprint,
            "code": self.code,
            "file": self.file,
            "message": self.message,
        }


@dataclass(frozen=True)
class Baseline:
    entries: tuple[Entry, ...]

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(e.fingerprint for e in self.entries)


@dataclass(frozen=True)
class Filtered:
    new: tuple[Violation, ...]  # not in the baseline: reported
    known: tuple[Violation, ...]  # in the baseline: hidden
    stale: tuple[Entry, ...]  # in the baseline, in scope, no longer found


def load(path: Path) -> Baseline:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline not found (create it with --baseline-update)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not JSON (line {exc.lineno}): {exc.msg}") from None
    if (
        not isinstance(doc, dict)
        or doc.get("version") != BASELINE_VERSION
        or not isinstance(doc.get("entries"), list)
    ):
        raise BaselineError(f"{path}: not a stage-lsp baseline (version {BASELINE_VERSION} with `entries`)")
    entries: list[Entry] = []
    for i, item in enumerate(doc["entries"]):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise BaselineError(f"{path}: entry {i + 1} has no `fingerprint`")
        entries.append(
            Entry(
                str(item.get("file", "")),
                str(item.get("code", "")),
                item["fingerprint"],
                str(item.get("message", "")),
            )
        )
    return Baseline(tuple(entries))


def apply(
    baseline: Baseline, violations: Sequence[Violation], in_scope: Callable[[Entry], bool] = lambda e: True
) -> Filtered:
    """Split the findings into new and baselined; list the in-scope entries nobody matched."""
    known_prints = baseline.fingerprints
    found = {v.fingerprint for v in violations}
    new = tuple(v for v in violations if v.fingerprint not in known_prints)
    known = tuple(v for v in violations if v.fingerprint in known_prints)
    stale = tuple(sorted(e for e in baseline.entries if e.fingerprint not in found and in_scope(e)))
    return Filtered(new, known, stale)


def stale_notes(stale: Sequence[Entry]) -> list[str]:
    """The notice on stale entries (the CLI prints each line on stderr, after `stage-lsp: `)."""
    n = len(stale)
    head = (
        f"{n} baseline entr{'ies are' if n != 1 else 'y is'} stale (the finding is gone); "
        "`--baseline-update` prunes them:"
    )
    return [head, *(f"  stale: {e.code} {e.file}: {e.message} [{e.fingerprint}]" for e in stale)]


def updated(
    baseline: Baseline | None,
    violations: Iterable[Violation],
    in_scope: Callable[[Entry], bool] = lambda e: True,
) -> Baseline:
    """The baseline after `--baseline-update`: every current finding, plus the out-of-scope entries kept."""
    by_print: dict[str, Entry] = {}
    for v in sorted(violations, key=lambda v: v.sort_key):
        by_print.setdefault(v.fingerprint, Entry.of(v))
    if baseline is not None:
        for e in baseline.entries:
            if not in_scope(e):
                by_print.setdefault(e.fingerprint, e)
    return Baseline(tuple(sorted(by_print.values())))


def dumps(baseline: Baseline) -> str:
    doc = {
        "version": BASELINE_VERSION,
        "tool": "stage-lsp",
        "entries": [e.to_json() for e in baseline.entries],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def save(path: Path, baseline: Baseline) -> None:
    """Write atomically (a temporary file beside it, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".baseline-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(dumps(baseline))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
