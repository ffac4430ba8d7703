// OpenAI speech requests for a suite of 20 prompts × 10 runs × 2 voices, against the HTTP fake of
// the speech endpoint: with the CachedSynthesizer (memory only, as on a cold CI cache) every prompt
// is spoken once per voice, concurrent misses included: 40 requests (target: exactly 40), against
// 400 without the cache. The fake answers after 50 ms, like a fast TTS.
import { CachedSynthesizer, OpenAITTSSynthesizer, runConcurrent } from '../lib/index.js';
import { FAKE_KEY, speech, startOpenAIHttpFake } from '../test/fakes/openai-http.ts';

const PROMPTS = Array.from({ length: 20 }, (_, i) => `Book a table for ${i + 1} people at seven tonight`);
const RUNS = 10;
const VOICES = ['alloy', 'coral'];
const agent = {
  id: 'hears-audio',
  run: async (audio) => ({ toolCalls: [{ name: 'heard', arguments: { samples: audio.pcm.length } }] }),
};
const evaluator = {
  evaluate: (expected, actual) => ({
    passed: actual.length === 1,
    matchRate: 1,
    calls: [],
    extra: [],
    forbidden: [],
    failures: [],
  }),
};

/** Runs every prompt × run in every voice, concurrently; returns the speech requests the fake saw and the wall time. */
async function suite(cached) {
  const fake = await startOpenAIHttpFake(async (request) => ({ ...speech(request), delayMs: 50 }));
  const started = performance.now();
  const batches = await Promise.all(
    VOICES.map((voice) => {
      const tts = new OpenAITTSSynthesizer({ apiKey: FAKE_KEY, baseURL: fake.baseURL, voice });
      return runConcurrent({
        prompts: PROMPTS,
        runs: RUNS,
        maxConcurrency: 25,
        synthesizer: cached ? new CachedSynthesizer(tts, { dir: false }) : tts,
        agent,
        evaluator,
        expect: [{ name: 'heard' }],
      });
    }),
  );
  const wallMs = performance.now() - started;
  const requests = fake.requests.length;
  await fake.close();
  const passed = batches.reduce((sum, batch) => sum + batch.summary.passed, 0);
  return { requests, wallMs, passed };
}

const withCache = await suite(true);
const withoutCache = await suite(false);
const total = PROMPTS.length * RUNS * VOICES.length;
console.log(
  `${PROMPTS.length} prompts × ${RUNS} runs × ${VOICES.length} voices = ${total} runs: ` +
    `${withCache.requests} speech requests with the cache (target ${PROMPTS.length * VOICES.length}), ` +
    `${withoutCache.requests} without; ${withCache.passed}/${total} runs passed`,
);
console.log(
  `wall: ${(withCache.wallMs / 1000).toFixed(2)} s with the cache, ${(withoutCache.wallMs / 1000).toFixed(2)} s without ` +
    `(ratio ${(withCache.wallMs / withoutCache.wallMs).toFixed(2)})`,
);
const ok = withCache.requests === PROMPTS.length * VOICES.length && withCache.passed === total;
console.log(`target: ${PROMPTS.length * VOICES.length} requests, every run passed ${ok ? 'OK' : 'MISSED'}`);
