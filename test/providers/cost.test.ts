import { describe, expect, it } from 'vitest';
import { estimateCost, priceOf, withPrices } from '../../src/providers/cost.js';
import { OPENAI_PRICES } from '../../src/providers/openai/prices.js';

describe('cost estimate', () => {
  it('prices a dated snapshot by its family, the longest name first', () => {
    expect(priceOf('gpt-realtime-2025-08-28', OPENAI_PRICES)).toBe(OPENAI_PRICES['gpt-realtime']);
    expect(priceOf('gpt-realtime-mini-2025-10-06', OPENAI_PRICES)).toBe(OPENAI_PRICES['gpt-realtime-mini']);
    expect(priceOf('gpt-realtimer', OPENAI_PRICES)).toBeUndefined();
    expect(priceOf('my-local-model', OPENAI_PRICES)).toBeUndefined();
  });

  it('bills cached tokens at the cached price and the rest at the full price', () => {
    const usage = {
      input_text_tokens: 1000,
      cached_text_tokens: 400,
      input_audio_tokens: 500,
      cached_audio_tokens: 100,
      output_text_tokens: 50,
    };
    // gpt-realtime: text 4, cached text 0.4, audio 32, cached audio 0.4, text out 16 ($ per million).
    const expected = (600 * 4 + 400 * 0.4 + 400 * 32 + 100 * 0.4 + 50 * 16) / 1e6;
    expect(estimateCost('gpt-realtime', usage, OPENAI_PRICES)).toBeCloseTo(expected, 12);
  });

  it('prices speech by characters (tts-1) or by minutes of audio (gpt-4o-mini-tts)', () => {
    expect(estimateCost('tts-1', { input_characters: 1_000_000 }, OPENAI_PRICES)).toBeCloseTo(15);
    expect(estimateCost('gpt-4o-mini-tts', { output_audio_seconds: 120 }, OPENAI_PRICES)).toBeCloseTo(0.03);
  });

  it('gives no estimate for a model without a price, rather than a wrong one', () => {
    expect(estimateCost('some-proxy-model', { input_audio_tokens: 100 }, OPENAI_PRICES)).toBeUndefined();
  });

  it('lays overrides over the table, key by key, and can price a new model', () => {
    const prices = withPrices(
      { 'gpt-realtime': { audio_input: 10 }, 'my-model': { text_input: 1 } },
      OPENAI_PRICES,
    );
    expect(prices['gpt-realtime']).toMatchObject({ audio_input: 10, text_input: 4 });
    expect(estimateCost('my-model', { input_text_tokens: 2_000_000 }, prices)).toBe(2);
    expect(OPENAI_PRICES['gpt-realtime']?.audio_input).toBe(32);
  });
});
