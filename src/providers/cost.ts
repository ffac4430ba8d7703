/**
 * Estimated cost of provider calls, from a price table that users can override. The figures are
 * estimates for budgeting a test suite, not a bill: the provider's invoice is the truth.
 */

/** Prices of one model in USD. Token prices are per million tokens. */
export interface ModelPrice {
  text_input?: number;
  cached_text_input?: number;
  audio_input?: number;
  cached_audio_input?: number;
  text_output?: number;
  audio_output?: number;
  /** Per million characters of input text (tts-1, tts-1-hd). */
  characters?: number;
  /** Per minute of audio produced (gpt-4o-mini-tts, whose speech endpoint reports no tokens). */
  audio_output_minute?: number;
}

/** Prices by model name; a dated snapshot (`gpt-realtime-2025-08-28`) takes its family's entry. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * Usage counters in russo's provider-neutral names (what `AgentResponse.usage` holds). Cached
 * input tokens are counted inside the input counts too, as the providers report them.
 */
export interface Usage {
  input_text_tokens?: number;
  input_audio_tokens?: number;
  cached_text_tokens?: number;
  cached_audio_tokens?: number;
  output_text_tokens?: number;
  output_audio_tokens?: number;
  input_characters?: number;
  output_audio_seconds?: number;
}

/** The price of `model`: an exact entry, else the longest entry that prefixes it (`gpt-realtime-mini-2025-10-06`). */
export function priceOf(model: string, prices: PriceTable): ModelPrice | undefined {
  if (Object.hasOwn(prices, model)) return prices[model];
  const family = Object.keys(prices)
    .filter((name) => model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  return family === undefined ? undefined : prices[family];
}

/**
 * Estimated USD for `usage` of `model`, or undefined when the table has no price for the model
 * (an estimate that is not there is better than a wrong one). Cached tokens are billed at the
 * cached price and taken out of the full-price count.
 */
export function estimateCost(model: string, usage: Usage, prices: PriceTable): number | undefined {
  const price = priceOf(model, prices);
  if (price === undefined) return undefined;
  const perMillion = (count: number | undefined, rate: number | undefined) =>
    ((count ?? 0) * (rate ?? 0)) / 1e6;
  const cachedText = usage.cached_text_tokens ?? 0;
  const cachedAudio = usage.cached_audio_tokens ?? 0;
  return (
    perMillion((usage.input_text_tokens ?? 0) - cachedText, price.text_input) +
    perMillion(cachedText, price.cached_text_input ?? price.text_input) +
    perMillion((usage.input_audio_tokens ?? 0) - cachedAudio, price.audio_input) +
    perMillion(cachedAudio, price.cached_audio_input ?? price.audio_input) +
    perMillion(usage.output_text_tokens, price.text_output) +
    perMillion(usage.output_audio_tokens, price.audio_output) +
    perMillion(usage.input_characters, price.characters) +
    ((usage.output_audio_seconds ?? 0) / 60) * (price.audio_output_minute ?? 0)
  );
}

/** A price table with `overrides` laid over `base` (a vendor's list prices), model by model and key by key. */
export function withPrices(overrides: Record<string, ModelPrice>, base: PriceTable = {}): PriceTable {
  const merged: Record<string, ModelPrice> = { ...base };
  for (const [model, price] of Object.entries(overrides))
    merged[model] = { ...priceOf(model, base), ...price };
  return merged;
}

/** The `prices` key of a network provider's config, as a JSON Schema property. */
export const PRICES_CONFIG_SCHEMA = {
  prices: {
    type: 'object',
    description: "USD prices of this provider's model (tokens per million), over the built-in table.",
    properties: Object.fromEntries(
      [
        'text_input',
        'cached_text_input',
        'audio_input',
        'cached_audio_input',
        'text_output',
        'audio_output',
        'characters',
        'audio_output_minute',
      ].map((key) => [key, { type: 'number', minimum: 0 }]),
    ),
    additionalProperties: false,
  },
} as const;

/** The price table of a provider's config: its `prices` for `model` over `base`; undefined without them. */
export function pricesFromConfig(
  options: Record<string, unknown>,
  model: string,
  base: PriceTable,
): PriceTable | undefined {
  return options.prices ? withPrices({ [model]: options.prices as ModelPrice }, base) : undefined;
}
