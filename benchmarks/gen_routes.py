"""Astro API route files (`src/pages/api/**.ts`) for a synthetic project.

One file per served path, one handler per method, in the forms real projects use (FORMATS.md section c):
`export const GET: APIRoute = async (...) =>` most often, `export async function POST(ctx: APIContext)`,
a `withAuth(...)` wrapper, and an alias `export const GET: APIRoute = handleX`. Statuses come from response
helpers (`jsonResponse(data, 201)`, `errorResponse(404, CODE, msg)`), raw `new Response(.., { status })`,
an `HTTP_STATUS.X` constant, or an error's own `status` (not a literal). Files are padded to a target
length with the local helpers such files carry (mappers, query parsing).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from benchmarks.gen_model import REASONS, Endpoint, Project, Table

METHOD_ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}
CONST_NAMES = {
    200: "OK",
    201: "CREATED",
    204: "NO_CONTENT",
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    404: "NOT_FOUND",
    409: "CONFLICT",
    422: "UNPROCESSABLE_ENTITY",
    500: "INTERNAL_SERVER_ERROR",
}
ERROR_CODES = {
    400: "VALIDATION_ERROR",
    401: "UNAUTHORIZED",
    404: "NOT_FOUND",
    409: "CONFLICT",
    422: "UNPROCESSABLE",
    500: "INTERNAL_ERROR",
}


def pascal(name: str) -> str:
    return "".join(p.title() for p in name.split("_"))


def service_fn(ep: Endpoint, table: Table, project: Project) -> str:
    if ep.kind == "list":
        return "list" + pascal(table.name)
    if ep.kind == "action":
        return ep.action + table.pascal
    if ep.kind == "nested":
        return "list" + pascal(project.table(ep.child).name) + "For" + table.pascal
    return {"create": "create", "get": "get", "update": "update", "delete": "delete"}[ep.kind] + table.pascal


@dataclass(frozen=True)
class RouteFile:
    rel: str
    path: str
    table: Table
    endpoints: tuple[Endpoint, ...]
    depth: int  # folders below src/pages/api


def route_files(project: Project, rng: random.Random) -> list[RouteFile]:
    """Group the served endpoints by path; name the `[param]` folders per table."""
    short_param = {t.name: rng.random() < 0.6 for t in project.tables}
    by_path: dict[str, list[Endpoint]] = defaultdict(list)
    for ep in project.served:
        by_path[ep.path].append(ep)
    out: list[RouteFile] = []
    for path, eps in sorted(by_path.items()):
        table = project.table(eps[0].table)
        param = "id" if short_param[table.name] else table.param
        segments = path.split("/")[2:]  # drop "", "api"
        parts = [f"[{param}]" if s.startswith("{") else s for s in segments]
        if len(parts) == 1:
            rel = f"src/pages/api/{parts[0]}/index.ts"
        else:
            rel = "src/pages/api/" + "/".join(parts) + ".ts"
        eps.sort(key=lambda e: METHOD_ORDER[e.method])
        out.append(RouteFile(rel, path, table, tuple(eps), rel.count("/") - 3))
    return out


class _Writer:
    """Renders statuses in one file's style."""

    def __init__(self, style: str) -> None:
        self.style = style  # helpers | raw | constants

    def status(self, code: int) -> str:
        return f"HTTP_STATUS.{CONST_NAMES[code]}" if self.style == "constants" else str(code)

    def error(self, ind: str, code: int, message: str, details: str = "") -> list[str]:
        err = ERROR_CODES.get(code, "ERROR")
        if self.style == "raw":
            extra = f", details: {details}" if details else ""
            return [
                f"{ind}return new Response(",
                f'{ind}  JSON.stringify({{ error: "{REASONS[code]}", code: "{err}", message: "{message}"{extra} }}),',
                f"{ind}  {{ status: {code}, headers: JSON_HEADERS }},",
                f"{ind});",
            ]
        args = f'{self.status(code)}, "{err}", "{message}"' + (f", {details}" if details else "")
        return [f"{ind}return errorResponse({args});"]

    def ok(self, ind: str, code: int, data: str) -> list[str]:
        if code == 204:
            return [f"{ind}return new Response(null, {{ status: {self.status(204)} }});"]
        if self.style == "raw":
            return [
                f"{ind}return new Response(JSON.stringify({data}), {{",
                f"{ind}  status: {code},",
                f"{ind}  headers: JSON_HEADERS,",
                f"{ind}}});",
            ]
        return [f"{ind}return jsonResponse({data}, {self.status(code)});"]


