"""Configuration problems as findings (SL902), placed on the line of the config file they concern.

The CLI stops on a bad configuration (exit 2). The language server keeps working with the default for
the bad key (`project.load_config_lenient`) and shows each problem here as a diagnostic on the file.
"""

from __future__ import annotations

import re
from pathlib import Path

from stage_lsp.config.settings import ConfigError
from stage_lsp.core.issue import ReaderIssue
from stage_lsp.core.location import Location, Range

_TOML_POSITION = re.compile(r"at line (\d+), column (\d+)")
_TABLE = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")


def _table_name(line: str) -> str | None:
    m = _TABLE.match(line)
    if not m or line.lstrip().startswith("[["):
        return None
    return m.group(1).replace('"', "").replace("'", "").replace(" ", "")


def locate(text: str, key: str | None, message: str, *, table: str | None = None) -> Range:
    """Where a problem sits: the reported TOML syntax position, else the line defining `key`.

    `table` is the TOML table holding the settings (`tool.stage-lsp` in pyproject.toml); None means the
    top level of stage-lsp.toml. Unknown places give the start of the file.
    """
    lines = text.splitlines()
    m = _TOML_POSITION.search(message)
    if m:
        at = min(int(m.group(1)) - 1, max(len(lines) - 1, 0))
        return Range.of_line(at, lines[at]) if lines else Range.point(0)
    if "at end of document" in message and lines:
        last = max((n for n, line in enumerate(lines) if line.strip()), default=0)
        return Range.of_line(last, lines[last])
    if key is None:
        return Range.point(0)
    prefix = f"{table}." if table else ""
    assignment = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*(=|\.)")
    current = ""  # the table the line is in ("" = top level)
    for n, line in enumerate(lines):
        name = _table_name(line)
        if name is not None:
            if name == prefix + key or name.startswith(prefix + key + "."):
                return Range.of_line(n, line)
            current = name
            continue
        if current == (table or "") and assignment.match(line):
            return Range.of_line(n, line)
    return Range.point(0)


def config_issue(root: Path, config_file: Path | None, error: ConfigError) -> ReaderIssue:
    """The SL902 finding for one configuration problem (the key's default is used instead)."""
    rel = config_file.relative_to(root).as_posix() if config_file else "stage-lsp.toml"
    text = ""
    if config_file is not None:
        try:
            text = config_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
    table = "tool.stage-lsp" if rel.endswith("pyproject.toml") else None
    where = locate(text, error.key, str(error), table=table)
    fallback = f"the default for `{error.key}` is used" if error.key else "the default settings are used"
    return ReaderIssue(
        "SL902",
        Location(rel, where),
        f"{error}; {fallback}",
        entity=(rel, error.key or "file"),
    )
