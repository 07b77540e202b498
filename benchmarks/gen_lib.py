"""The non-route TypeScript of a synthetic project: helpers, errors, services, zod schemas, types.

Shared modules (`src/lib/http/responses.ts` with status-carrying helpers, `src/lib/http/status.ts`,
`src/lib/errors.ts` with error classes that carry a status, `src/lib/auth.ts`), one service and one zod
schema module per table, `src/types.ts` (DTOs and commands), `src/db/database.types.ts` (Supabase CLI
shape) and, to reach the size's file count, per-table support modules (queries, mappers, policies,
notifications, exports) of about the same length.
"""

from __future__ import annotations

from benchmarks.gen_model import Project, Table
from benchmarks.gen_routes import pascal, service_fn

SUPPORT_KINDS = ("queries", "mappers", "policies", "notifications", "exports")


def shared_files() -> dict[str, str]:
    responses = """import type { ZodFormattedError } from "zod";

const JSON_HEADERS = { "Content-Type": "application/json" };

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** A JSON response; the status defaults to 200. */
export function jsonResponse(data: unknown, status = 200, extraHeaders?: Record<string, string>): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { ...JSON_HEADERS, ...extraHeaders },
  });
}

/** An error envelope: the status comes first, then the machine-readable code. */
export function errorResponse(status: number, code: string, message: string, details?: unknown): Response {
  const body: ErrorBody = { error: { code, message, details } };
  return jsonResponse(body, status);
}

export function validationError(error: ZodFormattedError<unknown>): Response {
  return errorResponse(400, "VALIDATION_ERROR", "Validation failed", error);
}
"""
    status = """export const HTTP_STATUS = {
  OK: 200,
  CREATED: 201,
  NO_CONTENT: 204,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNPROCESSABLE_ENTITY: 422,
  INTERNAL_SERVER_ERROR: 500,
} as const;

export type HttpStatus = (typeof HTTP_STATUS)[keyof typeof HTTP_STATUS];
"""
    errors = """export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export class NotFoundError extends ApiError {
  constructor(message = "Resource not found") {
    super(404, "NOT_FOUND", message);
  }
}

export class ConflictError extends ApiError {
  constructor(message = "Resource already exists") {
    super(409, "CONFLICT", message);
  }
}

export class ValidationError extends ApiError {
  constructor(message = "Unprocessable entity") {
    super(422, "UNPROCESSABLE", message);
  }
}

export class DatabaseError extends ApiError {
  constructor(message: string) {
    super(500, "DATABASE_ERROR", message);
  }
}
"""
    auth = """import type { APIContext, APIRoute } from "astro";
import type { User } from "@supabase/supabase-js";
import { errorResponse } from "./http/responses";

type AuthedHandler = (context: APIContext, user: User) => Promise<Response>;

/** Runs the handler only for a signed-in user; answers 401 otherwise. */
export function withAuth(handler: AuthedHandler): APIRoute {
  return async (context) => {
    const {
      data: { user },
    } = await context.locals.supabase.auth.getUser();
    if (!user) {
      return errorResponse(401, "UNAUTHORIZED", "Authentication required");
    }
    return handler(context, user);
  };
}
"""
    client = """import { createClient } from "@supabase/supabase-js";
import type { SupabaseClient as BaseClient } from "@supabase/supabase-js";
import type { Database } from "./database.types";

export type SupabaseClient = BaseClient<Database>;

export const supabaseClient = createClient<Database>(
  import.meta.env.SUPABASE_URL,
  import.meta.env.SUPABASE_KEY,
);
"""
    middleware = """import { defineMiddleware } from "astro:middleware";
import { supabaseClient } from "../db/supabase.client";

export const onRequest = defineMiddleware((context, next) => {
  context.locals.supabase = supabaseClient;
  return next();
});
"""
    return {
        "src/lib/http/responses.ts": responses,
        "src/lib/http/status.ts": status,
        "src/lib/errors.ts": errors,
        "src/lib/auth.ts": auth,
        "src/db/supabase.client.ts": client,
        "src/middleware/index.ts": middleware,
    }


