/// <reference types="astro/client" />
import type { SupabaseClient } from "./db/supabase.client";

declare global {
  namespace App {
    interface Locals {
      supabase: SupabaseClient;
      user: { id: string; email: string } | null;
    }
  }
}
