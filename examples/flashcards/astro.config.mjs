// @ts-check
import { defineConfig } from "astro/config";
import node from "@astrojs/node";

// Pages are prerendered by default; API routes opt out with `export const prerender = false`.
export default defineConfig({
  output: "static",
  adapter: node({ mode: "standalone" }),
});