def _body(ep: Endpoint, rf: RouteFile, project: Project, w: _Writer, check_auth: bool) -> list[str]:
    t = rf.table
    fn = service_fn(ep, t, project)
    i1, i2, i3 = "  ", "    ", "      "
    lines: list[str] = [f"{i1}const supabase = locals.supabase;"]
    if check_auth:
        lines += [
            f"{i1}const {{",
            f"{i1}  data: {{ user }},",
            f"{i1}}} = await supabase.auth.getUser();",
            f"{i1}if (!user) {{",
            *w.error(i2, 401, "Authentication required"),
            f"{i1}}}",
        ]
    lines.append("")
    if "{" in ep.path:
        lines += [
            f"{i1}const idResult = idParamSchema.safeParse(params.{rf.rel.split('[')[1].split(']')[0]});",
            f"{i1}if (!idResult.success) {{",
            *w.error(i2, 400, f"Invalid {t.singular} id"),
            f"{i1}}}",
            f"{i1}const id = idResult.data;",
            "",
        ]
    args = ["supabase", "user.id"] + (["id"] if "{" in ep.path else [])
    if ep.kind == "list":
        lines += [
            f"{i1}const query = listQuerySchema.safeParse(Object.fromEntries(url.searchParams));",
            f"{i1}if (!query.success) {{",
            *w.error(i2, 400, "Invalid query parameters", "query.error.flatten()"),
            f"{i1}}}",
            "",
        ]
        args.append("query.data")
    if ep.kind in ("create", "update", "action"):
        schema = f"{ep.kind}{t.pascal}Schema" if ep.kind != "action" else f"{ep.action}{t.pascal}Schema"
        lines += [
            f"{i1}let payload: unknown;",
            f"{i1}try {{",
            f"{i2}payload = await request.json();",
            f"{i1}}} catch {{",
            *w.error(i2, 400, "Request body must be valid JSON"),
            f"{i1}}}",
            f"{i1}const parsed = {schema}.safeParse(payload);",
            f"{i1}if (!parsed.success) {{",
            *w.error(i2, 400, "Validation failed", "parsed.error.flatten().fieldErrors"),
            f"{i1}}}",
            "",
        ]
        args.append("parsed.data")
    lines.append(f"{i1}try {{")
    call = f"await {fn}({', '.join(args)})"
    if ep.kind == "delete":
        lines += [f"{i2}{call};", *w.ok(i2, ep.success, "")]
    elif ep.kind == "list":
        lines += [
            f"{i2}const {{ items, total }} = {call};",
            *w.ok(
                i2,
                ep.success,
                "{ data: items.map(toDto), pagination: { page: query.data.page, limit: query.data.limit, total } }",
            ),
        ]
    elif ep.kind == "get":
        lines += [
            f"{i2}const row = {call};",
            f"{i2}if (!row) {{",
            *w.error(i3, 404, f"{t.title_en} not found"),
            f"{i2}}}",
            *w.ok(i2, ep.success, "toDto(row)"),
        ]
    elif ep.kind == "nested":
        lines += [f"{i2}const items = {call};", *w.ok(i2, ep.success, "{ data: items }")]
    else:
        lines += [f"{i2}const row = {call};", *w.ok(i2, ep.success, "toDto(row)")]
    lines += [f"{i1}}} catch (error) {{"]
    if 404 in ep.errors or 409 in ep.errors:
        lines += [
            f"{i2}if (error instanceof ApiError) {{",
            f"{i3}return errorResponse(error.status, error.code, error.message);",
            f"{i2}}}",
        ]
    lines += [
        f'{i2}console.error("{ep.method} {ep.path} failed", error);',
        *w.error(i2, 500, f"Could not handle {t.name.replace('_', ' ')}"),
        f"{i1}}}",
    ]
    return lines


def _destructure(ep: Endpoint) -> str:
    names = ["locals"]
    if "{" in ep.path:
        names.insert(0, "params")
    if ep.kind == "list":
        names.insert(0, "url")
    if ep.kind in ("create", "update", "action"):
        names.insert(0, "request")
    return "{ " + ", ".join(names) + " }"


def _handler(ep: Endpoint, rf: RouteFile, project: Project, w: _Writer, form: str) -> list[str]:
    doc = ["/**", f" * {ep.method} {ep.path}", f" * {ep.kind.title()} handler for `{rf.table.name}`.", " */"]
    args = _destructure(ep)
    if form == "wrapped":
        body = _body(ep, rf, project, w, check_auth=False)
        return [
            *doc,
            f"export const {ep.method}: APIRoute = withAuth(async ({args}, user) => {{",
            *body,
            "});",
        ]
    body = _body(ep, rf, project, w, check_auth=True)
    if form == "function":
        return [
            *doc,
            f"export async function {ep.method}({args}: APIContext): Promise<Response> {{",
            *body,
            "}",
        ]
    if form == "alias":
        name = "handle" + service_fn(ep, rf.table, project)[0].upper() + service_fn(ep, rf.table, project)[1:]
        return [
            *doc,
            f"async function {name}({args}: APIContext): Promise<Response> {{",
            *body,
            "}",
            "",
            f"export const {ep.method}: APIRoute = {name};",
        ]
    return [*doc, f"export const {ep.method}: APIRoute = async ({args}) => {{", *body, "};"]


