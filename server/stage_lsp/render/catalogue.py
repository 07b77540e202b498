"""The rule catalogue for people: one markdown page per rule, generated from the rule docstrings.

`python -m stage_lsp.render.catalogue [DIR]` (or `make rules`) rewrites `rules/`; a test fails when a page is
stale. Diagnostics link to these pages (`codeDescription`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from stage_lsp.rules import ALL_RULES
from stage_lsp.rules.base import FAMILIES, Rule

GENERATED = "<!-- generated from the rule's docstring by `make rules`; do not edit -->"


def rule_page(rule: Rule) -> str:
    return (
        f"# {rule.code} {rule.name}\n\n{GENERATED}\n\n"
        f"{rule.summary[0].upper() + rule.summary[1:]}.\n\n"
        f"- Family: {rule.family} ({rule.code[:3]}xx)\n"
        f"- Default severity: {rule.severity.value}\n\n"
        f"{rule.doc.strip()}\n"
    )


def index_page(rules: Sequence[Rule]) -> str:
    out = [
        "# stage-lsp rules",
        "",
        GENERATED,
        "",
        'Select or ignore rules by code or prefix (`select = ["SL1"]`, `ignore = ["SL102"]`) and change',
        "their severity with `severity` in `stage-lsp.toml`; see docs/configuration.md.",
        "",
    ]
    for prefix, family in FAMILIES.items():
        members = [r for r in rules if r.code.startswith(prefix)]
        if not members:
            continue
        out += [
            f"## {prefix}xx {family}",
            "",
            "| code | name | severity | what it finds |",
            "|---|---|---|---|",
        ]
        out += [f"| [{r.code}]({r.code}.md) | {r.name} | {r.severity.value} | {r.summary} |" for r in members]
        out.append("")
    return "\n".join(out)


def expected_pages(rules: Sequence[Rule] = ALL_RULES) -> dict[str, str]:
    pages = {f"{r.code}.md": rule_page(r) for r in rules}
    pages["README.md"] = index_page(rules)
    return pages


def write_catalogue(directory: Path) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    pages = expected_pages()
    for stale in directory.glob("SL*.md"):
        if stale.name not in pages:
            stale.unlink()
    for name, content in pages.items():
        (directory / name).write_text(content, encoding="utf-8")
    return sorted(pages)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("rules")
    written = write_catalogue(target)
    print(f"wrote {len(written)} pages to {target}/")
