import type { APIRoute } from "astro";

export const prerender = false;

// Exports every flashcard of the user as CSV.
export const GET: APIRoute = async ({ locals }) => {
  const { data, error } = await locals.supabase.from("flashcards").select("front, back");
  if (error) return new Response("Export failed", { status: 500 });
  const csv = (data ?? []).map((c) => `"${c.front}","${c.back}"`).join("\n");
  return new Response(csv, { status: 200, headers: { "Content-Type": "text/csv" } });
};
