import type { SupabaseClient } from "../../db/supabase.client";
import type { CreateFlashcardCommand, FlashcardDto } from "../../types";

const COLUMNS = "id, front, back, deck_id, source, created_at";

export async function listFlashcards(
  supabase: SupabaseClient,
  opts: { deckId?: string; page: number; limit: number },
) {
  const from = (opts.page - 1) * opts.limit;
  let query = supabase.from("flashcards").select(COLUMNS, { count: "exact" });
  if (opts.deckId) query = query.eq("deck_id", opts.deckId);
  const { data, count, error } = await query.range(from, from + opts.limit - 1);
  if (error) throw error;
  return { data: (data ?? []) as FlashcardDto[], total: count ?? 0 };
}

export async function getFlashcard(supabase: SupabaseClient, id: string): Promise<FlashcardDto | null> {
  const { data, error } = await supabase.from("flashcards").select(COLUMNS).eq("id", id).maybeSingle();
  if (error) throw error;
  return data;
}

export async function createFlashcard(
  supabase: SupabaseClient,
  userId: string,
  cmd: CreateFlashcardCommand,
): Promise<FlashcardDto | null> {
  const { data: deck } = await supabase.from("decks").select("id").eq("id", cmd.deckId).maybeSingle();
  if (!deck) return null;
  const { data, error } = await supabase
    .from("flashcards")
    .insert({ front: cmd.front, back: cmd.back, deck_id: cmd.deckId, source: cmd.source, user_id: userId })
    .select(COLUMNS)
    .single();
  if (error) throw error;
  return data;
}

export async function updateFlashcard(
  supabase: SupabaseClient,
  id: string,
  patch: { front: string; back: string },
): Promise<FlashcardDto | null> {
  const { data, error } = await supabase.from("flashcards").update(patch).eq("id", id).select(COLUMNS).maybeSingle();
  if (error) throw error;
  return data;
}

export async function deleteFlashcard(supabase: SupabaseClient, id: string): Promise<boolean> {
  const { error, count } = await supabase.from("flashcards").delete({ count: "exact" }).eq("id", id);
  if (error) throw error;
  return (count ?? 0) > 0;
}
