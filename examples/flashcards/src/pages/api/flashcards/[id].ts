import type { APIRoute } from "astro";

import { errorResponse, jsonResponse } from "../../../lib/http";
import { deleteFlashcard, getFlashcard, updateFlashcard } from "../../../lib/services/flashcards.service";
import { updateFlashcardSchema } from "../../../lib/validation/flashcards";

export const prerender = false;

export const GET: APIRoute = async ({ params, locals }) => {
  if (!locals.user) return errorResponse(401, "UNAUTHORIZED", "Sign in first");
  const card = await getFlashcard(locals.supabase, params.id ?? "");
  if (!card) return errorResponse(404, "FLASHCARD_NOT_FOUND", "Flashcard not found");
  return jsonResponse(card);
};

export const PATCH: APIRoute = async ({ params, request, locals }) => {
  const parsed = updateFlashcardSchema.safeParse(await request.json());
  if (!parsed.success) return errorResponse(400, "VALIDATION_ERROR", parsed.error.message);
  const card = await updateFlashcard(locals.supabase, params.id ?? "", parsed.data);
  if (!card) return errorResponse(404, "FLASHCARD_NOT_FOUND", "Flashcard not found");
  return jsonResponse(card);
};

export const DELETE: APIRoute = async ({ params, locals }) => {
  const deleted = await deleteFlashcard(locals.supabase, params.id ?? "");
  if (!deleted) return errorResponse(404, "FLASHCARD_NOT_FOUND", "Flashcard not found");
  return new Response(null, { status: 204 });
};
