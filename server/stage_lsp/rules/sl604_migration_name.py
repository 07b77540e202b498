"""SL604 migration-name: a migration file is not named `YYYYMMDDHHmmss_description.sql` as the project requires.

## What it does
Active only when the project's rules files state the naming convention (the Supabase migration rule most
projects copy: "MUST be named in the format `YYYYMMDDHHmmss_short_description.sql`"). Reports each
migration whose name does not start with a 14-digit version and an underscore (`20250312_add_tags.sql`,
`0001_init.sql`), at the top of the file, quoting the rule's file and line.

## Why is this bad?
The Supabase CLI orders and records migrations by that version. An 8-digit prefix sorts differently as a
string and as a number, so the migration can run before the tables it alters exist, or be skipped as
already applied.

## Example
`supabase/migrations/20250312_add_tags.sql`

## Fix
Rename the file with its full timestamp (`20250312093000_add_tags.sql`) before it is applied anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from stage_lsp.context import CheckContext
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Related, Severity, Violation
from stage_lsp.rules.base import define

VALID = re.compile(r"^\d{14}_[^\s]+\.sql$")


def check(ctx: CheckContext) -> Iterator[Violation]:
    rule = ctx.plan.project_rule("migration-name")
    if rule is None:
        return
    quoted = f"{rule.location.file}:{rule.location.range.line + 1}"
    for rel in ctx.files.migrations:
        name = PurePosixPath(rel).name
        if VALID.match(name):
            continue
        yield RULE.violation(
            Location(rel, Range(0, 0, 0, 0)),
            f"Migration name `{name}` does not follow `YYYYMMDDHHmmss_short_description.sql` ({quoted})",
            entity=(rel,),
            related=[Related(rule.location, "the project's rule")],
        )


RULE = define(__doc__, Severity.WARNING, check)
