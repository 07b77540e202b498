"""User-story ids a plan document mentions (`US-008`), by line: the plan side of story links.

Assembly gives an endpoint the stories mentioned inside its section of the API plan ("Retrieve the
flashcards due for review (US-008)"); the PRD side (stories naming endpoints) is `plan.prd_reader`.
"""

from __future__ import annotations

import re

from stage_lsp.core.source import SourceFile

_STORY = re.compile(r"\bUS[-_ ]?(?P<num>\d{1,4})\b")


def story_id(num: str) -> str:
    return f"US-{int(num):03d}" if len(num) <= 3 else f"US-{num}"


def read_story_refs(src: SourceFile) -> tuple[tuple[int, str], ...]:
    """(0-based line, story id) for every mention, in document order."""
    refs: list[tuple[int, str]] = []
    if "US" not in src.text:
        return ()
    for n, line in enumerate(src.text.split("\n")):
        for m in _STORY.finditer(line):
            refs.append((n, story_id(m.group("num"))))
    return tuple(refs)
