"""What framework and runtime calls mean for the evaluator: responses, statuses, exceptions, constants.

Modelled: `new Response(body, init)`, `Response.json`, `Response.redirect`, `NextResponse.json<T>`,
`NextResponse.redirect`, `redirect()`/`notFound()` from next/navigation, Astro `context.redirect`, Hono
`c.json(x, 201)` / `c.text` / `c.body` / `c.redirect` / `c.notFound()`, Express `res.status(n).json()` /
`res.sendStatus(n)`, Nest `HttpStatus.X` and its exceptions, FastAPI `HTTPException`, `JSONResponse`,
`status.HTTP_201_CREATED`, and zod (`code.zod`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from stage_lsp.code import zod
from stage_lsp.code.expr import Call
from stage_lsp.code.facts import ModuleFacts
from stage_lsp.code.values import (
    UNDEFINED,
    V,
    Vals,
    VErr,
    VExt,
    VLit,
    VNum,
    VObj,
    VParam,
    VResChain,
    VResp,
    VUnknown,
    VZod,
)
from stage_lsp.core.location import Location, Range

PY_GLOBALS = frozenset(
    {"dict", "list", "str", "int", "len", "print", "Exception", "ValueError", "isinstance"}
)
METHOD_RECEIVERS = frozenset({"VZod", "VResChain"})

HTTP_STATUS_NAMES = {
    "CONTINUE": 100,
    "OK": 200,
    "CREATED": 201,
    "ACCEPTED": 202,
    "NO_CONTENT": 204,
    "PARTIAL_CONTENT": 206,
    "MOVED_PERMANENTLY": 301,
    "FOUND": 302,
    "SEE_OTHER": 303,
    "NOT_MODIFIED": 304,
    "TEMPORARY_REDIRECT": 307,
    "PERMANENT_REDIRECT": 308,
    "BAD_REQUEST": 400,
    "UNAUTHORIZED": 401,
    "PAYMENT_REQUIRED": 402,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "METHOD_NOT_ALLOWED": 405,
    "NOT_ACCEPTABLE": 406,
    "REQUEST_TIMEOUT": 408,
    "CONFLICT": 409,
    "GONE": 410,
    "PRECONDITION_FAILED": 412,
    "PAYLOAD_TOO_LARGE": 413,
    "UNSUPPORTED_MEDIA_TYPE": 415,
    "I_AM_A_TEAPOT": 418,
    "UNPROCESSABLE_ENTITY": 422,
    "TOO_MANY_REQUESTS": 429,
    "INTERNAL_SERVER_ERROR": 500,
    "NOT_IMPLEMENTED": 501,
    "BAD_GATEWAY": 502,
    "SERVICE_UNAVAILABLE": 503,
    "GATEWAY_TIMEOUT": 504,
}
STATUS_ENUMS = frozenset({"HttpStatus", "StatusCodes", "HTTP_STATUS", "HttpStatusCode", "httpStatus"})
NEST_EXCEPTIONS = {
    "BadRequestException": 400,
    "UnauthorizedException": 401,
    "ForbiddenException": 403,
    "NotFoundException": 404,
    "MethodNotAllowedException": 405,
    "NotAcceptableException": 406,
    "RequestTimeoutException": 408,
    "ConflictException": 409,
    "GoneException": 410,
    "PayloadTooLargeException": 413,
    "UnsupportedMediaTypeException": 415,
    "UnprocessableEntityException": 422,
    "InternalServerErrorException": 500,
    "NotImplementedException": 501,
    "BadGatewayException": 502,
    "ServiceUnavailableException": 503,
    "GatewayTimeoutException": 504,
}
_ZOD_SOURCES = frozenset(
    {"zod", "astro/zod", "astro:content", "zod/v4", "zod/v3", "zod/mini", "astro:schema"}
)
_PY_STATUS = re.compile(r"^HTTP_(\d{3})(_|$)")
_FASTAPI_RESPONSES = frozenset(
    {
        "JSONResponse",
        "Response",
        "PlainTextResponse",
        "HTMLResponse",
        "StreamingResponse",
        "FileResponse",
        "ORJSONResponse",
    }
)
_HONO_BODY = frozenset({"json", "text", "html", "body", "newResponse"})


def external_path(source: str, imported: str) -> tuple[str, ...]:
    """A package import as a canonical path the models below recognise."""
    if source in _ZOD_SOURCES:
        return ("zod",) if imported in ("z", "default", "*", "zod") else ("zod", imported)
    if source in ("fastapi.responses", "starlette.responses", "fastapi.exceptions", "starlette.exceptions"):
        return ("fastapi", imported)
    if source in ("starlette.status", "fastapi.status", "starlette") and imported in ("status", "*"):
        return ("fastapi", "status")
    if source == "hono/http-exception":
        return ("hono", imported)
    if imported in ("default", "*"):
        return (source,)
    return (source, imported)


def ext_member(value: VExt, prop: str) -> V:
    path = value.path
    if path and path[-1] in STATUS_ENUMS and prop in HTTP_STATUS_NAMES:
        return VNum(HTTP_STATUS_NAMES[prop], None)
    if path == ("fastapi", "status") or path == ("#py", "status"):
        m = _PY_STATUS.match(prop)
        if m:
            return VNum(int(m.group(1)), None)
    if len(path) > 6:
        return VUnknown(".".join(path))
    return VExt((*path, prop))


def _status_arg(values: Vals | None, default: int, site: Location) -> Vals:
    """The statuses of a `ResponseInit`-like argument: a number, `{status}`, or absent."""
    if values is None:
        return (VNum(default, None),)
    out: list[V] = []
    from stage_lsp.code.evaluate import obj_get

    for v in values:
        if isinstance(v, VNum):
            out.append(v)
        elif isinstance(v, VObj):
            for s in obj_get(v, "status"):
                out.append(VNum(default, None) if s == UNDEFINED else s)
        elif isinstance(v, VLit) and v.value in ("undefined", "null"):
            out.append(VNum(default, None))
        else:
            out.append(VUnknown("response init not resolved", site))
    return tuple(out) if out else (VUnknown("response init not resolved", site),)


def response(
    args: Sequence[Vals], default: int, site: Location, status_index: int = 1, body_index: int = 0
) -> VResp:
    status = args[status_index] if len(args) > status_index else None
    body = args[body_index] if len(args) > body_index else (UNDEFINED,)
    return VResp(_status_arg(status, default, site), default, body, site)


def _redirect(args: Sequence[Vals], default: int, site: Location) -> VResp:
    # Response.redirect(url, 301) / NextResponse.redirect(url, {status}) / res.redirect(301, url)
    for i, values in enumerate(args[:2]):
        if any(isinstance(v, VNum) for v in values) and (i == 1 or len(args) > 1):
            return VResp(_status_arg(values, default, site), default, (), site)
    return VResp((VNum(default, None),), default, (), site)


def method_call(
    obj: V,
    prop: str,
    args: Sequence[Vals],
    kwargs: dict[str, Vals],
    site: Location,
    expr: Call,
    module: ModuleFacts,
) -> Vals | None:
    if isinstance(obj, VZod):
        return (zod.chain(obj, prop, args),)
    if isinstance(obj, VResChain):
        if prop in ("json", "send", "end", "sendFile", "jsonp"):
            return (VResp(obj.statuses, 200, args[0] if args else (), site),)
        if prop == "status":
            return (VResChain(args[0] if args else (VUnknown("status"),)),)
        return (obj,)
    if isinstance(obj, VExt):
        path = obj.path
        if path == ("zod",) or (path and path[0] == "zod"):
            return (zod.construct((*path[1:], prop), args, site),)
        if path == ("#global", "JSON") and prop == "stringify":
            return args[0] if args else (UNDEFINED,)
        if path in (("#global", "Response"), ("next/server", "NextResponse")):
            if prop == "json":
                resp = response(args, 200, site)
                if path == ("next/server", "NextResponse") and expr.type_args:
                    resp = VResp(
                        resp.statuses, 200, resp.body, site, tuple((t, module) for t in expr.type_args[:1])
                    )
                return (resp,)
            if prop == "redirect":
                return (_redirect(args, 302 if path[0] == "#global" else 307, site),)
            if prop in ("next", "rewrite"):
                return (VResp((VNum(200, None),), 200, (), site),)
            if prop == "error":
                return (VUnknown("Response.error()", site),)
        return None
    if isinstance(obj, VParam):
        return _context_method(obj, prop, args, site)
    return None


def _context_method(obj: VParam, prop: str, args: Sequence[Vals], site: Location) -> Vals | None:
    """Methods of a handler's context parameter: Hono `c`, Express `res`, Astro `context`."""
    if len(obj.path) != 1:
        if obj.path[-1] in ("req", "request") and prop in ("json", "formData", "text", "parseBody", "valid"):
            return (VUnknown("request body"),)
        return None
    if prop in _HONO_BODY and args:
        return (response(args, 200, site),)
    if prop == "redirect":
        if args and any(isinstance(v, VNum) for v in args[0]):  # Express res.redirect(301, url)
            return (VResp(args[0], 302, (), site),)
        return (_redirect(args, 302, site),)
    if prop == "notFound":
        return (VResp((VNum(404, None),), 404, (), site),)
    if prop == "status" and args:
        return (VResChain(args[0]),)
    if prop == "sendStatus" and args:
        return (VResp(args[0], 200, (), site),)
    if prop in ("send", "end", "sendFile", "jsonp") or (prop == "json" and not args):
        if prop == "json" and not args:
            return None
        return (VResp((VNum(200, None),), 200, args[0] if args else (), site),)
    return None


