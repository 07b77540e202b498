"""API plan reader: what an api-plan document defines, with a source range for every item.

`read_api_plan(src, load=None)` reads one plan file (and, given `load`, the per-endpoint files an index
plan links) into an `ApiPlanDoc`. The work is split under `plan/api/`: `text` (lines, one markdown-it
parse), `definitions` (every endpoint notation), `sections` (what belongs to each definition),
`statuses`, `bodies`, `params`, `links`, `marks` (future/optional), and `issues` (what cannot be read:
SL001, SL002, SL003, SL006). The reader never raises on user text.
"""

from __future__ import annotations

from collections.abc import Callable

from stage_lsp.core.source import SourceFile
from stage_lsp.plan.api.build import build_doc
from stage_lsp.plan.model import ApiPlanDoc

Loader = Callable[[str], SourceFile | None]


def read_api_plan(src: SourceFile, load: Loader | None = None) -> ApiPlanDoc:
    """Read an API plan. `load(rel)` returns a linked file (None when missing); without it links are
    recorded but not followed."""
    return build_doc(src, load)
