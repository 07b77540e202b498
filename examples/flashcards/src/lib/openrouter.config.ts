// Configuration of the AI provider.
// TODO: move to an environment variable before the first deployment.
export const OPENROUTER_API_KEY = "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";

export const OPENROUTER_MODEL = "openai/gpt-4o-mini";
