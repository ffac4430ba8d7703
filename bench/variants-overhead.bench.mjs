// The cost of variants in a suite (issue 14): the same suite with 4 variants (clean, babble at 10 dB,
// a phone line, 1.3× speed) against 1 (clean), with an instant in-process agent, so every figure is
// russo's: speech, perturbation, planning, the pool, grading, the result. Target: the suite with 4
// variants (4× the runs) costs ≤ 4.2× the suite with 1, i.e. at most 5% more than its runs for
// making or reading the perturbed audio, with no re-synthesis: speech requests stay one per text and
// voice however many variants (checked, not only printed: the bench fails otherwise).
//
// Two cases, as a suite meets them: a cold start (Flite speaks every prompt, no cache) and a warm
// one (speech and perturbed speech from the audio cache on disk, as a CI run with a restored cache).
// Each suite gets new caches, as a new process would. CPU time of the process (every thread: Flite
// speaks in workers) over one runSuite; samples are taken in quartets 1, 4, 4, 1, so a machine whose
// load changes weighs on both alike, and each ratio is the median of the quartets' ratios. The wall
// time is printed beside the CPU time.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  babbleBed,
  CachedSynthesizer,
  FliteSynthesizer,
  FunctionAgent,
  loadSuite,
  runSuite,
} from '../lib/index.js';

// A warm suite costs ~20 ms of CPU: a garbage collection that lands inside one sample and not another
// doubles a ratio, so each sample starts after a forced collection.
if (typeof globalThis.gc !== 'function') {
  console.error('run it with --expose-gc (npm run bench -- variants-overhead does)');
  process.exit(2);
}

const PROMPTS = [
  'Book a table for two at seven tonight',
  'Can I get a reservation for 2 people at 7pm?',
  "I'd like to book a table for two at seven pm, please.",
  'A table for two at seven, please.',
  'Two people at seven tonight, if you have room.',
  'Reserve a table for two at seven.',
  'Could we have a table for two at seven this evening?',
  'Book me in for two at seven.',
];
const VOICES = ['kal16', 'slt'];
const RUNS = 10;
/** Samples per case: a cold suite costs ~1 s of CPU, a warm one ~0.1 s. */
const SAMPLES = { cold: 4, warm: 40 };
const PERTURBING_VARIANTS = 3;
const VARIANTS = `variants:
  - name: clean
  - name: cafe
    noise: { type: babble, snr_db: 10 }
  - name: phone
    channel: telephone
  - name: fast
    speed: 1.3
`;

const project = mkdtempSync(join(tmpdir(), 'russo-variants-overhead-'));
const cacheDir = join(project, 'cache');
mkdirSync(join(project, 'scenarios'));
const scenario = [
  'name: book',
  'prompts:',
  ...PROMPTS.map((prompt) => `  - ${JSON.stringify(prompt)}`),
  `runs: ${RUNS}`,
  'expect:',
  '  - name: book_table',
  '    arguments: { party_size: 2 }',
  '',
].join('\n');
writeFileSync(join(project, 'scenarios', 'book.yaml'), scenario);
writeFileSync(
  join(project, 'scenarios', 'book-variants.yaml'),
  scenario.replace('name: book', 'name: book under variants') + VARIANTS,
);
writeFileSync(join(project, 'russo.config.yaml'), 'max_concurrency: 8\n');

const calls = [{ name: 'book_table', arguments: { party_size: 2, time: '19:00' } }];
const agent = new FunctionAgent(() => calls);

/** CPU and wall ms of one runSuite, its speech requests and perturbations; every run must pass. */
async function timed(suite, dir) {
  const voices = VOICES.map((voice) => ({
    voice,
    synthesizer: new CachedSynthesizer(new FliteSynthesizer({ voice }), { dir }),
  }));
  globalThis.gc();
  const before = process.cpuUsage();
  const started = performance.now();
  const result = await runSuite(suite, { agent, voices, cacheDir: dir });
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(before);
  if (result.summary.passed !== result.summary.total)
    throw new Error(`every run should pass: ${JSON.stringify(result.summary)}`);
  return {
    cpu: (cpu.user + cpu.system) / 1000,
    wall,
    runs: result.summary.total,
    requests: result.providers.synthesis.requests,
    perturbed: result.providers.perturbed?.made ?? 0,
  };
}

/** Speech requests must stay one per text and voice (cold) or none (warm); perturbations one per text, voice and variant that changes the audio. */
function checkNoResynthesis(label, cold, measured, variants) {
  const texts = PROMPTS.length * VOICES.length;
  const expected = { requests: cold ? texts : 0, perturbed: cold ? texts * variants : 0 };
  const found = { requests: measured.requests, perturbed: measured.perturbed };
  if (found.requests !== expected.requests || found.perturbed !== expected.perturbed)
    throw new Error(`${label}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(found)}`);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  const loaded = await loadSuite(undefined, { cwd: project });
  const one = { ...loaded, scenarios: loaded.scenarios.filter((s) => s.name === 'book') };
  const four = { ...loaded, scenarios: loaded.scenarios.filter((s) => s.name !== 'book') };
  // The babble bed is made once per process: made here first, as a long-lived process has it.
  await babbleBed({ cacheDir });
  await timed(four, cacheDir); // warms the disk cache and the code paths
  const rows = [];
  for (const [label, dir] of [
    ['cold (Flite speaks, no cache)', false],
    ['warm (speech from the disk cache)', cacheDir],
  ]) {
    const samples = { one: [], four: [] };
    const take = async (variants) => {
      const measured = await timed(variants === 1 ? one : four, dir);
      checkNoResynthesis(
        `${label}, ${variants} variant(s)`,
        dir === false,
        measured,
        variants === 1 ? 0 : PERTURBING_VARIANTS,
      );
      samples[variants === 1 ? 'one' : 'four'].push(measured);
      return measured;
    };
    // Each quartet 1, 4, 4, 1 gives one ratio, of samples taken close together under the same load.
    const ratios = { cpu: [], wall: [] };
    for (let quartet = 0; quartet < SAMPLES[dir === false ? 'cold' : 'warm'] / 2; quartet++) {
      const a = await take(1);
      const b = await take(4);
      const c = await take(4);
      const d = await take(1);
      for (const measure of ['cpu', 'wall'])
        ratios[measure].push((b[measure] + c[measure]) / (a[measure] + d[measure]));
    }
    const cpu = (key) => median(samples[key].map((sample) => sample.cpu));
    const wall = (key) => median(samples[key].map((sample) => sample.wall));
    const ratio = median(ratios.cpu);
    rows.push({
      case: label,
      'runs (1 / 4 variants)': `${samples.one[0].runs} / ${samples.four[0].runs}`,
      'speech requests': `${samples.one[0].requests} / ${samples.four[0].requests}`,
      'CPU ms (1 / 4)': `${cpu('one').toFixed(0)} / ${cpu('four').toFixed(0)}`,
      'wall ms (1 / 4)': `${wall('one').toFixed(0)} / ${wall('four').toFixed(0)}`,
      'wall ratio': `${median(ratios.wall).toFixed(2)}×`,
      'CPU ratio': `${ratio.toFixed(2)}× (target ≤ 4.2×) ${ratio <= 4.2 ? 'OK' : 'MISSED'}`,
    });
  }
  console.log(
    `${PROMPTS.length} prompts × ${VOICES.length} Flite voices × ${RUNS} runs, instant agent, ${SAMPLES.cold} (cold) and ${SAMPLES.warm} (warm) samples each:`,
  );
  console.table(rows);
} finally {
  rmSync(project, { recursive: true, force: true });
}
