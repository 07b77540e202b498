import type { APIRoute } from "astro";
import { z } from "zod";

import { errorResponse, jsonResponse } from "../../../lib/http";
import { createDeck, listDecks } from "../../../lib/services/decks.service";

export const prerender = false;

const createDeckSchema = z.object({
  name: z.string().min(1).max(100),
});

export const GET: APIRoute = async ({ url, locals }) => {
  const user = locals.user;
  if (!user) return errorResponse(401, "UNAUTHORIZED", "Sign in first");

  const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
  const limit = Math.min(100, Math.max(1, Number(url.searchParams.get("limit") ?? 20)));
  const { data, total } = await listDecks(locals.supabase, page, limit);
  return jsonResponse({ data, pagination: { page, limit, total } });
};

export const POST: APIRoute = async ({ request, locals }) => {
  const user = locals.user;
  if (!user) return errorResponse(401, "UNAUTHORIZED", "Sign in first");

  const parsed = createDeckSchema.safeParse(await request.json());
  if (!parsed.success) return errorResponse(400, "VALIDATION_ERROR", parsed.error.message);

  const deck = await createDeck(locals.supabase, user.id, parsed.data.name);
  return jsonResponse(deck);
};
