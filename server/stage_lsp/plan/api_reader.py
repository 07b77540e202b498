"""API plan reader: endpoints defined in an api-plan document.

Walking-skeleton scope: endpoint headings (`#### GET /api/x/{id}`, optionally in backticks or bold).
The full reader (every notation of the corpus, statuses, error codes, fields) replaces this module's
internals behind the same `read_api_plan` signature.
"""

from __future__ import annotations

import re

from stage_lsp.core.keys import HTTP_METHODS, display_path, endpoint_key, is_external_path
from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile
from stage_lsp.plan.markdown import parse_blocks
from stage_lsp.plan.model import ApiPlanDoc, PlanEndpoint

_METHOD_PATH = re.compile(r"(?P<method>" + "|".join(HTTP_METHODS) + r")\s+(?P<path>/[^\s`*]*)")


def read_api_plan(src: SourceFile) -> ApiPlanDoc:
    endpoints: list[PlanEndpoint] = []
    lines = src.lines
    for block in parse_blocks(src.text):
        if block.kind != "heading":
            continue
        m = _METHOD_PATH.search(block.text.replace("`", " ").replace("*", " "))
        if not m:
            continue
        line_text = lines.line(block.line)
        col = line_text.find(m.group("method"))
        path_col = line_text.find(m.group("path"), max(col, 0))
        end_col = path_col + len(m.group("path")) if path_col >= 0 else len(line_text.rstrip())
        raw = m.group("path")
        endpoints.append(
            PlanEndpoint(
                method=m.group("method"),
                path=display_path(raw),
                raw_path=raw,
                key=endpoint_key(m.group("method"), raw),
                location=Location(src.rel, Range(block.line, max(col, 0), block.line, end_col)),
                external=is_external_path(raw),
            )
        )
    return ApiPlanDoc(file=src.rel, endpoints=tuple(endpoints))
