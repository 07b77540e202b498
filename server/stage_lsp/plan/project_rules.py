"""Project rules (`.cursor/rules/*.mdc`) that a machine can check, recognised by their wording.

The course templates most projects copy state a handful of checkable rules (FORMATS.md section f); each is
recognised by a pattern robust to rewording and language. A rule is only enforced when the project's own
rules files state it, and every finding quotes the file and line (`ProjectRule.location`).

Kinds: `prerender` (API routes export `prerender = false`), `locals-supabase` (handlers use
`context.locals.supabase`, not an imported or created client), `services` (database logic lives in
`src/lib/services`, not in handlers), `migration-name` (`YYYYMMDDHHmmss_short_description.sql`),
`zod` (input validation with zod), `rls-on-create` (every new table enables RLS), `granular-policies`
(one policy per command and role).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stage_lsp.core.location import Location, Range
from stage_lsp.core.source import SourceFile

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("prerender", re.compile(r"prerender\s*=\s*false")),
    (
        "locals-supabase",
        re.compile(r"(?i)(?:supabase from (?:context\.)?locals|(?:context\.)?locals\.supabase)"),
    ),
    (
        "services",
        re.compile(
            r"(?i)(?:extract (?:the )?logic into services|logic (?:belongs|should (?:live|be)) in services)"
        ),
    ),
    ("migration-name", re.compile(r"YYYYMMDDHHmmss")),
    ("zod", re.compile(r"(?i)\bzod\b.*\bvalidat|validat.*\bzod\b")),
    (
        "rls-on-create",
        re.compile(
            r"(?i)(?:must|always) enable row level security|enable (?:supabase )?row level security \(rls\) on all"
        ),
    ),
    ("granular-policies", re.compile(r"(?i)policies should be granular")),
)


@dataclass(frozen=True, slots=True)
class ProjectRule:
    kind: str
    location: Location  # the line of the rules file that states it
    text: str  # that line, stripped


def read_project_rules(src: SourceFile) -> tuple[ProjectRule, ...]:
    """Rules stated in prose; code examples in fences (```) are not rules."""
    found: list[ProjectRule] = []
    seen: set[str] = set()
    fence: str | None = None
    for number, line in enumerate(src.text.split("\n")):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            marker = stripped[:3]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence is not None:
            continue
        for kind, pattern in _PATTERNS:
            if kind in seen:
                continue
            m = pattern.search(line)
            if m:
                seen.add(kind)
                start = len(line) - len(line.lstrip())
                found.append(
                    ProjectRule(
                        kind,
                        Location(src.rel, Range(number, start, number, len(line.rstrip()))),
                        line.strip(),
                    )
                )
    return tuple(found)
