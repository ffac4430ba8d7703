import type { PriceTable } from '../cost.js';

/** The month the default prices were read from OpenAI's published price list. */
export const OPENAI_PRICES_AS_OF = '2025-10';

/** OpenAI's published list prices as of OPENAI_PRICES_AS_OF (USD; tokens per million). */
export const OPENAI_PRICES: PriceTable = {
  'gpt-realtime': {
    text_input: 4,
    cached_text_input: 0.4,
    audio_input: 32,
    cached_audio_input: 0.4,
    text_output: 16,
    audio_output: 64,
  },
  'gpt-realtime-mini': {
    text_input: 0.6,
    cached_text_input: 0.06,
    audio_input: 10,
    cached_audio_input: 0.3,
    text_output: 2.4,
    audio_output: 20,
  },
  'gpt-4o-realtime-preview': {
    text_input: 5,
    cached_text_input: 2.5,
    audio_input: 40,
    cached_audio_input: 2.5,
    text_output: 20,
    audio_output: 80,
  },
  'gpt-4o-mini-realtime-preview': {
    text_input: 0.6,
    cached_text_input: 0.3,
    audio_input: 10,
    cached_audio_input: 0.3,
    text_output: 2.4,
    audio_output: 20,
  },
  'gpt-audio': { text_input: 2.5, audio_input: 32, text_output: 10, audio_output: 64 },
  'gpt-audio-mini': { text_input: 0.6, audio_input: 10, text_output: 2.4, audio_output: 20 },
  'gpt-4o-audio-preview': { text_input: 2.5, audio_input: 40, text_output: 10, audio_output: 80 },
  'gpt-4o-mini-audio-preview': { text_input: 0.15, audio_input: 10, text_output: 0.6, audio_output: 20 },
  'gpt-4o-mini-tts': { audio_output_minute: 0.015 },
  // Text models, for the judge of reply checks.
  'gpt-4o-mini': { text_input: 0.15, cached_text_input: 0.075, text_output: 0.6 },
  'gpt-4.1-mini': { text_input: 0.4, cached_text_input: 0.1, text_output: 1.6 },
  'tts-1': { characters: 15 },
  'tts-1-hd': { characters: 30 },
};
