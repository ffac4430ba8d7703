import { afterEach, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../../src/audio/wav.js';
import { SynthesisError } from '../../src/core/errors.js';
import type { ProviderContext } from '../../src/core/provider.js';
import { GeminiTTSSynthesizer, geminiSynthesizerProvider } from '../../src/synthesize/gemini.js';
import { synthesizerProviders } from '../../src/synthesize/registry.js';
import { createProviderStats } from '../../src/core/provider.js';
import { FAKE_GEMINI_KEY, startGeminiServer, type FakeGeminiServer } from '../fakes/gemini-server.js';

let server: FakeGeminiServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Half a second of a 440 Hz tone at `rate`, as Gemini TTS sends it: raw s16le bytes, base64. */
function tone(rate: number): { pcm: Int16Array; base64: string } {
  const pcm = new Int16Array(rate / 2);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate));
  return { pcm, base64: Buffer.from(pcm.buffer).toString('base64') };
}

const audioAnswer = (mimeType: string, data: string) => ({
  body: {
    candidates: [
      { content: { role: 'model', parts: [{ inlineData: { mimeType, data } }] }, finishReason: 'STOP' },
    ],
  },
});

function context(): ProviderContext {
  return { baseDir: process.cwd(), env: { GEMINI_API_KEY: FAKE_GEMINI_KEY }, tools: [], concurrency: 1 };
}

