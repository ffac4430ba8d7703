import { describe, expect, it } from 'vitest';
import { MediaModality } from '@google/genai';
import { geminiUsage } from '../../../src/providers/gemini/usage.js';

describe('geminiUsage', () => {
  it('splits generateContent usage into audio and text, cached tokens and thinking included', () => {
    expect(
      geminiUsage(
        {
          promptTokenCount: 300,
          promptTokensDetails: [
            { modality: MediaModality.TEXT, tokenCount: 100 },
            { modality: MediaModality.AUDIO, tokenCount: 200 },
          ],
          cachedContentTokenCount: 120,
          cacheTokensDetails: [
            { modality: MediaModality.TEXT, tokenCount: 80 },
            { modality: MediaModality.AUDIO, tokenCount: 40 },
          ],
          toolUsePromptTokenCount: 5,
          candidatesTokenCount: 12,
          thoughtsTokenCount: 30,
        },
        'text',
      ),
    ).toEqual({
      input_text_tokens: 105,
      input_audio_tokens: 200,
      cached_text_tokens: 80,
      cached_audio_tokens: 40,
      output_text_tokens: 42,
      output_audio_tokens: 0,
    });
  });

  it("reads a Live session's response tokens, split by modality when the service splits them", () => {
    const live = {
      promptTokenCount: 50,
      responseTokenCount: 70,
      responseTokensDetails: [
        { modality: MediaModality.AUDIO, tokenCount: 60 },
        { modality: MediaModality.TEXT, tokenCount: 10 },
      ],
    };
    // The split wins over what the request asked for.
    expect(geminiUsage(live, 'text')).toMatchObject({ output_audio_tokens: 60, output_text_tokens: 10 });
    // Without a split, the output is what the request asked for.
    const unsplit = { promptTokenCount: 50, responseTokenCount: 70 };
    expect(geminiUsage(unsplit, 'audio')).toMatchObject({ output_audio_tokens: 70, output_text_tokens: 0 });
    expect(geminiUsage(unsplit, 'text')).toMatchObject({ output_audio_tokens: 0, output_text_tokens: 70 });
    expect(geminiUsage(undefined, 'text')).toBeUndefined();
  });
});