def apply(
    fn: VExt | VParam,
    args: Sequence[Vals],
    kwargs: dict[str, Vals],
    site: Location,
    expr: Call,
    module: ModuleFacts,
) -> Vals | None:
    if isinstance(fn, VParam):
        if fn.path[-1] == "redirect":  # Astro: ({ redirect }) => redirect("/login", 302)
            return (_redirect(args, 302, site),)
        if len(fn.path) >= 2 and fn.path[-2] in ("res", "c", "context", "ctx"):
            return _context_method(VParam(fn.path[:-1], fn.index), fn.path[-1], args, site)
        return None
    path = fn.path
    if path and path[0] == "zod":
        return (zod.construct(path[1:], args, site),)
    if path == ("next/navigation", "redirect"):
        return (VResp((VNum(307, None),), 307, (), site),)
    if path == ("next/navigation", "permanentRedirect"):
        return (VResp((VNum(308, None),), 308, (), site),)
    if path == ("next/navigation", "notFound"):
        return (VResp((VNum(404, None),), 404, (), site),)
    if path[:1] == ("fastapi",) and len(path) == 2:
        name = path[1]
        if name == "HTTPException":
            status = kwargs.get("status_code") or (args[0] if args else (VUnknown("status_code"),))
            return (VErr(status, kwargs.get("detail") or (args[1] if len(args) > 1 else ()), site),)
        if name in _FASTAPI_RESPONSES or name == "RedirectResponse":
            default = 307 if name == "RedirectResponse" else 200
            code: Vals | None = kwargs.get("status_code")
            if code is None and len(args) > 1 and name != "RedirectResponse":
                code = args[1]
            body = kwargs.get("content") or (args[0] if args else ())
            return (VResp(code or (VNum(default, None),), default, body, site),)
    if path == ("#global", "Response"):
        return None
    return None


def construct(ctor: VExt, args: Sequence[Vals], site: Location | None) -> V:
    path = ctor.path
    here = site if site is not None else Location("", Range(0, 0, 0, 0))
    if path in (("#global", "Response"), ("next/server", "NextResponse")):
        return response(args, 200, here)
    name = path[-1] if path else ""
    if name in NEST_EXCEPTIONS:
        return VErr((VNum(NEST_EXCEPTIONS[name], None),), args[0] if args else (), site)
    if name == "HttpException":  # Nest: new HttpException(response, status)
        return VErr(args[1] if len(args) > 1 else (VUnknown("status"),), args[0] if args else (), site)
    if name == "HTTPException":  # Hono: new HTTPException(401, { message })
        return VErr(args[0] if args else (VUnknown("status"),), args[1] if len(args) > 1 else (), site)
    if path and path[0] == "#global" and name.endswith("Error"):
        return VErr((), (), site)
    return VUnknown(f"`new {'.'.join(path)}`", site)
