"""Statuses per handler through literals, helpers (any signature), constants, error classes and `||`."""

from __future__ import annotations

from tests.code.helpers import routes, span, statuses

HTTP = """\
export function jsonResponse(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), { status, headers: { "Content-Type": "application/json" } });
}

export function errorResponse(status: number, code: string, message: string): Response {
  return jsonResponse({ error: { code, message } }, status);
}

export function failure(code: string, message: string, status: number) {
  return new Response(JSON.stringify({ code, message }), { status });
}

export const json = (body: unknown, init: ResponseInit = {}): Response =>
  new Response(JSON.stringify(body), { ...init, headers: { "x-a": "1" } });
"""

HANDLER = """\
import { errorResponse, failure, json, jsonResponse } from "../../lib/http";

export const GET = async ({ locals }) => {
  if (!locals.user) return errorResponse(401, "UNAUTHORIZED", "Sign in");
  if (locals.banned) return failure("BANNED", "No", 403);
  if (locals.gone) return json({ gone: true }, { status: 410 });
  if (locals.empty) return json([]);
  return jsonResponse({ id: 1, name: "x" });
};

export const POST = async () => jsonResponse({ id: 1 }, 201);
"""


def test_helpers_with_every_signature() -> None:
    found = routes({"src/lib/http.ts": HTTP, "src/pages/api/items.ts": HANDLER})
    get = found["GET /api/items"]
    assert get.statuses_complete
    assert statuses(get) == [
        (200, span(HANDLER, "json([])")),  # `init = {}` sets no status: the default, at the call
        (200, span(HANDLER, 'jsonResponse({ id: 1, name: "x" })')),  # `status = 200` default, at the call
        (401, span(HANDLER, "401")),
        (403, span(HANDLER, "403")),
        (410, span(HANDLER, "410")),
    ]
    codes = sorted((c.code, c.status, c.location.range.line) for c in get.error_codes)
    assert codes == [("BANNED", 403, 4), ("UNAUTHORIZED", 401, 3)]
    assert get.error_codes_complete
    post = found["POST /api/items"]
    assert statuses(post) == [(201, span(HANDLER, "201"))]
    assert post.response_fields is not None and post.response_fields.names == ("id",)


def test_constants_enums_and_locals() -> None:
    text = """\
const STATUS = { CREATED: 201, CONFLICT: 409 } as const;
enum Code { Teapot = 418 }
export const POST = async ({ request }) => {
  const status = 422;
  if (request.headers.get("x")) return new Response(null, { status: Code.Teapot });
  if (request.bad) return new Response(null, { status });
  if (request.dup) return new Response(null, { status: STATUS.CONFLICT });
  return new Response(null, { status: STATUS.CREATED });
};
"""
    post = routes({"src/pages/api/x.ts": text})["POST /api/x"]
    assert post.status_codes == (201, 409, 418, 422) and post.statuses_complete
    # 422 is a literal inside the handler: located there; the others are module constants: at the return
    assert (422, span(text, "422")) in statuses(post)
    assert (201, span(text, "new Response(null, { status: STATUS.CREATED })")) in statuses(post)


def test_or_fallback_and_service_results() -> None:
    service = """\
export async function getItem(id: string) {
  if (!id) return { data: null, error: new Error("x"), status: 404 };
  if (id === "x") return { data: null, error: new Error("y"), status: 403 };
  return { data: { id }, error: null };
}
"""
    handler = """\
import { getItem } from "../../../lib/items.service";
export const GET = async ({ params }) => {
  const { data, error, status } = await getItem(params.id);
  if (error) return new Response(JSON.stringify({ error: "x" }), { status: status || 500 });
  return new Response(JSON.stringify(data), { status: 200 });
};
"""
    get = routes({"src/lib/items.service.ts": service, "src/pages/api/items/[id].ts": handler})[
        "GET /api/items/{}"
    ]
    assert get.status_codes == (200, 403, 404, 500)
    assert get.statuses_complete


