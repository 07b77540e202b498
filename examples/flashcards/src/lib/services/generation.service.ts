import type { SupabaseClient } from "../../db/supabase.client";
import type { GenerationCreatedDto } from "../../types";
import { OPENROUTER_API_KEY } from "../openrouter.config";

export class QuotaExceededError extends Error {
  status = 402;
}

export async function generateFlashcards(
  supabase: SupabaseClient,
  userId: string,
  sourceText: string,
): Promise<GenerationCreatedDto> {
  const response = await fetch("https://openrouter.ai/api/v1/chat/completions", {
    method: "POST",
    headers: { Authorization: `Bearer ${OPENROUTER_API_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: sourceText }] }),
  });
  if (response.status === 402) throw new QuotaExceededError("quota exceeded");
  const proposals = ((await response.json()) as { proposals: { front: string; back: string }[] }).proposals;
  const { data, error } = await supabase
    .from("generations")
    .insert({ user_id: userId, generated_count: proposals.length, source_text_hash: "" })
    .select("id")
    .single();
  if (error) throw error;
  return { generation_id: data.id, proposals, generated_count: proposals.length };
}
