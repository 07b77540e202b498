"""Regression tests for what the fuzz targets and the campaign found (docs/reliability.md lists them).

Slowness bugs are tested with inputs large enough that the old, quadratic code would run for hours
(200,000 characters on one line: about 2·10^10 steps) while the fixed, linear code takes a fraction of a
second. No test measures time: a regression shows as a test that does not finish.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stage_lsp.code.index import read_facts
from stage_lsp.core.source import SourceFile
from stage_lsp.plan.api_reader import read_api_plan
from stage_lsp.plan.db.indexes import split_columns
from stage_lsp.plan.db_reader import read_db_plan
from stage_lsp.plan.prd_reader import read_prd
from stage_lsp.sql import read_sql
from tests.conftest import EXAMPLE
from tests.reliability.invariants import check_ranges

N = 200_000


def _api(text: str) -> None:
    src = SourceFile.from_text(".ai/api-plan.md", text)
    check_ranges(read_api_plan(src), {src.rel: src.text}, src.rel)


def _db(text: str) -> None:
    src = SourceFile.from_text(".ai/db-plan.md", text)
    check_ranges(read_db_plan(src), {src.rel: src.text}, src.rel)


def _prd(text: str) -> None:
    src = SourceFile.from_text(".ai/prd.md", text)
    check_ranges(read_prd(src), {src.rel: src.text}, src.rel)


# -- determinism -----------------------------------------------------------------------------------------


def test_facts_of_a_file_are_the_same_on_every_read() -> None:
    """tree-sitter's `captures` returned one capture's nodes in an order that changed between calls."""
    route = (EXAMPLE / "src/pages/api/decks/[deckId].ts").read_text(encoding="utf-8")
    others = [p.read_text(encoding="utf-8") for p in sorted((EXAMPLE / "src").rglob("*.ts"))]
    first = read_facts(SourceFile.from_text("src/pages/api/decks/[deckId].ts", route))
    assert [b.local for b in first.imports] == ["APIRoute", "errorResponse", "deleteDeck"]  # document order
    for _ in range(20):
        for text in others:  # reading other files in between is what shuffled the order
            read_facts(SourceFile.from_text("src/x.ts", text))
        assert read_facts(SourceFile.from_text("src/pages/api/decks/[deckId].ts", route)) == first


# -- long lines: linear, not quadratic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "text"),
    [
        (
            _api,
            "# endpoint" + " " * N + "x\n",
        ),  # heading title: `endpoint\s*:?\s*` split the blanks every way
        (_api, "# Plan\n\n" + "[" * N + "\n"),  # index links: every `[` scanned to the end of the line
        (_api, "#### GET /api/x\n\n" + "200 " * (N // 4) + "\n"),  # each status looked back to the line start
        (_api, "#### POST /api/x\n\nBody: `a`" + " " * N + "x\n"),  # body field names
        (_api, '#### GET /api/x\n\nError codes: "' + "|" * N + "\n"),  # code alternatives
        (_db, "# DB\n\n" + "[" * N + "\n"),  # per-table file links
        (_db, "# DB\n\n## tables" + " " * N + "x\n"),  # a heading's closing `#`s looked for from every blank
        (_prd, "# PRD\n\n# " + "*" * N + "\n"),  # story ids: `^\W*...\**\s*`
    ],
    ids=[
        "api-endpoint-blanks",
        "api-brackets",
        "api-statuses",
        "api-body-names",
        "api-code-alternatives",
        "db-brackets",
        "db-heading-blanks",
        "prd-stars",
    ],
)
def test_a_long_line_is_read_in_linear_time(read: object, text: str) -> None:
    read(text)  # type: ignore[operator]


def test_index_items_with_long_blank_runs() -> None:
    """An order/opclass/collate suffix was searched for from every blank of a run: quadratic in the run."""
    assert split_columns("a" + " " * N + "desc, b") == ("a", "b")
    assert split_columns("a" + " " * N + "x, b") == ()  # not a column list; read in linear time
    assert split_columns("name asc, created_at desc nulls last, lower(email) collate c") == (
        "name",
        "created_at",
        "lower(email)",
    )


# -- SQL -------------------------------------------------------------------------------------------------


def test_deeply_nested_sql_comments_are_not_parsed() -> None:
    """PostgreSQL's lexer takes time quadratic in the comment nesting depth (hours for a megabyte)."""
    script = read_sql("create table a (id int);\n" + "/*" * (N // 2), "m.sql")
    (error,) = script.errors
    assert error.message == "comments nested more than 100 deep; the SQL is not parsed"
    r = error.location.range
    assert (r.line, r.col, r.end_line, r.end_col) == (1, 200, 1, 202)


def test_ordinary_nested_comments_still_parse() -> None:
    script = read_sql("/* a /* b */ c */ create table a (id int);\n", "m.sql")
    assert not script.errors and len(script.records) == 1


def test_the_offending_token_of_a_long_statement() -> None:
    """The token at a syntax error is found by scanning a window after it, not the rest of the statement."""
    script = read_sql("crate table a (id int" + ", c int" * (N // 7) + ");\n", "m.sql")
    (error,) = script.errors
    r = error.location.range
    assert (r.line, r.col, r.end_line, r.end_col) == (0, 0, 0, 5)  # `crate`


# -- TypeScript too broken to query ----------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["(", "[", "{", "`${"])
def test_sources_too_broken_for_tree_sitter_queries_are_reported(unit: str) -> None:
    text = "export const GET = () => new Response(" + unit * (N // len(unit))
    facts = read_facts(SourceFile.from_text("src/pages/api/x.ts", text))
    assert facts.parse_error and facts.problem is not None and facts.problem.startswith("too broken to read")


def test_an_ordinary_syntax_error_is_still_read() -> None:
    text = 'export const GET = () => new Response("ok", { status: 200 });\nconst broken = (;\n'
    facts = read_facts(SourceFile.from_text("src/pages/api/x.ts", text))
    assert facts.parse_error and facts.problem is None and "GET" in facts.exports


def test_python_sources_are_guarded_too(tmp_path: Path) -> None:
    facts = read_facts(SourceFile.from_text("app/main.py", "f(" + "(" * N))
    assert facts.problem is not None


def test_a_script_with_a_syntax_error_and_polish_text_is_scanned_in_linear_time() -> None:
    """pglast's scan mapped every token's offset by walking all multi-byte characters: tokens × letters."""
    rows = "insert into cards values ('zażółć gęślą jaźń');\n" * 10_000
    script = read_sql("crate table x;\n" + rows + "select '" + "ą" * N + "';\n", "m.sql")
    assert [e.message for e in script.errors] == ['syntax error at or near "crate"']
    assert script.statements == 10_002
    last = read_sql("select 'zażółć;\n", "m.sql").errors[0]  # a lexer error quotes the original text
    assert last.message == 'unterminated quoted string at or near "\'zażółć;\n"'


@pytest.mark.parametrize("chain", ["``", "!", "(", "-"])
def test_sources_nested_deeper_than_the_query_cursor_counts_are_reported(chain: str) -> None:
    """100,000 chained tagged templates (a line of 200,000 backticks, found by the campaign) nest the tree
    past 65,535 levels, where tree-sitter's query cursor loops for hours; a valid file, no syntax error."""
    body = chain * N if chain != "(" else "(" * N + "1" + ")" * N
    text = 'import type { X } from "./x";\nexport const GET = () => ' + body + ";\n"
    facts = read_facts(SourceFile.from_text("src/pages/api/x.ts", text))
    assert facts.problem == "too broken to read: nested more than 60,000 levels deep"


@pytest.mark.parametrize("levels", [100, 50_000])
def test_deep_but_countable_nesting_is_still_read(levels: int) -> None:
    text = "export const GET = () => new Response(" + "[" * levels + "]" * levels + ");\n"
    facts = read_facts(SourceFile.from_text("src/pages/api/x.ts", text))
    assert facts.problem is None and "GET" in facts.exports


def test_a_long_word_on_an_index_line_is_read_in_linear_time() -> None:
    """`table (cols)` was searched from every character of a word, each start backtracking over the rest
    of it (and again for `schema.table`): a 100,000-letter word took 23 minutes (found by the campaign)."""
    plan = "# Schema\n\n## decks\n\n| column | type |\n|---|---|\n| id | uuid |\n\n## Indexes\n\n"
    _db(plan + "- index on decks " + "x" * N + "\n")
    _db(plan + "- index on decks " + "x." * (N // 2) + "\n")


def test_a_long_word_in_a_policy_sentence_is_read_in_linear_time() -> None:
    """A policy's `a.b = c` condition was searched from every character of a word (quadratic)."""
    plan = "# Schema\n\n## decks\n\n| column | type |\n|---|---|\n| id | uuid |\n\n## RLS\n\n"
    _db(plan + "- decks: SELECT policy using " + "x" * N + "\n")
