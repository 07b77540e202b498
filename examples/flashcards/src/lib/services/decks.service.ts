import type { SupabaseClient } from "../../db/supabase.client";
import type { Deck } from "../../types";

export async function listDecks(supabase: SupabaseClient, page: number, limit: number) {
  const from = (page - 1) * limit;
  const { data, count, error } = await supabase
    .from("decks")
    .select("id, name, created_at", { count: "exact" })
    .order("created_at", { ascending: false })
    .range(from, from + limit - 1);
  if (error) throw error;
  return { data: (data ?? []) as Deck[], total: count ?? 0 };
}

export async function createDeck(supabase: SupabaseClient, userId: string, name: string): Promise<Deck> {
  const { data, error } = await supabase
    .from("decks")
    .insert({ name, user_id: userId })
    .select("id, name, created_at")
    .single();
  if (error) throw error;
  return data;
}

export async function deleteDeck(supabase: SupabaseClient, id: string): Promise<boolean> {
  const { error, count } = await supabase.from("decks").delete({ count: "exact" }).eq("id", id);
  if (error) throw error;
  return (count ?? 0) > 0;
}
