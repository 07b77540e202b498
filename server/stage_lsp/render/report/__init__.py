"""The stage report: per stage and area, what is done, drifted and missing, and the next three work items.

`build_report(ctx, violations)` computes a `Report` from the same models and findings the checker uses;
`markdown.py`, `html.py` and `json_report.py` render it. Nothing here decides what a drift is: an item is
"drifted" when the engine reported a finding about it.
"""

from stage_lsp.render.report.build import build_report
from stage_lsp.render.report.model import AREAS, Item, Report, StageSummary, WorkItem

__all__ = ["AREAS", "Item", "Report", "StageSummary", "WorkItem", "build_report"]
