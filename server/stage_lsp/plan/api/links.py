"""Multi-file plans: an index plan whose sections link one file per endpoint.

An index entry is a heading without sub-headings and without an endpoint definition of its own whose
text links a relative markdown file (`### 3.3 Create project` + `[See details →](./specs/3.3.md)`).
The linked file is read like a plan; each endpoint it defines is an endpoint of the index, located at
the index heading (where the plan lists it) with `def_location` at the real definition. Only the first
markdown link of an entry is followed, links are followed one level deep, and a link that leaves the
project or names a missing file is a broken link (SL006).
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_left
from dataclasses import dataclass
from urllib.parse import unquote

from stage_lsp.core.location import Range
from stage_lsp.plan.api.definitions import Definition, speculative
from stage_lsp.plan.api.text import Heading, PlanText

_MD_LINK = re.compile(
    r"\[(?P<label>[^\[\]\n]{0,500})\]\((?P<target>[^)\s#]+\.md)(?:#[^)\s]*)?(?:\s+\"[^\"]*\")?\)", re.I
)


@dataclass(frozen=True, slots=True)
class IndexLink:
    heading: Heading
    target: str  # relative to the project root, `/`-separated ("" when it leaves the project)
    written: str  # as written in the link
    range: Range  # the link in the index file


def resolve(base_rel: str, target: str) -> str:
    """A link target relative to the linking file, as a root-relative path ("" when outside the root)."""
    target = unquote(target.strip())
    if "://" in target or target.startswith(("/", "mailto:")):
        return ""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base_rel), target))
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return ""
    return joined


def find_index_links(text: PlanText, defs: list[Definition]) -> list[IndexLink]:
    def_lines = sorted(d.line for d in defs)
    out: list[IndexLink] = []
    headings = text.headings
    for i, heading in enumerate(headings):
        end = text.section_end(heading)
        nxt = headings[i + 1].line if i + 1 < len(headings) else len(text)
        if nxt < end:  # has sub-headings: not a leaf entry
            continue
        if bisect_left(def_lines, end) > bisect_left(def_lines, heading.line) or speculative(
            text, heading.line
        ):
            continue
        for no in range(heading.line, end):
            if text.kinds[no] not in ("text", "heading", "table"):
                continue
            m = _MD_LINK.search(text.lines[no])
            if not m:
                continue
            written = m.group("target")
            if "://" in written:
                continue
            target = resolve(text.rel, written)
            if target == text.rel:
                continue
            out.append(IndexLink(heading, target, written, text.range(no, m.start(), no, m.end())))
            break
    return out
