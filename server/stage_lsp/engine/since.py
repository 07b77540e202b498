"""PR mode (`--since REF`): which files changed since the merge base with REF, and the plans as they were.

Changed files are those of `git diff --name-only <merge-base>` (committed, staged and unstaged changes,
deletions included, renames as delete + add) plus untracked files that are not ignored, relative to the
project root (files outside it are dropped). The old plans are today's plan files as they were at the merge
base (`git cat-file blob <base>:./path`), read by the same readers through a Workspace whose overlays hold
the old text; a plan file that did not exist there reads as empty.

git is the only program run, with external diff drivers, text conversion and fsmonitor hooks disabled, so
nothing from the repository is executed. Every failure (no git, not a repository, REF unknown, a shallow
clone without the merge base) is a `SinceError` whose message says what to do; the CLI exits 2.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from stage_lsp.context import ChangeSet
from stage_lsp.core.text import decode_bytes
from stage_lsp.workspace import Workspace

GIT_TIMEOUT = 120
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "-c", "diff.external=")


class SinceError(Exception):
    """`--since` cannot work here (the message says why and what to do)."""


def _git(root: Path, args: Sequence[str], *, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    try:
        proc = subprocess.run(
            ["git", *_SAFE, *args],
            cwd=root,
            env=env,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except FileNotFoundError:
        raise SinceError("--since needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise SinceError(f"git {' '.join(args[:2])} did not finish in {GIT_TIMEOUT} s") from None
    if check and proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SinceError(f"git {args[0]} failed: {message[-1] if message else proc.returncode}")
    return proc


def _paths(output: bytes) -> list[str]:
    return [p.decode("utf-8", "surrogateescape") for p in output.split(b"\0") if p]


def merge_base(root: Path, ref: str) -> str:
    probe = _git(root, ["rev-parse", "--is-inside-work-tree"], check=False)
    if probe.returncode != 0 or probe.stdout.strip() != b"true":
        raise SinceError(f"{root} is not inside a git work tree: --since needs the project's git history")
    if ref.startswith("-"):
        raise SinceError(f"`{ref}` is not a git revision")
    found = _git(root, ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], check=False)
    if found.returncode != 0:
        raise SinceError(
            f"`{ref}` is not a commit in this repository. In CI, fetch it first (actions/checkout with "
            "`fetch-depth: 0`, or `git fetch origin main`) and pass e.g. `--since origin/main`"
        )
    base = _git(root, ["merge-base", found.stdout.decode().strip(), "HEAD"], check=False)
    if base.returncode != 0:
        raise SinceError(
            f"no common history between `{ref}` and HEAD (a shallow clone? fetch more history, e.g. "
            "`fetch-depth: 0`)"
        )
    return base.stdout.decode().strip()


def changed_files(root: Path, base: str) -> frozenset[str]:
    diff = _git(
        root,
        [
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            "--no-ext-diff",
            "--no-textconv",
            "--relative",
            base,
            "--",
        ],
    )
    untracked = _git(root, ["ls-files", "--others", "--exclude-standard", "-z", "--", "."])
    return frozenset(_paths(diff.stdout) + _paths(untracked.stdout))


def old_text(root: Path, base: str, rel: str) -> str | None:
    """The file's text at `base`, or None when it did not exist there (or is not text)."""
    proc = _git(root, ["cat-file", "blob", f"{base}:./{rel}"], check=False)
    if proc.returncode != 0:
        return None
    decoded = decode_bytes(proc.stdout)
    return None if decoded.problem and not decoded.text else decoded.text


def collect(ws: Workspace, ref: str) -> ChangeSet:
    """Everything PR mode needs: the merge base, the changed files and the old plans."""
    root = ws.root
    base = merge_base(root, ref)
    changed = changed_files(root, base)
    old = Workspace(root, ws.settings, files=ws.files)
    existed: set[str] = set()
    for rel in ws.files.all_plans:
        text = old_text(root, base, rel)
        if text is not None:
            existed.add(rel)
        old.overlays[rel] = text or ""
    return ChangeSet(ref, base, changed, old.plan(), frozenset(existed))
