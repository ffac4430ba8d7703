// Offline synthesis with Flite: time per sentence per voice, what the worker threads cost and save,
// and how long the event loop stalls. Flite's wasi.start() is synchronous: run on the main thread it
// would freeze every agent socket for the whole sentence; the pool runs it in worker threads.
import { readFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';
import { FLITE_VOICES, FliteSynthesizer } from '../lib/index.js';
import { defaultPoolSize, fliteWasmPath } from '../lib/synthesize/flite-worker.js';

const SENTENCES = [
  'Book a table for two at seven tonight.',
  'Can I get a reservation for four people tomorrow at noon?',
  'Cancel my booking please.',
  'What time do you open on Sundays?',
  'I would like to order a large pepperoni pizza with extra cheese for delivery.',
  'Move my appointment from Tuesday to Thursday afternoon.',
  'Is there parking near the restaurant?',
  'Send the confirmation to my phone.',
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const wasmBytes = statSync(fliteWasmPath()).size;
// What each worker does once when it starts (here on the main thread, for the figure and for the
// main-thread comparison below).
let started = performance.now();
const module = new globalThis.WebAssembly.Module(readFileSync(fliteWasmPath()));
const compileMs = performance.now() - started;

// The first call pays for starting a worker thread, which compiles the module and makes an instance.
started = performance.now();
await new FliteSynthesizer({ voice: 'kal16' }).synthesize('Hello.');
const firstCallMs = performance.now() - started;

const rows = [];
for (const voice of Object.keys(FLITE_VOICES)) {
  const synthesizer = new FliteSynthesizer({ voice });
  await synthesizer.synthesize('Warm up.');
  const times = [];
  let audioSeconds = 0;
  for (const sentence of SENTENCES) {
    const t0 = performance.now();
    const audio = await synthesizer.synthesize(sentence);
    times.push(performance.now() - t0);
    audioSeconds += audio.pcm.length / audio.sampleRate;
  }
  const total = times.reduce((a, b) => a + b, 0);
  rows.push({
    voice,
    'rate (Hz)': FLITE_VOICES[voice].sampleRate,
    'ms per sentence (median)': median(times).toFixed(1),
    'ms per sentence (max)': Math.max(...times).toFixed(1),
    'faster than real time': `${(audioSeconds / (total / 1000)).toFixed(0)}×`,
  });
}
console.log(
  `flite.wasm ${(wasmBytes / 1e6).toFixed(1)} MB, compiled in ${compileMs.toFixed(0)} ms (once per worker); first call (worker start) ${firstCallMs.toFixed(0)} ms`,
);
console.log(`${SENTENCES.length} sentences of 3–15 words, one at a time:`);
console.table(rows);

// Many prompts at once (a cold cache at the start of a suite): the pool spreads them over its workers.
const burst = SENTENCES.flatMap((sentence) =>
  Object.keys(FLITE_VOICES).map((voice) => ({ sentence, voice })),
);
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
started = performance.now();
await Promise.all(burst.map(({ sentence, voice }) => new FliteSynthesizer({ voice }).synthesize(sentence)));
const burstMs = performance.now() - started;
delay.disable();
const workerStallMs = delay.max / 1e6;
const poolRssMb = process.memoryUsage().rss / 1e6;

// The same burst run the other way, on the main thread, only to measure what the workers avoid.
const dir = mkdtempSync(join(tmpdir(), 'russo-flite-bench-'));
const mainDelay = monitorEventLoopDelay({ resolution: 1 });
mainDelay.enable();
started = performance.now();
for (const { sentence, voice } of burst) {
  const wasi = new WASI({
    version: 'preview1',
    args: ['flite', '-voice', voice, '-t', sentence, '/w/o.wav'],
    preopens: { '/w': dir },
    returnOnExit: true,
  });
  wasi.start(new globalThis.WebAssembly.Instance(module, wasi.getImportObject()));
  readFileSync(join(dir, 'o.wav'));
  await setImmediate(); // let other work in, as a real suite would
}
const mainMs = performance.now() - started;
mainDelay.disable();
rmSync(dir, { recursive: true, force: true });

console.log(
  `\n${burst.length} syntheses at once (${SENTENCES.length} sentences × ${Object.keys(FLITE_VOICES).length} voices), ${availableParallelism()} cores, ${defaultPoolSize()} workers:`,
);
console.table([
  {
    where: 'worker pool (russo)',
    'wall ms': burstMs.toFixed(0),
    'longest event-loop stall (ms)': workerStallMs.toFixed(1),
  },
  {
    where: 'main thread, one by one',
    'wall ms': mainMs.toFixed(0),
    'longest event-loop stall (ms)': (mainDelay.max / 1e6).toFixed(1),
  },
]);
console.log(
  `stall ratio main thread ÷ pool: ${(mainDelay.max / delay.max).toFixed(1)}×; wall ratio pool ÷ main thread: ${(burstMs / mainMs).toFixed(2)}`,
);
console.log(`RSS with the pool (main thread + ${defaultPoolSize()} workers): ${poolRssMb.toFixed(0)} MB`);