def test_unknown_status_makes_the_set_incomplete_but_keeps_the_known_side() -> None:
    text = """\
export const GET = async ({ locals }) => {
  const result = await locals.service.run();
  return new Response("x", { status: result.code || 500 });
};
"""
    get = routes({"src/pages/api/x.ts": text})["GET /api/x"]
    assert get.status_codes == (500,)
    assert not get.statuses_complete and get.unresolved


def test_unresolved_helper_and_unknown_return() -> None:
    text = """\
import { problem } from "http-problem-kit";
export const GET = async () => problem(404);
export const POST = async ({ locals }) => locals.handler();
"""
    found = routes({"src/pages/api/x.ts": text})
    assert found["GET /api/x"].status_codes == () and not found["GET /api/x"].statuses_complete
    assert "problem" in found["GET /api/x"].unresolved[0]
    assert not found["POST /api/x"].statuses_complete


ERRORS = """\
export class ApiError extends Error {
  constructor(public status: number, public code: string, message?: string) {
    super(message);
  }
}
export class NotFoundError extends ApiError {
  constructor(what: string) {
    super(404, "NOT_FOUND", `${what} not found`);
  }
}
export class ConflictError extends Error {
  status = 409;
}
export class GoneError extends Error {
  constructor() {
    super("gone");
    this.status = 410;
  }
}
"""
SERVICE = """\
import { ConflictError, NotFoundError } from "../errors";
export async function findDeck(id: string) {
  if (!id) throw new NotFoundError("deck");
  return { id };
}
export async function saveDeck(id: string) {
  if (id) throw new ConflictError("dup");
}
"""


def test_error_classes_thrown_in_the_handler_and_in_services() -> None:
    handler = """\
import { findDeck, saveDeck } from "../../../lib/services/decks";
import { GoneError } from "../../../lib/errors";
export const GET = async ({ params }) => {
  if (params.old) throw new GoneError();
  const deck = await findDeck(params.id);
  return new Response(JSON.stringify(deck));
};
export const PUT = async ({ params }) => {
  try {
    await saveDeck(params.id);
  } catch (e) {
    return new Response("failed", { status: 500 });
  }
  return new Response(null, { status: 204 });
};
"""
    found = routes(
        {
            "src/lib/errors.ts": ERRORS,
            "src/lib/services/decks.ts": SERVICE,
            "src/pages/api/decks/[id].ts": handler,
        }
    )
    get = found["GET /api/decks/{}"]
    assert statuses(get) == [
        (200, span(handler, "new Response(JSON.stringify(deck))")),
        (404, span(handler, "findDeck(params.id)")),  # thrown in the service: located at the call
        (410, span(handler, "throw new GoneError();")),
    ]
    assert [(c.code, c.status) for c in get.error_codes] == [("NOT_FOUND", 404)]
    # a catch that answers 500 hides the service's 409
    assert found["PUT /api/decks/{}"].status_codes == (204, 500)


def test_caught_error_status_is_read_through_the_try_block() -> None:
    handler = """\
import { saveDeck } from "../../lib/services/decks";
export const POST = async () => {
  try {
    await saveDeck("x");
    return new Response(null, { status: 201 });
  } catch (e) {
    return new Response(JSON.stringify({ error: "failed" }), { status: e.status || 500 });
  }
};
"""
    post = routes(
        {"src/lib/errors.ts": ERRORS, "src/lib/services/decks.ts": SERVICE, "src/pages/api/decks.ts": handler}
    )["POST /api/decks"]
    assert post.status_codes == (201, 409, 500)
    assert not post.statuses_complete  # other errors may carry other statuses


def test_redirects_and_text_bodies() -> None:
    text = """\
export const GET = async ({ url, redirect }) => {
  if (url.searchParams.get("a")) return Response.redirect("/a");
  if (url.searchParams.get("b")) return Response.redirect("/b", 301);
  if (url.searchParams.get("c")) return redirect("/c");
  return new Response("Unauthorized", { status: 401 });
};
"""
    get = routes({"src/pages/api/go.ts": text})["GET /api/go"]
    assert get.status_codes == (301, 302, 401) and get.statuses_complete
    assert get.response_fields is None and get.error_codes == ()