describe('gemini synthesizer', () => {
  it('asks for audio in the prebuilt voice and reads raw 24 kHz PCM as 24 kHz audio', async () => {
    const { pcm, base64 } = tone(24000);
    server = await startGeminiServer({
      generate: () => audioAnswer('audio/L16;codec=pcm;rate=24000', base64),
    });
    const synthesizer = geminiSynthesizerProvider.create(
      { base_url: server.baseUrl, model: 'gemini-3.8-flash-tts', language_code: 'en-US' },
      'Puck',
      context(),
    );
    const audio = await synthesizer.synthesize('Book a table for two at seven');
    expect(audio.sampleRate).toBe(24000);
    expect(audio.pcm).toEqual(pcm);
    // Wrapped as a real WAV file: the header says 24 kHz mono 16-bit, and the samples survive.
    const wav = encodeWav(audio);
    expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(24000);
    expect(decodeWav(wav).pcm).toEqual(pcm);

    const [request] = server.requests;
    expect(request?.model).toBe('gemini-3.8-flash-tts');
    expect(request?.body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Book a table for two at seven' }] },
    ]);
    expect(request?.body.generationConfig).toEqual({
      responseModalities: ['AUDIO'],
      speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Puck' } }, languageCode: 'en-US' },
    });
  });

  it('adds the estimated cost of its audio output to the suite with the prices of the config', async () => {
    const { base64 } = tone(24000);
    server = await startGeminiServer({
      generate: () => {
        const answer = audioAnswer('audio/L16;codec=pcm;rate=24000', base64);
        // TTS usage has no split by modality: its output is the audio.
        return {
          body: { ...answer.body, usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 200 } },
        };
      },
    });
    const stats = createProviderStats();
    const synthesizer = geminiSynthesizerProvider.create(
      { base_url: server.baseUrl, prices: { text_input: 0.5, audio_output: 10 } },
      'Kore',
      { ...context(), stats },
    );
    await synthesizer.synthesize('Book a table for two at seven');
    expect(stats.estimatedCostUsd).toBeCloseTo((8 * 0.5 + 200 * 10) / 1e6, 12);
    // Without prices in the config there is no estimate: russo has no built-in Gemini prices.
    const unpriced = createProviderStats();
    await geminiSynthesizerProvider
      .create({ base_url: server.baseUrl }, 'Kore', { ...context(), stats: unpriced })
      .synthesize('Book a table for two at seven');
    expect(unpriced.estimatedCostUsd).toBe(0);
  });

  it('takes the rate from the MIME type, and a WAV answer as a WAV file', async () => {
    const low = tone(16000);
    const wav = encodeWav({ pcm: tone(22050).pcm, sampleRate: 22050 }).toString('base64');
    server = await startGeminiServer({
      generate: (request) =>
        request.model === 'wav'
          ? audioAnswer('audio/wav', wav)
          : audioAnswer('audio/pcm;rate=16000', low.base64),
    });
    const pcm16 = new GeminiTTSSynthesizer({
      apiKey: FAKE_GEMINI_KEY,
      baseUrl: server.baseUrl,
      model: 'pcm',
    });
    expect(await pcm16.synthesize('hello')).toEqual({ pcm: low.pcm, sampleRate: 16000 });
    const asWav = new GeminiTTSSynthesizer({
      apiKey: FAKE_GEMINI_KEY,
      baseUrl: server.baseUrl,
      model: 'wav',
    });
    expect((await asWav.synthesize('hello')).sampleRate).toBe(22050);
  });

  it('puts the instructions before the text, and its id names provider, model, voice and instructions', async () => {
    server = await startGeminiServer({
      generate: () => audioAnswer('audio/L16;codec=pcm;rate=24000', tone(24000).base64),
    });
    const plain = new GeminiTTSSynthesizer({ apiKey: FAKE_GEMINI_KEY, baseUrl: server.baseUrl });
    const hurried = new GeminiTTSSynthesizer({
      apiKey: FAKE_GEMINI_KEY,
      baseUrl: server.baseUrl,
      instructions: 'Say in a hurried tone',
    });
    await hurried.synthesize('Cancel my booking');
    expect(server.requests[0]?.body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Say in a hurried tone: Cancel my booking' }] },
    ]);
    expect(plain.id).toBe('gemini:gemini-3.8-flash-lite-tts:Kore');
    expect(plain.voice).toBe('Kore');
    expect(hurried.id).toMatch(/^gemini:gemini-3\.8-flash-lite-tts:Kore:instructions=[0-9a-f]{12}$/);
    const other = new GeminiTTSSynthesizer({
      apiKey: FAKE_GEMINI_KEY,
      voice: 'Puck',
      model: 'gemini-3.8-flash-tts',
    });
    expect(other.id).toBe('gemini:gemini-3.8-flash-tts:Puck');
  });

  it('an answer without audio is a synthesis error that names the finish reason', async () => {
    server = await startGeminiServer({
      generate: () => ({
        body: {
          candidates: [{ content: { parts: [{ text: 'I cannot say that.' }] }, finishReason: 'OTHER' }],
        },
      }),
    });
    const synthesizer = new GeminiTTSSynthesizer({ apiKey: FAKE_GEMINI_KEY, baseUrl: server.baseUrl });
    const error = await synthesizer.synthesize('hello').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SynthesisError);
    expect((error as Error).message).toMatch(/returned no audio \(finish reason OTHER\)/);
  });

  it('a PCM answer cut in the middle of a sample is a synthesis error, not audio', async () => {
    const odd = Buffer.from(tone(24000).base64, 'base64').subarray(0, 7).toString('base64');
    server = await startGeminiServer({ generate: () => audioAnswer('audio/L16;codec=pcm;rate=24000', odd) });
    const synthesizer = new GeminiTTSSynthesizer({ apiKey: FAKE_GEMINI_KEY, baseUrl: server.baseUrl });
    const error = await synthesizer.synthesize('hello').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SynthesisError);
    expect((error as Error).message).toBe('Gemini speech returned 7 bytes, not 16-bit PCM audio');
  });

  it('is registered as provider gemini with Kore as the default voice and the Gemini key variables', () => {
    expect(synthesizerProviders.gemini).toBe(geminiSynthesizerProvider);
    expect(geminiSynthesizerProvider.defaultVoices).toEqual(['Kore']);
    expect(geminiSynthesizerProvider.secretEnv).toEqual(['GEMINI_API_KEY', 'GOOGLE_API_KEY']);
  });
});
