"""database.types.ts: both generator styles, UTF-16 LE with BOM and CRLF."""

from __future__ import annotations

import codecs
from pathlib import Path

from stage_lsp.code.db_types import read_types
from stage_lsp.core.location import Range
from stage_lsp.core.source import SourceFile, read_source

TYPE_FORM = """export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[];

export type Database = {
  graphql_public: {
    Tables: { [_ in never]: never };
  };
  public: {
    Tables: {
      decks: {
        Row: {
          id: string;
          "created_at": string | null;
        };
        Insert: { id?: string; extra_insert_only?: string };
        Relationships: [];
      };
      flashcards: {
        Row: { id: string; deck_id: string };
      };
    };
    Views: {
      deck_stats: { Row: { n: number } };
    };
  };
};
"""

INTERFACE_FORM = """export interface Database {
  public: {
    Tables: {
      profiles: {
        Row: {
          user_id: string
        }
      }
    }
    Views: Record<never, never>
  }
}
"""


def test_type_alias_form() -> None:
    types = read_types(SourceFile.from_text("src/db/database.types.ts", TYPE_FORM))
    assert types.tables is not None
    assert [(t.name, t.columns) for t in types.tables] == [
        ("decks", ("id", "created_at")),
        ("flashcards", ("id", "deck_id")),
    ]
    assert types.tables[0].location.range == Range(8, 6, 8, 11)


def test_interface_form() -> None:
    types = read_types(SourceFile.from_text("database.types.ts", INTERFACE_FORM))
    assert types.tables is not None
    assert [(t.name, t.columns) for t in types.tables] == [("profiles", ("user_id",))]


def test_no_tables_and_no_database_type() -> None:
    empty = "export type Database = { public: { Tables: Record<never, never> } }"
    assert read_types(SourceFile.from_text("t.ts", empty)).tables == ()
    assert read_types(SourceFile.from_text("t.ts", "export const x = 1;")).tables is None
    assert read_types(SourceFile.from_text("t.ts", "")).tables is None


def test_utf16_le_with_bom_and_crlf(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + INTERFACE_FORM.replace("\n", "\r\n").encode("utf-16-le")
    (tmp_path / "database.types.ts").write_bytes(data)
    src = read_source(tmp_path, "database.types.ts")
    assert (src.encoding, src.crlf, src.problem) == ("utf-16-le", True, None)
    types = read_types(src)
    assert types.tables is not None
    assert [(t.name, t.columns, t.location.range) for t in types.tables] == [
        ("profiles", ("user_id",), Range(3, 6, 3, 14))
    ]
