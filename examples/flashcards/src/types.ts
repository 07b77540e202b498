import type { Tables } from "./db/database.types";

export type Deck = Pick<Tables<"decks">, "id" | "name" | "created_at">;

export type FlashcardDto = Pick<Tables<"flashcards">, "id" | "front" | "back" | "deck_id" | "source" | "created_at">;

export interface CreateFlashcardCommand {
  front: string;
  back: string;
  deckId: string;
  source: "manual" | "ai-full" | "ai-edited";
}

export interface GenerationCreatedDto {
  generation_id: string;
  proposals: { front: string; back: string }[];
  generated_count: number;
}

export interface Paginated<T> {
  data: T[];
  pagination: { page: number; limit: number; total: number };
}

export interface ApiError {
  error: { code: string; message: string };
}
