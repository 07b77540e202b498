"""What the plans define, with a source location for every item.

Frozen dataclasses, built by the readers in this package and assembled per project by
`plan.assemble.assemble_plan`. Fields added by later readers are additive: a reader that does not know
a field leaves its default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from stage_lsp.core.issue import ReaderIssue
from stage_lsp.core.location import Location
from stage_lsp.plan.project_rules import ProjectRule

Confidence = Literal["high", "low"]
StageMark = Literal["new", "modified", "unchanged", "out-of-scope"]


@dataclass(frozen=True, slots=True)
class PlanField:
    """A request/response field or a query parameter named by the plan."""

    name: str
    location: Location
    type_hint: str | None = None
    required: bool | None = None


@dataclass(frozen=True, slots=True)
class PlanStatus:
    code: int
    location: Location
    shared: bool = False  # stated once for a whole section, not in the endpoint's own block
    optional: bool = False  # stated as conditional ("optional guard", "if the business rule requires")
    # the lines of the list item that states this status and nothing else the reader takes from the
    # plan (its description and nested codes included): what "remove it from the plan" deletes
    removal: Location | None = None

    @property
    def is_success(self) -> bool:
        return 200 <= self.code < 400


@dataclass(frozen=True, slots=True)
class PlanErrorCode:
    code: str
    location: Location
    status: int | None = None
    shared: bool = False  # stated once for a whole section, not in the endpoint's own block
    optional: bool = False  # stated as conditional ("optional guard", "if the business rule requires")


@dataclass(frozen=True, slots=True)
class PlanInsertion:
    """Where a new item goes into something the plan lists, and how it is written there: the text
    `lead + item + trail` at `location` (a point). `style` says how an item looks: "json" and "ts" for a
    key of a body (`quote` is the quote keys are written with, "" for bare keys), "code" and "plain"
    for a status line of a bullet list (the status in backticks or not)."""

    location: Location
    lead: str
    trail: str = ""
    style: str = ""
    quote: str = ""


@dataclass(frozen=True, slots=True)
class PlanEndpoint:
    method: str  # upper case
    path: str  # display path: parameters as {name}
    raw_path: str  # as written in the plan (query string kept)
    key: str  # canonical key, see core.keys
    location: Location  # the definition (heading, Method line, table row, list line)
    section: Location | None = None  # the whole section the endpoint's details were read from
    external: bool = False  # Supabase /auth/v1, /rest/v1, /functions/v1, other hosts
    optional: bool = False
    post_mvp: bool = False  # future / post-MVP / later
    statuses: tuple[PlanStatus, ...] = ()
    statuses_location: Location | None = None
    error_codes: tuple[PlanErrorCode, ...] = ()
    success_codes: tuple[str, ...] = ()
    request_fields: tuple[PlanField, ...] = ()
    response_fields: tuple[PlanField, ...] = ()
    request_fields_partial: bool = False  # the planned body elides fields (`...`): extras are not drift
    response_fields_partial: bool = False
    query_params: tuple[PlanField, ...] = ()
    path_params: tuple[str, ...] = ()
    idempotency_key: Location | None = None  # where an Idempotency-Key header is required
    pagination: Location | None = None  # where pagination / a limit is stated
    limit_max: int | None = None  # a stated upper bound of the page size ("max 100")
    def_location: Location | None = None  # multi-file plans: where the details really are
    title: str | None = None
    user_stories: tuple[str, ...] = ()
    stage: int | None = None  # set by assembly from the stage plan
    request_insert: PlanInsertion | None = None  # where a request field is added (one body, an object)
    response_insert: PlanInsertion | None = None
    status_insert: PlanInsertion | None = None  # where an error status is added (a bullet list of them)

    @property
    def status_codes(self) -> tuple[int, ...]:
        return tuple(sorted({s.code for s in self.statuses}))


@dataclass(frozen=True, slots=True)
class PlanColumn:
    name: str
    location: Location
    type: str | None = None  # as written, lower case, e.g. "uuid", "varchar(255)", "text[]"
    nullable: bool | None = None
    default: str | None = None
    references: str | None = None  # "auth.users(id)"
    primary_key: bool = False
    unique: bool = False


@dataclass(frozen=True, slots=True)
class PlanPolicy:
    command: Literal["select", "insert", "update", "delete", "all"]
    location: Location
    roles: tuple[str, ...] | None = None  # None: not stated
    using: str | None = None  # normalised predicate (see code.sql.normalise)
    with_check: str | None = None
    name: str | None = None
    confidence: Confidence = "high"  # "low" for hedged pseudo-code and prose


@dataclass(frozen=True, slots=True)
class PlanIndex:
    columns: tuple[str, ...]
    location: Location
    name: str | None = None
    unique: bool = False
    optional: bool = False
    method: str | None = None  # an access method other than btree, when the plan names one ("gin")
    opclasses: tuple[str | None, ...] = ()  # per column, when the plan writes them (`gin_trgm_ops`)


@dataclass(frozen=True, slots=True)
class PlanTable:
    name: str  # lower case, `public.` dropped; `auth.users` keeps its schema
    location: Location
    columns: tuple[PlanColumn, ...] = ()
    rls: bool | None = None
    rls_location: Location | None = None
    policies: tuple[PlanPolicy, ...] = ()
    indexes: tuple[PlanIndex, ...] = ()
    rejected: bool = False  # the plan explicitly says it is not wanted
    stage: int | None = None


@dataclass(frozen=True, slots=True)
class PlanEnum:
    name: str
    values: tuple[str, ...]
    location: Location


@dataclass(frozen=True, slots=True)
class StageItem:
    kind: Literal["endpoint", "table", "policy", "other"]
    key: str  # endpoint key, table name, "table:command" for policies
    location: Location
    mark: StageMark | None = None


@dataclass(frozen=True, slots=True)
class Stage:
    number: int
    title: str
    location: Location
    items: tuple[StageItem, ...] = ()


@dataclass(frozen=True, slots=True)
class UserStory:
    id: str  # "US-001"
    title: str
    location: Location
    endpoints: tuple[str, ...] = ()  # keys of the endpoints the story's text names


@dataclass(frozen=True, slots=True)
class PlanDocument:
    """One plan file as read: its kind and what came from it."""

    file: str
    kind: Literal["api", "db", "stage", "prd", "linked"]
    encoding: str = "utf-8"
    issues: tuple[ReaderIssue, ...] = ()
    shadowed: tuple[str, ...] = ()  # other copies of this plan that discovery did not use (SL005)


@dataclass(frozen=True, slots=True)
class ApiPlanDoc:
    """What one API plan file defines (multi-file plans: the index plus the files it links)."""

    file: str
    endpoints: tuple[PlanEndpoint, ...] = ()
    base_path: str | None = None
    base_path_location: Location | None = None
    linked_files: tuple[str, ...] = ()
    common_statuses: tuple[PlanStatus, ...] = ()  # an API-wide error catalogue: allowed for every endpoint
    common_error_codes: tuple[PlanErrorCode, ...] = ()
    issues: tuple[ReaderIssue, ...] = ()


@dataclass(frozen=True, slots=True)
class DbPlanDoc:
    file: str
    tables: tuple[PlanTable, ...] = ()
    enums: tuple[PlanEnum, ...] = ()
    issues: tuple[ReaderIssue, ...] = ()
    linked_files: tuple[str, ...] = ()  # per-table files the plan links (`[details](./tables/x.md)`)


@dataclass(frozen=True, slots=True)
class StagePlanDoc:
    file: str
    stages: tuple[Stage, ...] = ()
    issues: tuple[ReaderIssue, ...] = ()


@dataclass(frozen=True, slots=True)
class PrdDoc:
    file: str
    user_stories: tuple[UserStory, ...] = ()
    issues: tuple[ReaderIssue, ...] = ()


@dataclass(frozen=True, slots=True)
class SpecEndpoint:
    """An endpoint a supplementary spec (`auth-spec.md`) names: planned, but not in the API plan."""

    key: str  # canonical key, see core.keys
    location: Location


@dataclass(frozen=True)
class PlanModel:
    """Everything the project's plans define."""

    api_files: tuple[str, ...] = ()
    db_files: tuple[str, ...] = ()
    endpoints: tuple[PlanEndpoint, ...] = ()
    base_path: str | None = None
    base_path_location: Location | None = None
    common_statuses: tuple[PlanStatus, ...] = ()
    common_error_codes: tuple[PlanErrorCode, ...] = ()
    tables: tuple[PlanTable, ...] = ()
    enums: tuple[PlanEnum, ...] = ()
    stages: tuple[Stage, ...] = ()
    current_stage: int | None = None
    user_stories: tuple[UserStory, ...] = ()
    project_rules: tuple[ProjectRule, ...] = ()  # checkable rules stated in .cursor/rules/*.mdc
    issues: tuple[ReaderIssue, ...] = ()
    documents: tuple[PlanDocument, ...] = field(default=())
    spec_endpoints: tuple[SpecEndpoint, ...] = ()  # named by a supplementary spec (auth-spec.md)

    def project_rule(self, kind: str) -> ProjectRule | None:
        return next((r for r in self.project_rules if r.kind == kind), None)

    @property
    def has_api_plan(self) -> bool:
        return bool(self.api_files)
