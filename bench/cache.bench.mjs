// The audio cache under a suite's load: TTS requests must equal the unique (text, voice, speed)
// whatever the runs and the concurrency, and a warm cache (a CI run after a cache restore) must make
// none. Runs the real pipeline (runConcurrent) with the real Flite behind a counting wrapper.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachedSynthesizer, FliteSynthesizer, FunctionAgent, runConcurrent } from '../lib/index.js';

const PROMPTS = Array.from(
  { length: 20 },
  (_, i) => `Book a table for ${i + 2} people at ${(i % 5) + 6} tonight.`,
);
const RUNS = 10;
const CONCURRENCY = 50;
const VOICES = [{ voice: 'kal16' }, { voice: 'slt' }];

/** Counts the calls that reach the real synthesizer. */
class Counting {
  requests = 0;
  constructor(inner) {
    this.inner = inner;
    this.id = inner.id;
    this.voice = inner.voice;
  }
  synthesize(text, signal) {
    this.requests++;
    return this.inner.synthesize(text, signal);
  }
}

// The agent checks that it heard real audio; the grade itself is not what is measured here.
const agent = new FunctionAgent(async (audio) => {
  if (audio.sampleRate !== 16000 || audio.pcm.length < 8000) throw new Error('no speech');
  return { toolCalls: [] };
});
const evaluator = {
  evaluate: () => ({ passed: true, matchRate: 1, calls: [], extra: [], forbidden: [], failures: [] }),
};

/** Runs every prompt × runs for each voice at once and returns one row of figures. */
async function pass(name, counting, cached) {
  const before = counting.map((synthesizer) => synthesizer.requests);
  const started = performance.now();
  const batches = await Promise.all(
    cached.map((synthesizer) =>
      runConcurrent({
        prompts: PROMPTS,
        runs: RUNS,
        maxConcurrency: CONCURRENCY,
        synthesizer,
        agent,
        evaluator,
        expect: [],
      }),
    ),
  );
  const wallMs = performance.now() - started;
  const runs = batches.flatMap((batch) => batch.runs);
  const failed = runs.find((run) => run.status !== 'passed');
  if (failed) throw new Error(`a run did not pass: ${failed.error}`);
  const requests = counting.reduce((sum, synthesizer, i) => sum + synthesizer.requests - before[i], 0);
  return {
    pass: name,
    runs: runs.length,
    'unique (text, voice)': PROMPTS.length * VOICES.length,
    'TTS requests': requests,
    'requests ÷ unique': (requests / (PROMPTS.length * VOICES.length)).toFixed(2),
    'wall ms': Math.round(wallMs),
    'ms per run': (wallMs / runs.length).toFixed(2),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'russo-cache-bench-'));
try {
  const cachedOver = (counting) => counting.map((synthesizer) => new CachedSynthesizer(synthesizer, { dir }));
  const coldCounting = VOICES.map((options) => new Counting(new FliteSynthesizer(options)));
  const cold = await pass('cold (empty folder)', coldCounting, cachedOver(coldCounting));
  // New instances over the same folder: what a CI run sees after restoring the cache.
  const warmCounting = VOICES.map((options) => new Counting(new FliteSynthesizer(options)));
  const warmCached = cachedOver(warmCounting);
  const warm = await pass('warm (same folder, new instances)', warmCounting, warmCached);
  const memory = await pass('memory (same instances again)', warmCounting, warmCached);

  const files = readdirSync(dir);
  console.log(
    `${PROMPTS.length} prompts × ${RUNS} runs × ${VOICES.length} voices, ${CONCURRENCY} runs in flight per voice; real Flite behind the cache`,
  );
  console.table([cold, warm, memory]);
  console.log(
    `cache folder: ${files.filter((f) => f.endsWith('.wav')).length} WAV files, ${files.filter((f) => f.endsWith('.tmp')).length} temporary files left`,
  );
  console.log(
    `cold ÷ warm wall time: ${(cold['wall ms'] / warm['wall ms']).toFixed(1)}×; warm ÷ memory: ${(warm['wall ms'] / memory['wall ms']).toFixed(1)}×`,
  );
  console.log('counters of voice kal16, warm + memory passes:', warmCached[0].counters);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
