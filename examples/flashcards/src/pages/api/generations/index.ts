import type { APIRoute } from "astro";
import { z } from "zod";

import { errorResponse, jsonResponse } from "../../../lib/http";
import { QuotaExceededError, generateFlashcards } from "../../../lib/services/generation.service";

const generateSchema = z.object({
  source_text: z.string().min(1000).max(10000),
  deck_id: z.string().uuid(),
});

export const POST: APIRoute = async ({ request, locals }) => {
  if (!locals.user) return errorResponse(401, "UNAUTHORIZED", "Sign in first");

  const parsed = generateSchema.safeParse(await request.json());
  if (!parsed.success) return errorResponse(400, "VALIDATION_ERROR", parsed.error.message);

  try {
    const result = await generateFlashcards(locals.supabase, locals.user.id, parsed.data.source_text);
    return jsonResponse(result, 201);
  } catch (e) {
    if (e instanceof QuotaExceededError) return errorResponse(402, "quota_exceeded", "AI quota exceeded");
    return errorResponse(504, "AI_TIMEOUT", "The AI service did not answer in time");
  }
};
