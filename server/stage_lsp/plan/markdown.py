"""The only markdown-it-py user: block structure of a plan with source lines.

`parse_blocks(text)` returns the document's blocks in order (headings, paragraphs, list items, table
rows, fences, html) with 0-based line ranges from markdown-it's `token.map`. Readers work on these
blocks and on raw lines; they never import markdown-it themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from markdown_it import MarkdownIt

BlockKind = Literal["heading", "paragraph", "list_item", "table_row", "fence", "html", "blockquote", "hr"]


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    line: int  # first line, 0-based
    end_line: int  # exclusive
    text: str  # inline content (heading/paragraph/cell text), fence body, or html
    level: int = 0  # heading level; list nesting depth for list items; 1 for header table rows
    info: str = ""  # fence info string ("json", "sql"); "header" for table header rows
    cells: tuple[str, ...] = ()  # table rows: cell texts


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Block structure only: inline tokens keep their source `content`; their children (emphasis, code
    # spans, links) are never used, so inline parsing (about half the parse time) is switched off.
    return MarkdownIt("commonmark", {"html": True}).enable("table").disable("inline")


def parse_blocks(text: str) -> list[Block]:
    tokens = _parser().parse(text)
    blocks: list[Block] = []
    list_depth = 0
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif t in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif t == "heading_open" and tok.map:
            inline = tokens[i + 1]
            blocks.append(Block("heading", tok.map[0], tok.map[1], inline.content, int(tok.tag[1:])))
        elif t == "paragraph_open" and tok.map:
            inline = tokens[i + 1]
            blocks.append(Block("paragraph", tok.map[0], tok.map[1], inline.content, list_depth))
        elif t == "list_item_open" and tok.map:
            blocks.append(Block("list_item", tok.map[0], tok.map[1], "", list_depth))
        elif t in ("fence", "code_block") and tok.map:
            blocks.append(Block("fence", tok.map[0], tok.map[1], tok.content, list_depth, tok.info.strip()))
        elif t == "html_block" and tok.map:
            blocks.append(Block("html", tok.map[0], tok.map[1], tok.content))
        elif t == "hr" and tok.map:
            blocks.append(Block("hr", tok.map[0], tok.map[1], ""))
        elif t == "tr_open" and tok.map:
            cells: list[str] = []
            header = False
            j = i + 1
            while j < n and tokens[j].type != "tr_close":
                if tokens[j].type in ("th_open", "td_open"):
                    header = header or tokens[j].type == "th_open"
                    cells.append(tokens[j + 1].content if tokens[j + 1].type == "inline" else "")
                j += 1
            blocks.append(
                Block(
                    "table_row",
                    tok.map[0],
                    tok.map[1],
                    " | ".join(cells),
                    1 if header else 0,
                    "header" if header else "",
                    tuple(cells),
                )
            )
            i = j
        i += 1
    return blocks