def _padding(t: Table, n: int) -> list[str]:
    """Local helpers of the kind route files carry, to reach the file's target length."""
    cols = t.domain_columns()
    out: list[str] = []
    for i in range(n):
        c = cols[i % len(cols)] if cols else None
        field = c.name if c else "id"
        camel = c.camel if c else "id"
        out += [
            "",
            f"/** Normalises `{field}` for the response (variant {i + 1}). */",
            f"function normalise{camel[0].upper()}{camel[1:]}{i + 1}(row: Record<string, unknown>): unknown {{",
            f'  const value = row["{field}"];',
            "  if (value === undefined || value === null) {",
            "    return null;",
            "  }",
            '  if (typeof value === "string") {',
            "    return value.trim();",
            "  }",
            "  return value;",
            "}",
        ]
    return out


def render_route(rf: RouteFile, project: Project, rng: random.Random, target_lines: int) -> str:
    style = rng.choice(("helpers", "helpers", "helpers", "raw", "constants"))
    w = _Writer(style)
    up = "../" * (rf.depth + 2)
    t = rf.table
    forms = [rng.choice(("const",) * 16 + ("function",) * 2 + ("wrapped", "alias")) for _ in rf.endpoints]
    inline_schemas = rng.random() < 0.5
    uses_ctx = any(f in ("function", "alias") for f in forms)
    head = [
        f'import type {{ {"APIContext, " if uses_ctx else ""}APIRoute }} from "astro";',
        'import { z } from "zod";',
        f'import {{ errorResponse{", jsonResponse" if style != "raw" else ""} }} from "{up}lib/http/responses";',
    ]
    if style == "constants":
        head.append(f'import {{ HTTP_STATUS }} from "{up}lib/http/status";')
    if any(404 in ep.errors or 409 in ep.errors for ep in rf.endpoints):
        head.append(f'import {{ ApiError }} from "{up}lib/errors";')
    if "wrapped" in forms:
        head.append(f'import {{ withAuth }} from "{up}lib/auth";')
    head += [
        f'import type {{ {t.pascal}Dto }} from "{up}types";',
        "import {",
        *sorted({f"  {service_fn(ep, t, project)}," for ep in rf.endpoints}),
        f'}} from "{up}lib/services/{t.name}.service";',
    ]
    schemas = sorted(
        {
            f"{ep.kind}{t.pascal}Schema" if ep.kind != "action" else f"{ep.action}{t.pascal}Schema"
            for ep in rf.endpoints
            if ep.kind in ("create", "update", "action")
        }
    )
    body: list[str] = []
    if schemas and not inline_schemas:
        head += ["import {", *[f"  {s}," for s in schemas], f'}} from "{up}lib/validation/{t.name}.schema";']
    head += ["", "export const prerender = false;"]
    if style == "raw":
        head += ["", 'const JSON_HEADERS = { "Content-Type": "application/json" };']
    head += ["", "const idParamSchema = z.string().uuid();", ""]
    head += [
        "const listQuerySchema = z.object({",
        "  page: z.coerce.number().int().min(1).default(1),",
        "  limit: z.coerce.number().int().min(1).max(100).default(20),",
        '  sort: z.enum(["created_at", "updated_at"]).default("created_at"),',
        "});",
    ]
    if schemas and inline_schemas:
        for s in schemas:
            head += ["", f"const {s} = z.object({{"]
            for c in t.domain_columns():
                head.append(f"  {c.name}: {c.zod}{'.optional()' if s.startswith('update') else ''},")
            head.append("});")
    head += [
        "",
        f"function toDto(row: Record<string, unknown>): {t.pascal}Dto {{",
        f"  return {{ ...row }} as unknown as {t.pascal}Dto;",
        "}",
    ]
    for ep, form in zip(rf.endpoints, forms, strict=True):
        body += ["", *_handler(ep, rf, project, w, form)]
    lines = head + body
    if len(lines) < target_lines:
        lines += _padding(t, (target_lines - len(lines)) // 12 + 1)
    return "\n".join(lines) + "\n"


def lsp_edit_for(files: list[RouteFile]) -> tuple[str, str]:
    """The route file and the text the LSP benchmark appends and removes: a PUT handler the plan lacks."""
    for rf in files:
        if rf.rel.endswith("/index.ts") and all(ep.method != "PUT" for ep in rf.endpoints):
            text = (
                "\nexport const PUT: APIRoute = async () => {\n"
                '  return new Response(null, { status: 204, headers: { "X-Bench": "edit" } });\n'
                "};\n"
            )
            return rf.rel, text
    raise ValueError("no index route file without PUT")
