"""Scaffolding a planned endpoint's handler (the fix of SL101). Not a rule.

Astro (`src/pages/api/**.ts` with `APIRoute`) and Next.js app router (`app/api/**/route.ts`). The handler
answers every planned status with the planned error code, validates the planned request fields with zod,
reads the planned query parameters and `Idempotency-Key`, and returns the planned response fields; every
decision the plan does not make is a `TODO(stage-lsp)`. It is deliberately plain (`new Response(...)`) so
it depends on no project helper, and the checker reads it without guessing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from stage_lsp.context import CheckContext
from stage_lsp.plan.model import PlanEndpoint, PlanField

REASONS = {
    400: "Invalid request",
    401: "Sign in first",
    402: "Payment required",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    410: "Gone",
    422: "Cannot be processed",
    429: "Too many requests",
    500: "Internal error",
    502: "Upstream error",
    503: "Unavailable",
    504: "Upstream timeout",
}
IDENT = re.compile(r"^[A-Za-z_$][\w$]*$")


def zod_for(field: PlanField) -> str:
    hint = (field.type_hint or "").lower()
    if "uuid" in hint:
        expr = "z.string().uuid()"
    elif re.search(r"\b(int|integer|number|float|decimal)\b", hint):
        expr = "z.number()"
    elif re.search(r"\b(bool|boolean|true|false)\b", hint):
        expr = "z.boolean()"
    elif "[]" in hint or "array" in hint:
        expr = "z.array(z.unknown())"
    else:
        expr = "z.string()"
    if "null" in hint:
        expr += ".nullable()"
    if field.required is False or "optional" in hint:
        expr += ".optional()"
    return expr


def _key(name: str) -> str:
    return name if IDENT.match(name) else '"' + name.replace('"', '\\"') + '"'


def _fields_object(fields: Sequence[PlanField], value: str, indent: str) -> str:
    lines = [f"{indent}  {_key(f.name)}: {value if value else zod_for(f)}," for f in fields]
    return "{\n" + "\n".join(lines) + f"\n{indent}}}"


def _error(codes: dict[int, str], status: int, message: str) -> str:
    """The error response for `status`: with the plan's error code for it, and none when the plan names
    none (an invented code would be an unplanned one, SL211, or one code for several statuses, SL213)."""
    code = codes.get(status)
    inner = f"code: {json.dumps(code)}, message: {message}" if code else f"message: {message}"
    return f"json({{ error: {{ {inner} }} }}, {status})"


def handler_body(ctx: CheckContext, e: PlanEndpoint, next_style: bool, standalone: bool = False) -> list[str]:
    """The statements of one handler, indented two spaces. A `standalone` handler (added to a file that
    exists) uses nothing the file may lack: its own `json` helper, and zod imported where it is used."""
    out: list[str] = []
    if standalone:
        out += [
            "  const json = (body: unknown, status: number): Response =>",
            '    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });',
        ]
    where = f"{e.location.file}:{e.location.range.line + 1}"
    out.append(
        f"  // Planned in {where}. TODO(stage-lsp): put the logic in a service under src/lib/services."
    )
    for name in re.findall(r"\{(\w+)\}", e.path):
        source = "params" if not next_style else "(await context.params)"
        out.append(f"  const {name} = {source}.{name};")
    errors = sorted({s.code for s in e.statuses if not s.is_success})
    codes = {c.status: c.code for c in e.error_codes if c.status is not None}
    if 401 in errors:
        user = "locals.user" if not next_style else "null /* TODO(stage-lsp): read the session */"
        out += [
            f"  if (!{user}) {{",
            f"    return {_error(codes, 401, json.dumps(REASONS[401]))};",
            "  }",
        ]
    if e.idempotency_key:
        req = "request"
        out.append(f'  const idempotencyKey = {req}.headers.get("Idempotency-Key");')
        out.append("  // TODO(stage-lsp): return the stored result when this key was seen before.")
    for q in e.query_params:
        var = re.sub(r"\W", "_", q.name)
        bound = (
            f" // at most {e.limit_max}"
            if e.limit_max and q.name.lower() in ("limit", "page_size", "per_page")
            else ""
        )
        out.append(f'  const {var} = url.searchParams.get("{q.name}");{bound}')
    if e.method in ("POST", "PUT", "PATCH") and e.request_fields and standalone:
        out += [
            '  const { z } = await import("zod"); // TODO(stage-lsp): import zod and declare the schema at the top',
            f"  const bodySchema = z.object({_fields_object(e.request_fields, '', '  ')});",
        ]
    if e.method in ("POST", "PUT", "PATCH") and e.request_fields:
        out += [
            "  const parsed = bodySchema.safeParse(await request.json().catch(() => null));",
            "  if (!parsed.success) {",
            f"    return {_error(codes, 400, 'parsed.error.message')};",
            "  }",
        ]
    for status in errors:
        if status in (401, 500) or (
            status == 400 and e.request_fields and e.method in ("POST", "PUT", "PATCH")
        ):
            continue
        out += [
            f"  if (false /* TODO(stage-lsp): when does {status} apply? */) {{",
            f"    return {_error(codes, status, json.dumps(REASONS.get(status, 'Error')))};",
            "  }",
        ]
    success = sorted({s.code for s in e.statuses if s.is_success}) or [200]
    status = success[0]
    if status == 204:
        out.append("  return new Response(null, { status: 204 });")
    elif e.response_fields:
        body = _fields_object(e.response_fields, "undefined as unknown /* TODO(stage-lsp) */", "  ")
        out.append(f"  return json({body}, {status});")
    else:
        out.append(f"  return json({{}} /* TODO(stage-lsp): the planned response */, {status});")
    return out


def _prelude(ctx: CheckContext, endpoints: Sequence[PlanEndpoint], next_style: bool) -> list[str]:
    bodies = [e for e in endpoints if e.method in ("POST", "PUT", "PATCH") and e.request_fields]
    out = [] if next_style else ['import type { APIRoute } from "astro";']  # Next.js: Request, Response
    if bodies:
        out.append('import { z } from "zod";')
    if out:
        out.append("")
    if not next_style and ctx.plan.project_rule("prerender") is not None:
        out += ["export const prerender = false;", ""]
    if bodies:
        out += [f"const bodySchema = z.object({_fields_object(bodies[0].request_fields, '', '')});", ""]
    out += [
        "function json(body: unknown, status: number): Response {",
        '  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });',
        "}",
        "",
    ]
    return out


def handler(ctx: CheckContext, e: PlanEndpoint, next_style: bool = False, standalone: bool = False) -> str:
    body = handler_body(ctx, e, next_style, standalone)
    text = "\n".join(body)
    if not next_style:
        uses = [n for n in ("request", "url", "params", "locals") if re.search(rf"\b{n}\.", text)]
        head = (
            f"export const {e.method}: APIRoute = async ({{ {', '.join(uses)} }}) => {{"
            if uses
            else (f"export const {e.method}: APIRoute = async () => {{")
        )
        tail = "};"
    else:
        ctx_param = ", context: { params: Promise<Record<string, string>> }" if "context." in text else ""
        head = f"export async function {e.method}(request: Request{ctx_param}) {{"
        tail = "}"
        if "url." in text:
            body.insert(0, "  const url = new URL(request.url);")
    return "\n".join([head, *body, tail]) + "\n"


def route_file(ctx: CheckContext, endpoints: Sequence[PlanEndpoint], next_style: bool = False) -> str:
    parts = _prelude(ctx, endpoints, next_style)
    text = "\n".join(parts) + "\n"
    return text + "\n".join(handler(ctx, e, next_style) for e in endpoints)