def database_types(project: Project, created: set[str]) -> str:
    lines = [
        "export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[];",
        "",
        "export type Database = {",
        "  public: {",
        "    Tables: {",
    ]
    for t in project.tables:
        if t.name not in created:
            continue
        lines.append(f"      {t.name}: {{")
        for part in ("Row", "Insert", "Update"):
            lines.append(f"        {part}: {{")
            for c in t.columns:
                opt = "" if part == "Row" or (not c.nullable and c.name not in ("id", "created_at")) else "?"
                if part == "Update":
                    opt = "?"
                lines.append(f"          {c.name}{opt}: {c.ts_type};")
            lines.append("        };")
        lines.append("        Relationships: [")
        for c in t.columns:
            if c.references and c.references != "auth.users":
                lines += [
                    "          {",
                    f'            foreignKeyName: "{t.name}_{c.name}_fkey";',
                    f'            columns: ["{c.name}"];',
                    f'            referencedRelation: "{c.references}";',
                    '            referencedColumns: ["id"];',
                    "          },",
                ]
        lines += ["        ];", "      };"]
    lines += [
        "    };",
        "    Views: { [_ in never]: never };",
        "    Functions: { [_ in never]: never };",
        "    Enums: { [_ in never]: never };",
        "  };",
        "};",
        "",
        'type PublicSchema = Database["public"];',
        'export type Tables<T extends keyof PublicSchema["Tables"]> = PublicSchema["Tables"][T]["Row"];',
        'export type TablesInsert<T extends keyof PublicSchema["Tables"]> = PublicSchema["Tables"][T]["Insert"];',
    ]
    return "\n".join(lines) + "\n"


def types_file(project: Project) -> str:
    lines = ['import type { Tables, TablesInsert } from "./db/database.types";', ""]
    for t in project.tables:
        fields = " | ".join(f'"{c.name}"' for c in t.columns if c.name != "user_id")
        lines += [
            f'export type {t.pascal}Dto = Pick<Tables<"{t.name}">, {fields}>;',
            f'export type Create{t.pascal}Command = Omit<TablesInsert<"{t.name}">, "id" | "user_id" | "created_at">;',
            f"export type Update{t.pascal}Command = Partial<Create{t.pascal}Command>;",
            "",
        ]
    lines += ["export interface Pagination {", "  page: number;", "  limit: number;", "  total: number;", "}"]
    return "\n".join(lines) + "\n"


def schema_file(t: Table, project: Project) -> str:
    lines = ['import { z } from "zod";', ""]
    cols = t.domain_columns()
    lines.append(f"export const create{t.pascal}Schema = z.object({{")
    lines += [f"  {c.name}: {c.zod}," for c in cols]
    lines += [
        "});",
        "",
        f"export const update{t.pascal}Schema = create{t.pascal}Schema.partial().refine(",
    ]
    lines += [
        "  (value) => Object.keys(value).length > 0,",
        '  { message: "At least one field is required" },',
        ");",
    ]
    actions = sorted({e.action for e in project.served if e.table == t.name and e.kind == "action"})
    for a in actions:
        lines += [
            "",
            f"export const {a}{t.pascal}Schema = z.object({{",
            "  reason: z.string().max(500).optional(),",
            "  notify: z.boolean().default(false),",
            "});",
        ]
    lines += [
        "",
        f"export type Create{t.pascal}Input = z.infer<typeof create{t.pascal}Schema>;",
        f"export type Update{t.pascal}Input = z.infer<typeof update{t.pascal}Schema>;",
    ]
    return "\n".join(lines) + "\n"


