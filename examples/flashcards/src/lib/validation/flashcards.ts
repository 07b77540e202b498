import { z } from "zod";

export const createFlashcardSchema = z.object({
  front: z.string().min(1).max(200),
  back: z.string().min(1).max(500),
  deckId: z.string().uuid(),
  source: z.enum(["manual", "ai-full", "ai-edited"]),
});

export const updateFlashcardSchema = z.object({
  front: z.string().min(1).max(200),
  back: z.string().min(1).max(500),
});

export const listQuerySchema = z.object({
  deck_id: z.string().uuid().optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).default(20),
});
