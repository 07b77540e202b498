import type { APIRoute } from "astro";

import { errorResponse, jsonResponse } from "../../../lib/http";
import { createFlashcard, listFlashcards } from "../../../lib/services/flashcards.service";
import { createFlashcardSchema, listQuerySchema } from "../../../lib/validation/flashcards";

export const prerender = false;

export const GET: APIRoute = async ({ url, locals }) => {
  if (!locals.user) return errorResponse(401, "UNAUTHORIZED", "Sign in first");

  const query = listQuerySchema.safeParse({
    deck_id: url.searchParams.get("deck_id") ?? undefined,
    page: url.searchParams.get("page") ?? undefined,
    limit: url.searchParams.get("limit") ?? undefined,
  });
  if (!query.success) return errorResponse(400, "VALIDATION_ERROR", query.error.message);

  const { deck_id, page, limit } = query.data;
  const { data, total } = await listFlashcards(locals.supabase, { deckId: deck_id, page, limit });
  return jsonResponse({ data, pagination: { page, limit, total } });
};

export const POST: APIRoute = async ({ request, locals }) => {
  if (!locals.user) return errorResponse(401, "UNAUTHORIZED", "Sign in first");

  const parsed = createFlashcardSchema.safeParse(await request.json());
  if (!parsed.success) return errorResponse(400, "VALIDATION_ERROR", parsed.error.message);

  const card = await createFlashcard(locals.supabase, locals.user.id, parsed.data);
  if (!card) return errorResponse(404, "DECK_NOT_FOUND", "Deck not found");
  return jsonResponse(card, 201);
};