def service_file(t: Table, project: Project, target_lines: int) -> str:
    select = ", ".join(c.name for c in t.columns if c.name != "user_id")
    lines = [
        'import type { SupabaseClient } from "../../db/supabase.client";',
        f'import type {{ {t.pascal}Dto, Create{t.pascal}Command, Update{t.pascal}Command }} from "../../types";',
        'import { ConflictError, DatabaseError, NotFoundError } from "../errors";',
        "",
        f'const COLUMNS = "{select}";',
        "",
        "export interface ListQuery {",
        "  page: number;",
        "  limit: number;",
        '  sort: "created_at" | "updated_at";',
        "}",
    ]
    seen: set[str] = set()
    for ep in [e for e in project.served if e.table == t.name]:
        fn = service_fn(ep, t, project)
        if fn in seen:
            continue
        seen.add(fn)
        lines.append("")
        if ep.kind == "list":
            lines += [
                f"export async function {fn}(",
                "  supabase: SupabaseClient,",
                "  userId: string,",
                "  query: ListQuery,",
                f"): Promise<{{ items: {t.pascal}Dto[]; total: number }}> {{",
                "  const from = (query.page - 1) * query.limit;",
                "  const { data, error, count } = await supabase",
                f'    .from("{t.name}")',
                '    .select(COLUMNS, { count: "exact" })',
                '    .eq("user_id", userId)',
                "    .order(query.sort, { ascending: false })",
                "    .range(from, from + query.limit - 1);",
                "  if (error) {",
                "    throw new DatabaseError(error.message);",
                "  }",
                f"  return {{ items: (data ?? []) as {t.pascal}Dto[], total: count ?? 0 }};",
                "}",
            ]
        elif ep.kind == "nested":
            child = project.table(ep.child)
            lines += [
                f"export async function {fn}(supabase: SupabaseClient, userId: string, id: string) {{",
                "  const { data, error } = await supabase",
                f'    .from("{child.name}")',
                '    .select("*")',
                f'    .eq("{t.singular}_id", id)',
                '    .eq("user_id", userId);',
                "  if (error) {",
                "    throw new DatabaseError(error.message);",
                "  }",
                "  return data ?? [];",
                "}",
            ]
        else:
            has_id = ep.kind != "create"
            params = ["supabase: SupabaseClient", "userId: string"] + (["id: string"] if has_id else [])
            if ep.kind in ("create", "update", "action"):
                cmd = {"create": f"Create{t.pascal}Command", "update": f"Update{t.pascal}Command"}
                params.append(f"input: {cmd.get(ep.kind, 'Record<string, unknown>')}")
            op = {
                "create": ".insert({ ...input, user_id: userId })",
                "update": ".update(input)",
                "delete": ".delete()",
                "get": ".select(COLUMNS)",
                "action": f'.update({{ status: "{ep.action}d" }})',
            }[ep.kind]
            lines += [
                f"export async function {fn}({', '.join(params)}) {{",
                "  const { data, error } = await supabase",
            ]
            lines += [f'    .from("{t.name}")', f"    {op}"]
            if has_id:
                lines += ['    .eq("id", id)']
            lines += ['    .eq("user_id", userId)' if has_id else "    .select(COLUMNS)"]
            lines += ["    .maybeSingle();", "  if (error) {"]
            if ep.kind == "create":
                lines += [
                    '    if (error.code === "23505") {',
                    f'      throw new ConflictError("{t.title_en} already exists");',
                    "    }",
                ]
            lines += ["    throw new DatabaseError(error.message);", "  }"]
            if ep.kind != "get":
                lines += ["  if (!data) {", f'    throw new NotFoundError("{t.title_en} not found");', "  }"]
            lines += ["  return data;", "}"]
    i = 0
    while len(lines) < target_lines:
        i += 1
        lines += [
            "",
            f"/** Counts the user's {t.name.replace('_', ' ')} matching a filter (helper {i}). */",
            f"export async function count{pascal(t.name)}By{i}(supabase: SupabaseClient, userId: string, since: string) {{",
            "  const { count, error } = await supabase",
            f'    .from("{t.name}")',
            '    .select("id", { count: "exact", head: true })',
            '    .eq("user_id", userId)',
            '    .gte("created_at", since);',
            "  if (error) {",
            "    throw new DatabaseError(error.message);",
            "  }",
            "  return count ?? 0;",
            "}",
        ]
    return "\n".join(lines) + "\n"


def support_file(t: Table, kind: str, n: int, target_lines: int) -> str:
    """A per-table support module; `n` numbers modules of the same kind."""
    lines = [
        f'import type {{ {t.pascal}Dto }} from "../../../types";',
        'import type { SupabaseClient } from "../../../db/supabase.client";',
        "",
        f"/** {kind.title()} for `{t.name}` (module {n}). */",
    ]
    cols = t.domain_columns() or t.columns
    i = 0
    while len(lines) < target_lines:
        c = cols[i % len(cols)]
        i += 1
        name = f"{kind[:-1]}{pascal(c.name)}{i}"
        if kind == "queries":
            lines += [
                "",
                f"export async function {name}(supabase: SupabaseClient, value: {c.ts_type.split(' ')[0]}) {{",
                "  const { data, error } = await supabase",
                f'    .from("{t.name}")',
                '    .select("id, created_at")',
                f'    .eq("{c.name}", value)',
                "    .limit(50);",
                "  if (error) {",
                "    return [];",
                "  }",
                "  return data;",
                "}",
            ]
        elif kind == "mappers":
            lines += [
                "",
                f"export function {name}(row: {t.pascal}Dto): Record<string, unknown> {{",
                "  return {",
                "    id: row.id,",
                f'    {c.camel}: row["{c.name}" as keyof {t.pascal}Dto] ?? null,',
                "    createdAt: row.created_at,",
                "  };",
                "}",
            ]
        elif kind == "policies":
            lines += [
                "",
                f"export function {name}(row: {t.pascal}Dto, userId: string | null): boolean {{",
                "  if (!userId) {",
                "    return false;",
                "  }",
                f'  const value = row["{c.name}" as keyof {t.pascal}Dto];',
                "  return value !== undefined;",
                "}",
            ]
        elif kind == "notifications":
            lines += [
                "",
                f"export function {name}(row: {t.pascal}Dto): string {{",
                f'  const label = String(row["{c.name}" as keyof {t.pascal}Dto] ?? "");',
                f"  return `{t.title_en}: ${{label}} (${{row.id}})`;",
                "}",
            ]
        else:
            lines += [
                "",
                f"export function {name}(rows: {t.pascal}Dto[]): string {{",
                f'  const header = "id,{c.name}";',
                "  const body = rows",
                f'    .map((row) => `${{row.id}},${{String(row["{c.name}" as keyof {t.pascal}Dto] ?? "")}}`)',
                '    .join("\\n");',
                '  return header + "\\n" + body;',
                "}",
            ]
    return "\n".join(lines) + "\n"
