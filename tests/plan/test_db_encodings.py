"""Db plans saved as CRLF, with a UTF-8 BOM, or as UTF-16 LE/BE: the same model, the same ranges.

`core.text` decodes; these tests go through `read_source` and the db reader, with Polish text before
the items so that columns count code points, not bytes.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from stage_lsp.core.source import read_source
from stage_lsp.plan.db_reader import read_db_plan
from stage_lsp.plan.model import DbPlanDoc
from tests.plan.dbplan import index_columns, rng, table

PLAN = """\
# Schemat bazy — wersja źródłowa

## 1. Tabele

### workouts
| Kolumna | Typ | Ograniczenia |
|---|---|---|
| `id` | `uuid` | `PRIMARY KEY` |
| `ai_suggestion_id` | `uuid` | `NULL` |

## 2. Indeksy
- Unikalny częściowy indeks `workouts (ai_suggestion_id)` — odwzorowanie 1–1

## 3. Zasady bezpieczeństwa (RLS)
- RLS włączone dla: `workouts`.
- Żółta uwaga: **SELECT**: `user_id = auth.uid()`
"""

ENCODINGS = {
    "lf": lambda text: text.encode("utf-8"),
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le": lambda text: codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le"),
    "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
}


def read_encoded(tmp_path: Path, encoding: str) -> DbPlanDoc:
    (tmp_path / "db-plan.md").write_bytes(ENCODINGS[encoding](PLAN))
    src = read_source(tmp_path, "db-plan.md")
    assert src.problem is None
    return read_db_plan(src)


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_every_encoding_reads_the_same_model_with_the_same_ranges(tmp_path: Path, encoding: str) -> None:
    doc = read_encoded(tmp_path, encoding)
    workouts = table(doc, "workouts")
    assert workouts.location.range == rng(4, 4, 12)
    assert [(c.name, c.location.range) for c in workouts.columns] == [
        ("id", rng(7, 3, 5)),
        ("ai_suggestion_id", rng(8, 3, 19)),
    ]
    assert index_columns(workouts) == {("ai_suggestion_id",)}
    assert workouts.indexes[0].location.range == rng(11, 29, 56)  # after "częściowy": code points
    assert workouts.rls is True
    assert workouts.rls_location is not None and workouts.rls_location.range == rng(14, 2, 31)
    assert doc.issues == ()


def test_the_encoding_is_stated_by_the_source(tmp_path: Path) -> None:
    (tmp_path / "db-plan.md").write_bytes(ENCODINGS["utf-16-le"](PLAN))
    assert read_source(tmp_path, "db-plan.md").encoding == "utf-16-le"
