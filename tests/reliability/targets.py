"""What the fuzz tests feed and check: one function per target, shared by pytest and the campaign.

Each target takes an input (text, bytes, or a set of files), runs the reader or the whole check on it
twice, and asserts the invariants (tests/reliability/invariants.py): nothing raised, every range inside
its document, both runs equal. A target returns nothing; it fails by raising AssertionError (or by
letting the reader's exception through, which is the bug being looked for).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from stage_lsp.code.db_types import read_types
from stage_lsp.code.index import read_facts
from stage_lsp.code.migrations import read_migration, read_typeorm_migration
from stage_lsp.code.replay import replay
from stage_lsp.code.secrets import scan_secrets
from stage_lsp.config.discovery import discover
from stage_lsp.config.settings import Settings
from stage_lsp.core.location import Location
from stage_lsp.core.source import SourceFile
from stage_lsp.core.text import decode_bytes
from stage_lsp.core.violation import CreateFile, TextEdit, Violation
from stage_lsp.engine import run_check, select_rules
from stage_lsp.plan.api_reader import read_api_plan
from stage_lsp.plan.db_reader import read_db_plan
from stage_lsp.plan.prd_reader import read_prd
from stage_lsp.plan.project_rules import read_project_rules
from stage_lsp.plan.stage_reader import read_stage_plan
from stage_lsp.plan.story_refs import read_story_refs
from stage_lsp.sql import read_sql
from stage_lsp.workspace import Workspace
from tests.conftest import EXAMPLE
from tests.reliability.invariants import check_deterministic, check_ranges
from tests.reliability.seeds import Seed

PLAN_READERS: dict[str, Callable[[SourceFile], Any]] = {
    "api": read_api_plan,
    "db": read_db_plan,
    "stage": read_stage_plan,
    "prd": read_prd,
    "rules": read_project_rules,
    "story-refs": read_story_refs,
    "secrets": scan_secrets,
}
PLAN_FILES = {
    "api": ".ai/api-plan.md",
    "db": ".ai/db-plan.md",
    "stage": ".ai/stages-plan.md",
    "prd": ".ai/prd.md",
    "rules": ".cursor/rules/backend.mdc",
    "story-refs": ".ai/api-plan.md",
    "secrets": ".ai/db-plan.md",
}


def source_of_bytes(rel: str, data: bytes) -> SourceFile:
    """What `core.source.read_source` makes of a file holding `data` (without touching the disk)."""
    decoded = decode_bytes(data)
    digest = hashlib.sha1(data).hexdigest()
    return SourceFile(rel, decoded.text, digest, decoded.encoding, decoded.crlf, decoded.problem)


def _twice(fn: Callable[[SourceFile], Any], src: SourceFile, texts: Mapping[str, str] | None = None) -> Any:
    first = fn(src)
    check_ranges(first, texts if texts is not None else {src.rel: src.text}, src.rel)
    check_deterministic(first, fn(src))
    return first


def plan_target(kind: str, text: str | bytes, linked: Iterable[Seed] = ()) -> None:
    """Read `text` as a plan of `kind` (API plans follow links into `linked`, chosen by the link)."""
    rel = PLAN_FILES[kind]
    src = source_of_bytes(rel, text) if isinstance(text, bytes) else SourceFile.from_text(rel, text)
    if kind != "api":
        _twice(PLAN_READERS[kind], src)
        return
    pool = list(linked)
    texts = {rel: src.text}

    def load(target: str) -> SourceFile | None:
        if not pool or target.startswith("../") or target == rel:
            return None
        linked_src = SourceFile.from_text(
            target, pool[zlib.crc32(target.encode("utf-8", "replace")) % len(pool)].text
        )
        texts[target] = linked_src.text
        return linked_src

    first = read_api_plan(src, load)
    check_ranges(first, texts, rel)
    check_deterministic(first, read_api_plan(src, load))


CODE_READERS: dict[str, Callable[[SourceFile], Any]] = {
    "facts": read_facts,
    "types": read_types,
    "secrets": scan_secrets,
    "typeorm": read_typeorm_migration,
}


def code_target(rel: str, text: str | bytes, reader: str = "facts") -> None:
    """Read `text` as the source file `rel` with one of the code readers."""
    if reader == "typeorm":
        rel = "src/migrations/1730000000000-Fuzz.ts"
    src = source_of_bytes(rel, text) if isinstance(text, bytes) else SourceFile.from_text(rel, text)
    _twice(CODE_READERS[reader], src)


def sql_target(text: str | bytes, others: Iterable[Seed] = ()) -> None:
    """Read `text` as a migration, then replay it after the others (each read as a migration too)."""
    rel = "supabase/migrations/20250401000000_fuzz.sql"
    src = source_of_bytes(rel, text) if isinstance(text, bytes) else SourceFile.from_text(rel, text)
    script = read_sql(src.text, rel)
    check_ranges(script, {rel: src.text}, rel)
    check_deterministic(script, read_sql(src.text, rel))
    mine = _twice(read_migration, src)
    files = [
        read_migration(SourceFile.from_text(f"supabase/migrations/2025030{i}000000_seed.sql", seed.text))
        for i, seed in enumerate(others)
    ]
    texts = {rel: src.text} | {f.file: t.text for f, t in zip(files, others, strict=True)}
    schema = replay([*files, mine])
    check_ranges(schema, texts, rel)
    check_deterministic(schema, replay([*files, mine]))


# -- the whole check on a project whose files are replaced by mutated ones ----------------------------------


class ExampleProject:
    """A private copy of examples/flashcards; each check overlays mutated files on it (nothing is written)."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="stage-lsp-fuzz-"))
        self.root = self.dir / "flashcards"
        shutil.copytree(EXAMPLE, self.root)
        self.settings = Settings()
        self.files = discover(self.root, self.settings)
        self.selection = select_rules(select=None, extend_select=[], ignore=[], severity={})

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def check(self, overlays: Mapping[str, str]) -> tuple[Violation, ...]:
        ws = Workspace(self.root, self.settings, self.files)
        ws.overlays.update(overlays)
        result = run_check(ws, self.selection)
        assert not result.internal_errors, "\n".join(result.internal_errors)
        texts = {rel: ws.source(rel).text for rel in {*ws.loaded_files(), *overlays}}
        for v in result.violations:
            _check_violation(v, texts, self.root)
        return result.violations


def _inside(rel: str) -> bool:
    parts = rel.split("/")
    return bool(rel) and not rel.startswith("/") and "\\" not in rel and ".." not in parts and "" not in parts


def _check_violation(v: Violation, texts: Mapping[str, str], root: Path | None = None) -> None:
    """A finding's ranges lie in their documents; its fix edits only files inside the project and
    creates only files that do not exist (in `texts`, or on disk under `root`)."""
    locations: list[Location] = [v.location, *(r.location for r in v.related)]
    for fix in (v.fix, *v.alternatives):
        for edit in fix.edits if fix is not None else ():
            if isinstance(edit, CreateFile):
                assert _inside(edit.file), f"{v.code} fix creates a file outside the project: {edit.file!r}"
                exists = edit.file in texts or (root is not None and (root / edit.file).exists())
                assert not exists, f"{v.code} fix creates a file that exists: {edit.file}"
            elif isinstance(edit, TextEdit):
                locations.append(edit.location)
    for loc in locations:
        assert _inside(loc.file), f"{v.code} points outside the project: {loc.file!r}"
    check_ranges(tuple(locations), texts, v.location.file)


def project_target(project: ExampleProject, overlays: Mapping[str, str]) -> None:
    first = project.check(overlays)
    check_deterministic(first, project.check(overlays))
