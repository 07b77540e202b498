"""The rule registry. Every rule is listed here by hand (no import-time discovery); codes never reuse.

Families: SL0xx plan structure, SL1xx endpoints/methods/paths, SL2xx statuses and error codes,
SL3xx fields and stated requirements, SL4xx schema, SL5xx RLS, SL6xx project rules and secrets,
SL9xx meta (config, files, suppressions).
"""

from __future__ import annotations

from stage_lsp.rules import (
    sl005_plan_copy_not_used,
    sl101_planned_endpoint_missing,
    sl102_route_not_planned,
    sl103_method_differs,
    sl104_path_differs,
    sl105_base_path_applied,
    sl201_status_not_planned,
    sl202_planned_status_not_returned,
    sl203_success_status_differs,
    sl204_status_not_allowed,
    sl211_error_code_not_planned,
    sl212_planned_error_code_not_returned,
    sl213_error_code_status_differs,
    sl301_request_field_missing,
    sl302_request_field_not_planned,
    sl303_request_field_renamed,
    sl304_response_field_missing,
    sl305_response_field_not_planned,
    sl306_response_field_renamed,
    sl311_idempotency_key_not_read,
    sl312_page_size_unbounded,
    sl313_body_not_validated,
    sl401_planned_table_missing,
    sl402_planned_column_missing,
    sl403_table_not_planned,
    sl404_column_type_differs,
    sl405_column_nullability_differs,
    sl406_planned_index_missing,
    sl409_types_out_of_sync,
    sl501_rls_not_enabled,
    sl502_rls_without_policy,
    sl503_planned_policy_missing,
    sl504_policy_predicate_differs,
    sl505_write_policy_too_permissive,
    sl506_policies_without_rls,
    sl611_secret_exposed_to_client,
    sl612_hard_coded_secret,
    sl901_unused_suppression,
    sl903_file_unreadable,
)
from stage_lsp.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    sl005_plan_copy_not_used.RULE,
    sl101_planned_endpoint_missing.RULE,
    sl102_route_not_planned.RULE,
    sl103_method_differs.RULE,
    sl104_path_differs.RULE,
    sl105_base_path_applied.RULE,
    sl201_status_not_planned.RULE,
    sl202_planned_status_not_returned.RULE,
    sl203_success_status_differs.RULE,
    sl204_status_not_allowed.RULE,
    sl211_error_code_not_planned.RULE,
    sl212_planned_error_code_not_returned.RULE,
    sl213_error_code_status_differs.RULE,
    sl301_request_field_missing.RULE,
    sl302_request_field_not_planned.RULE,
    sl303_request_field_renamed.RULE,
    sl304_response_field_missing.RULE,
    sl305_response_field_not_planned.RULE,
    sl306_response_field_renamed.RULE,
    sl311_idempotency_key_not_read.RULE,
    sl312_page_size_unbounded.RULE,
    sl313_body_not_validated.RULE,
    sl401_planned_table_missing.RULE,
    sl402_planned_column_missing.RULE,
    sl403_table_not_planned.RULE,
    sl404_column_type_differs.RULE,
    sl405_column_nullability_differs.RULE,
    sl406_planned_index_missing.RULE,
    sl409_types_out_of_sync.RULE,
    sl501_rls_not_enabled.RULE,
    sl502_rls_without_policy.RULE,
    sl503_planned_policy_missing.RULE,
    sl504_policy_predicate_differs.RULE,
    sl505_write_policy_too_permissive.RULE,
    sl506_policies_without_rls.RULE,
    sl611_secret_exposed_to_client.RULE,
    sl612_hard_coded_secret.RULE,
    sl901_unused_suppression.RULE,
    sl903_file_unreadable.RULE,
)
BY_CODE: dict[str, Rule] = {r.code: r for r in ALL_RULES}
REDIRECTS: dict[str, str] = {}  # old code -> new code, for renamed rules


def rule_for(code: str) -> Rule | None:
    return BY_CODE.get(REDIRECTS.get(code, code))
