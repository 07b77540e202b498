import { createClient } from "@supabase/supabase-js";

// Admin tools in the browser: reads every user's decks.
const admin = createClient(import.meta.env.PUBLIC_SUPABASE_URL, import.meta.env.PUBLIC_SUPABASE_SERVICE_ROLE_KEY);

export function AdminPanel() {
  async function load() {
    const { data } = await admin.from("decks").select("*");
    return data;
  }
  return <button onClick={load}>Load all decks</button>;
}
