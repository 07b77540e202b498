"""Hand-built plan and code models for rule tests: each rule is tested on exactly the facts it reads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from stage_lsp.code.model import (
    CodeErrorCode,
    CodeField,
    CodeModel,
    CodeStatus,
    FieldSet,
    Route,
    SchemaColumn,
    SchemaIndex,
    SchemaPolicy,
    SchemaTable,
)
from stage_lsp.config.discovery import FileSet
from stage_lsp.config.settings import Settings
from stage_lsp.context import CheckContext
from stage_lsp.core.keys import display_path, endpoint_key
from stage_lsp.core.location import Location, Range
from stage_lsp.core.violation import Violation
from stage_lsp.plan.model import (
    PlanColumn,
    PlanEndpoint,
    PlanErrorCode,
    PlanField,
    PlanIndex,
    PlanModel,
    PlanPolicy,
    PlanStatus,
    PlanTable,
)
from stage_lsp.rules.base import Rule

PLAN = ".ai/api-plan.md"


def at(file: str, line: int, col: int = 0, width: int = 1) -> Location:
    return Location(file, Range(line, col, line, col + width))


def endpoint(
    spec: str,
    line: int = 1,
    *,
    statuses: Iterable[int | tuple[int, int]] = (),
    codes: Iterable[tuple[str, int | None] | tuple[str, int | None, int]] = (),
    request: Sequence[str] = (),
    response: Sequence[str] = (),
    **kw: object,
) -> PlanEndpoint:
    """`endpoint("POST /api/x", 10, statuses=[201, (400, 14)], codes=[("BAD", 400)])`."""
    method, raw = spec.split(" ", 1)
    st = [
        PlanStatus(s, at(PLAN, line + 2)) if isinstance(s, int) else PlanStatus(s[0], at(PLAN, s[1]))
        for s in statuses
    ]
    ec = [PlanErrorCode(c[0], at(PLAN, c[2] if len(c) > 2 else line + 3), c[1]) for c in codes]  # type: ignore[misc]
    fields = lambda names, base: tuple(PlanField(n, at(PLAN, base + i)) for i, n in enumerate(names))  # noqa: E731
    return PlanEndpoint(
        method=method,
        path=display_path(raw),
        raw_path=raw,
        key=endpoint_key(method, raw),
        location=at(PLAN, line, 5, len(spec)),
        statuses=tuple(st),
        error_codes=tuple(ec),
        request_fields=fields(request, line + 20),
        response_fields=fields(response, line + 40),
        **kw,  # type: ignore[arg-type]
    )


def route(
    spec: str,
    file: str = "src/pages/api/x.ts",
    line: int = 5,
    *,
    statuses: Iterable[int | tuple[int, int]] = (),
    complete: bool = True,
    codes: Iterable[tuple[str, int | None, int]] = (),
    request: Sequence[str] | None = None,
    response: Sequence[str] | None = None,
    fields_complete: bool = True,
    **kw: object,
) -> Route:
    method, raw = spec.split(" ", 1)
    st = [
        CodeStatus(s, at(file, line + 1)) if isinstance(s, int) else CodeStatus(s[0], at(file, s[1]))
        for s in statuses
    ]
    ec = [CodeErrorCode(c, at(file, ln), s) for c, s, ln in codes]

    def fs(names: Sequence[str] | None, base: int) -> FieldSet | None:
        if names is None:
            return None
        return FieldSet(
            tuple(CodeField(n, at(file, base + i)) for i, n in enumerate(names)),
            fields_complete,
            at(file, base - 1),
        )

    return Route(
        method=method,
        path=display_path(raw),
        key=endpoint_key(method, raw),
        location=at(file, line, 13, len(method)),
        framework="astro",
        statuses=tuple(st),
        statuses_complete=complete,
        error_codes=tuple(ec),
        error_codes_complete=complete,
        request_fields=fs(request, line + 30),
        response_fields=fs(response, line + 60),
        **kw,  # type: ignore[arg-type]
    )


def context(
    endpoints: Sequence[PlanEndpoint] = (),
    routes: Sequence[Route] = (),
    *,
    settings: Settings | None = None,
    **plan_kw: object,
) -> CheckContext:
    plan = PlanModel(api_files=(PLAN,), endpoints=tuple(endpoints), **plan_kw)  # type: ignore[arg-type]
    code = CodeModel(
        framework="astro",
        routes=tuple(routes),
        route_files=tuple(sorted({r.location.file for r in routes})) or ("src/pages/api/x.ts",),
    )
    return CheckContext(plan=plan, code=code, settings=settings or Settings(), files=FileSet())


def run(rule: Rule, ctx: CheckContext) -> list[Violation]:
    return sorted(rule.check(ctx), key=lambda v: v.sort_key)


def where(violations: Sequence[Violation]) -> list[tuple[str, int]]:
    """(file, 0-based line) of each finding."""
    return [(v.location.file, v.location.range.line) for v in violations]


DB_PLAN = ".ai/db-plan.md"
MIGRATION = "supabase/migrations/20250101000000_init.sql"


def plan_table(
    name: str,
    line: int = 1,
    *,
    columns: Sequence[tuple[str, str | None, bool | None]] = (),
    rls: bool | None = None,
    policies: Sequence[PlanPolicy] = (),
    indexes: Sequence[Sequence[str]] = (),
    **kw: object,
) -> PlanTable:
    cols = tuple(
        PlanColumn(n, at(DB_PLAN, line + 1 + i), type=t, nullable=nl) for i, (n, t, nl) in enumerate(columns)
    )
    idx = tuple(PlanIndex(tuple(c), at(DB_PLAN, line + 30 + i)) for i, c in enumerate(indexes))
    return PlanTable(
        name,
        at(DB_PLAN, line),
        columns=cols,
        rls=rls,
        rls_location=at(DB_PLAN, line + 20) if rls else None,
        policies=tuple(policies),
        indexes=idx,
        **kw,
    )  # type: ignore[arg-type]


def plan_policy(
    command: str,
    line: int,
    roles: Sequence[str] | None = ("authenticated",),
    using: str | None = None,
    with_check: str | None = None,
    **kw: object,
) -> PlanPolicy:
    return PlanPolicy(
        command,
        at(DB_PLAN, line),
        roles=tuple(roles) if roles is not None else None,  # type: ignore[arg-type]
        using=using,
        with_check=with_check,
        **kw,
    )  # type: ignore[arg-type]


def schema_table(
    name: str,
    line: int = 1,
    *,
    columns: Sequence[tuple[str, str | None, bool | None] | tuple[str, str | None, bool | None, str]] = (),
    rls: bool | None = None,
    rls_line: int | None = None,
    policies: Sequence[SchemaPolicy] = (),
    indexes: Sequence[Sequence[str]] = (),
    file: str = MIGRATION,
    **kw: object,
) -> SchemaTable:
    cols = tuple(
        SchemaColumn(
            c[0], at(file, line + 1 + i), type=c[1], nullable=c[2], references=c[3] if len(c) > 3 else None
        )  # type: ignore[misc]
        for i, c in enumerate(columns)
    )
    idx = tuple(SchemaIndex(tuple(c), at(file, line + 40 + i)) for i, c in enumerate(indexes))
    return SchemaTable(
        name,
        at(file, line),
        columns=cols,
        rls=rls,
        rls_location=at(file, rls_line) if rls_line is not None else None,
        policies=tuple(policies),
        indexes=idx,
        **kw,
    )  # type: ignore[arg-type]


def schema_policy(
    table: str,
    command: str,
    line: int,
    roles: Sequence[str] | None = ("authenticated",),
    using: str | None = None,
    with_check: str | None = None,
    name: str | None = None,
    file: str = MIGRATION,
) -> SchemaPolicy:
    return SchemaPolicy(
        name or f"{table}_{command}",
        table,
        command,
        at(file, line),  # type: ignore[arg-type]
        roles=tuple(roles) if roles is not None else None,
        using=using,
        with_check=with_check,
    )


def db_context(
    plan_tables: Sequence[PlanTable],
    tables: Sequence[SchemaTable],
    *,
    types_tables: Sequence[tuple[str, Sequence[str]]] | None = None,
    migrations: Sequence[str] = (MIGRATION,),
    **plan_kw: object,
) -> CheckContext:
    plan = PlanModel(db_files=(DB_PLAN,), tables=tuple(plan_tables), **plan_kw)  # type: ignore[arg-type]
    code = CodeModel(
        tables=tuple(tables),
        migrations=tuple(migrations),
        types_tables=tuple((n, tuple(c)) for n, c in types_tables) if types_tables is not None else None,
    )
    files = FileSet()
    files.types = "src/db/database.types.ts" if types_tables is not None else None
    return CheckContext(plan=plan, code=code, settings=Settings(), files=files)
