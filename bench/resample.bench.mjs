// Resampling on every run against the content-keyed ResampleCache that the agents share: 20 Flite
// prompts (kal16, 16 kHz) × 10 runs, each run handed a fresh copy of its prompt's audio as the
// audio cache hands them out, converted to the Realtime API's 24 kHz. Reports CPU per run of both
// (main thread, one after the other in this process) and their ratio. No target in an issue: the
// figure says what the cache saves each run of openai-realtime, gemini-live and http/websocket
// agents with a sample_rate.
import { FliteSynthesizer, ResampleCache, resample } from '../lib/index.js';

const PROMPTS = Array.from(
  { length: 20 },
  (_, i) => `Book a table for ${i + 2} people at ${(i % 5) + 6} tonight.`,
);
const RUNS = 10;
const TARGET_RATE = 24000;

const flite = new FliteSynthesizer({ voice: 'kal16' });
const clips = await Promise.all(PROMPTS.map((prompt) => flite.synthesize(prompt)));
const runs = clips.flatMap((clip) => Array.from({ length: RUNS }, () => clip));
const fresh = (audio) => ({ pcm: audio.pcm.slice(), sampleRate: audio.sampleRate });

/**
 * CPU ms of the main thread per run over every run, with a converter from `make()`; a first
 * converter warms the JIT up, a second one is measured (a cache starting empty, as in a suite).
 */
function cpuPerRun(make) {
  const warmUp = make();
  for (const clip of clips) warmUp(fresh(clip));
  const convert = make();
  const before = process.threadCpuUsage();
  let samples = 0;
  for (const clip of runs) samples += convert(fresh(clip)).pcm.length;
  const cpu = process.threadCpuUsage(before);
  if (samples === 0) throw new Error('nothing was resampled');
  return (cpu.user + cpu.system) / 1000 / runs.length;
}

const plain = cpuPerRun(() => (audio) => resample(audio, TARGET_RATE));
let cache;
const cached = cpuPerRun(() => {
  cache = new ResampleCache();
  return (audio) => cache.resample(audio, TARGET_RATE);
});
const seconds = clips.reduce((total, clip) => total + clip.pcm.length / clip.sampleRate, 0) / clips.length;
console.log(
  `${runs.length} runs of ${clips.length} prompts (${seconds.toFixed(1)} s of speech each on average), 16 → 24 kHz`,
);
console.log(
  `CPU per run: resample ${plain.toFixed(2)} ms, ResampleCache ${cached.toFixed(3)} ms (${cache.misses} resampled, ${cache.hits} from the cache)`,
);
console.log(`resample / ResampleCache: ${(plain / cached).toFixed(1)}×  (reported only)`);
