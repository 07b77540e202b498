"""Turn a handler found by an adapter into a `Route`: statuses, error codes, fields and requirements."""

from __future__ import annotations

from dataclasses import dataclass, field

from stage_lsp.code.analyze import HandlerResult, analyze_handler
from stage_lsp.code.evaluate import Evaluator
from stage_lsp.code.expr import TypeExpr
from stage_lsp.code.facts import ModuleFacts
from stage_lsp.code.fields import TypeFields
from stage_lsp.code.model import CodeField, CodeStatus, Route
from stage_lsp.code.requirements import Requirements, handler_requirements
from stage_lsp.code.values import Vals, VFn, VZod
from stage_lsp.core.keys import HTTP_METHODS, endpoint_key
from stage_lsp.core.location import Location


@dataclass
class HandlerSpec:
    """A handler as an adapter found it."""

    handler: VFn | None  # what is evaluated for statuses (a resolved wrapper's inner function)
    user: VFn | None = None  # the user's function (requirements, throws); defaults to `handler`
    complete: bool = True  # False when a wrapper around the handler could not be read
    data_handler: bool = False  # Nest / FastAPI: returns are bodies
    default_status: int = 200
    declared: Vals = ()  # @HttpCode / status_code=
    drop_405: bool = False  # methods came from `req.method` checks: the 405 answers other methods
    body_schema: tuple[VZod, Location | None] | None = None
    body_type: tuple[TypeExpr, ModuleFacts] | None = None
    query_type: tuple[TypeExpr, ModuleFacts] | None = None  # Nest `@Query() q: ListQueryDto`
    extra_query: tuple[CodeField, ...] = ()
    extra_headers: tuple[CodeField, ...] = ()
    validated: bool | None = None  # the framework validates the body (Nest DTO, FastAPI model)


@dataclass
class RouteMaker:
    ev: Evaluator
    types: TypeFields
    _analysis: dict[tuple[object, ...], tuple[HandlerResult, Requirements]] = field(default_factory=dict)

    def _analyse(self, spec: HandlerSpec) -> tuple[HandlerResult, Requirements]:
        h = spec.handler
        u = spec.user or h
        key = (
            h.module.rel if h else None,
            h.fn.fid if h else None,
            u.module.rel if u else None,
            u.fn.fid if u else None,
            spec.data_handler,
            spec.default_status,
        )
        cached = self._analysis.get(key)
        if cached is not None:
            return cached
        if h is None:
            result = HandlerResult(statuses_complete=False, error_codes_complete=False)
        else:
            result = analyze_handler(
                self.ev,
                h,
                self.types,
                data_handler=spec.data_handler,
                default_status=spec.default_status,
                declared_status=spec.declared,
                throws_from=u if u is not h else None,
            )
        reqs = (
            handler_requirements(
                self.ev, u, self.types, body_schema_hint=spec.body_schema, body_type_hint=spec.body_type
            )
            if u is not None
            else Requirements()
        )
        self._analysis[key] = (result, reqs)
        return result, reqs

    def routes(
        self,
        methods: list[str] | None,
        path: str,
        location: Location,
        framework: str,
        spec: HandlerSpec,
    ) -> list[Route]:
        """One route per method; `methods=None` answers every method (`ALL`, no method check)."""
        result, reqs = self._analyse(spec)
        statuses = list(result.statuses)
        if spec.drop_405:
            statuses = [s for s in statuses if s.code != 405]
        handler_loc = None
        user = spec.user or spec.handler
        if user is not None:
            handler_loc = Location(user.module.rel, user.fn.rng)
        response = result.response.to_set() if result.response is not None else None
        request = reqs.request.to_set() if reqs.request is not None else None
        validated = spec.validated if spec.validated is not None else reqs.validates_body
        extra_query = list(spec.extra_query)
        if spec.query_type is not None:
            extra_query.extend(self.types.of(*spec.query_type).fields)
        out: list[Route] = []
        for method in methods if methods is not None else list(HTTP_METHODS):
            out.append(
                Route(
                    method=method,
                    path=path,
                    key=endpoint_key(method, path),
                    location=location,
                    framework=framework,
                    statuses=tuple(_sorted(statuses)),
                    statuses_complete=result.statuses_complete and spec.complete,
                    error_codes=tuple(result.error_codes),
                    error_codes_complete=result.error_codes_complete
                    and result.statuses_complete
                    and spec.complete,
                    request_fields=request,
                    response_fields=response,
                    query_params=tuple(_unique(extra_query + reqs.query)),
                    query_params_complete=reqs.query_complete,
                    headers_read=tuple(_unique(list(spec.extra_headers) + reqs.headers)),
                    headers_complete=reqs.headers_complete,
                    query_bounds=tuple((q.name, q.max_value) for q in _unique(extra_query + reqs.query)),
                    validates_body=validated,
                    reads_body=reqs.reads_body or spec.body_schema is not None or spec.body_type is not None,
                    stub_405=result.only_405 and not spec.drop_405,
                    handler_range=handler_loc,
                    wildcard_method=methods is None,
                    db_access=tuple(reqs.db),
                    clients=tuple(reqs.clients),
                    unresolved=tuple(result.unresolved)
                    + (() if spec.complete else ("the handler is wrapped by code that could not be read",)),
                )
            )
        return out


def _sorted(statuses: list[CodeStatus]) -> list[CodeStatus]:
    return sorted(statuses, key=lambda s: (s.location.file, s.location.range, s.code))


def _unique(fields: list[CodeField]) -> list[CodeField]:
    seen: dict[str, CodeField] = {}
    for f in fields:
        if f.name not in seen or (seen[f.name].max_value is None and f.max_value is not None):
            seen[f.name] = f
    return list(seen.values())
