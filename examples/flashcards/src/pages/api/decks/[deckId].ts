import type { APIRoute } from "astro";

import { errorResponse } from "../../../lib/http";
import { deleteDeck } from "../../../lib/services/decks.service";

export const prerender = false;

export const DELETE: APIRoute = async ({ params, locals }) => {
  if (!locals.user) return errorResponse(401, "UNAUTHORIZED", "Sign in first");
  const deleted = await deleteDeck(locals.supabase, params.deckId ?? "");
  if (!deleted) return errorResponse(404, "DECK_NOT_FOUND", "Deck not found");
  return new Response(null, { status: 204 });
};