def test_status_mappings_follow_the_code_they_are_given() -> None:
    status = """\
const MAP: Record<string, number> = { NOT_FOUND: 404, CONFLICT: 409, RATE_LIMITED: 429 };
export function statusFor(code: string): number {
  switch (code) {
    case "NOT_FOUND":
    case "GONE":
      return 404;
    case "CONFLICT":
      return 409;
    default:
      return 500;
  }
}
export const lookup = (code: string) => MAP[code];
"""
    service = """\
export async function rename(id: string) {
  if (!id) return { error: { code: "NOT_FOUND" } };
  return { data: { id } };
}
"""
    handler = """\
import { lookup, statusFor } from "../../../lib/status";
import { rename } from "../../../lib/service";
export const ALL = async (context) => {
  const method = context.request.method;
  if (!["PATCH"].includes(method)) return new Response(null, { status: 405 });
  const result = await rename(context.params.id);
  if ("error" in result) return new Response(JSON.stringify(result), { status: statusFor(result.error.code) });
  if (context.url.searchParams.get("x")) return new Response(null, { status: lookup("CONFLICT") });
  return new Response(JSON.stringify(result.data), { status: 200 });
};
"""
    found = routes(
        {"src/lib/status.ts": status, "src/lib/service.ts": service, "src/pages/api/items/[id].ts": handler}
    )
    assert list(found) == ["PATCH /api/items/{}"]  # ALL with a method check serves PATCH only
    patch = found["PATCH /api/items/{}"]
    assert patch.status_codes == (200, 404, 409)  # not every status the mapping knows: 429, 500 never come
    assert patch.statuses_complete and not patch.stub_405
    assert [(c.code, c.status) for c in patch.error_codes] == [("NOT_FOUND", 404)]


RESULTS = """\
type Outcome<T> = { ok: true; value: T } | { ok: false; problem: { message: string }; code: number };

export async function readInput(request: Request): Promise<Outcome<unknown>> {
  try {
    return { ok: true, value: await request.json() };
  } catch {
    return { ok: false, problem: { message: "bad json" }, code: 400 };
  }
}

export async function whoAmI(): Promise<Outcome<string>> {
  if (Math.random() > 0.5) return { ok: false, problem: { message: "no session" }, code: 401 };
  return { ok: true, value: "me" };
}

export function fail(outcome: { problem: { message: string }; code?: number }): Response {
  return Response.json(outcome.problem, { status: outcome.code });
}
"""
NARROWED = """\
import { fail, readInput, whoAmI } from "../../lib/results";

export const POST = async ({ request }) => {
  const input = await readInput(request);
  if (!input.ok) return fail(input);
  const me = await whoAmI();
  if (me.ok === false) {
    console.warn("anonymous");
    return fail(me);
  }
  return Response.json({ saved: input.value, by: me.value }, { status: 201 });
};

export const PUT = async () => {
  const me = await whoAmI();
  if (me.ok) {
    return Response.json({ by: me.value }, { status: 202 });
  } else {
    return fail(me);
  }
};
"""


def test_a_failed_result_narrowed_by_its_flag_answers_with_its_own_status() -> None:
    found = routes({"src/lib/results.ts": RESULTS, "src/pages/api/things.ts": NARROWED})
    post = found["POST /api/things"]
    # not the default 200 of the success shape, whose `code` is absent
    assert statuses(post) == [(201, (10, 71, 10, 74)), (400, (4, 24, 4, 35)), (401, (8, 11, 8, 19))]
    assert post.statuses_complete
    assert post.response_fields is not None
    assert [f.name for f in post.response_fields.fields] == ["saved", "by"]  # not the failure's `message`
    assert [s for s, _ in statuses(found["PUT /api/things"])] == [202, 401]
