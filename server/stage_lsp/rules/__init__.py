"""The rule registry. Every rule is listed here by hand (no import-time discovery); codes never reuse.

Families: SL0xx plan structure, SL1xx endpoints/methods/paths, SL2xx statuses and error codes,
SL3xx fields and stated requirements, SL4xx schema, SL5xx RLS, SL6xx project rules and secrets,
SL9xx meta (config, files, suppressions).
"""

from __future__ import annotations

from stage_lsp.rules import (
    sl001_endpoint_heading_without_method,
    sl002_conflicting_definitions,
    sl003_contradictory_statuses,
    sl004_damaged_plan,
    sl005_plan_copy_not_used,
    sl006_broken_plan_link,
    sl007_plan_sql_unparseable,
    sl101_planned_endpoint_missing,
    sl102_route_not_planned,
    sl106_route_source_not_found,
    sl407_migration_syntax_error,
    sl408_migration_order,
    sl903_file_unreadable,
    sl911_plan_changed_without_code,
    sl912_code_changed_without_plan,
    sl913_breaking_plan_change,
)
from stage_lsp.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    sl001_endpoint_heading_without_method.RULE,
    sl002_conflicting_definitions.RULE,
    sl003_contradictory_statuses.RULE,
    sl004_damaged_plan.RULE,
    sl005_plan_copy_not_used.RULE,
    sl006_broken_plan_link.RULE,
    sl007_plan_sql_unparseable.RULE,
    sl101_planned_endpoint_missing.RULE,
    sl102_route_not_planned.RULE,
    sl106_route_source_not_found.RULE,
    sl407_migration_syntax_error.RULE,
    sl408_migration_order.RULE,
    sl903_file_unreadable.RULE,
    sl911_plan_changed_without_code.RULE,
    sl912_code_changed_without_plan.RULE,
    sl913_breaking_plan_change.RULE,
)
BY_CODE: dict[str, Rule] = {r.code: r for r in ALL_RULES}
REDIRECTS: dict[str, str] = {}  # old code -> new code, for renamed rules


def rule_for(code: str) -> Rule | None:
    return BY_CODE.get(REDIRECTS.get(code, code))
