import type { LlmConfig } from '../config/config.ts';
import type { LlmSettings } from './abstractive.ts';

/**
 * The language model to summarize with, if any: `summaries.llm` in the config, or `NEWSBRIEF_LLM_BASE_URL` and
 * `NEWSBRIEF_LLM_MODEL` in the environment (which win). The key is read from `NEWSBRIEF_LLM_API_KEY` only:
 * secrets never live in the config file. Null when no endpoint is configured or the URL is not http(s).
 */
export function llmSettingsFrom(
  config: LlmConfig | undefined,
  env: Record<string, string | undefined>,
): LlmSettings | null {
  const baseUrl = env.NEWSBRIEF_LLM_BASE_URL?.trim() || config?.baseUrl;
  const model = env.NEWSBRIEF_LLM_MODEL?.trim() || config?.model;
  if (!baseUrl || !model || !/^https?:\/\//i.test(baseUrl)) return null;
  return {
    baseUrl,
    model,
    apiKey: env.NEWSBRIEF_LLM_API_KEY?.trim() || null,
    timeoutMs: (config?.timeoutSeconds ?? 20) * 1000,
    concurrency: config?.concurrency ?? 2,
  };
}
