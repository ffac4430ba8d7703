// The cost of variants in a suite (issue 14): the same suite with 4 variants (clean, babble at 10 dB,
// a phone line, 1.3× speed) against 1 (clean), with an instant in-process agent, so every figure is
// russo's: speech, perturbation, planning, the pool, grading. Target: 4 variants cost ≤ 4.2× the
// time of 1 (4× the runs, and at most 5% more for making the perturbed audio), with no
// re-synthesis: speech requests stay one per text and voice however many variants.
//
// Two cases, as a suite meets them: a cold start (Flite speaks every prompt, no cache) and a warm
// one (speech from the audio cache on disk, as a CI run with a restored cache). CPU time of the
// process (every thread: Flite speaks in workers) over one runSuite, median of several samples,
// alternating 1 and 4 so a busy machine weighs on both alike.
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
const SAMPLES = 7;
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

/** CPU ms of one runSuite, and its speech requests; every run must pass. */
async function timed(suite, dir) {
  const voices = VOICES.map((voice) => ({
    voice,
    synthesizer: new CachedSynthesizer(new FliteSynthesizer({ voice }), { dir }),
  }));
  globalThis.gc?.();
  const before = process.cpuUsage();
  const result = await runSuite(suite, { agent, voices, cacheDir: dir });
  const cpu = process.cpuUsage(before);
  const ms = (cpu.user + cpu.system) / 1000;
  if (result.summary.passed !== result.summary.total)
    throw new Error(`every run should pass: ${JSON.stringify(result.summary)}`);
  return { ms, runs: result.summary.total, requests: result.providers.synthesis.requests };
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
    let requests;
    for (let sample = 0; sample < SAMPLES; sample++) {
      const a = await timed(one, dir);
      const b = await timed(four, dir);
      samples.one.push(a.ms);
      samples.four.push(b.ms);
      requests = { one: a.requests, four: b.requests, runs: [a.runs, b.runs] };
    }
    const ratio = median(samples.four) / median(samples.one);
    rows.push({
      case: label,
      'runs (1 / 4 variants)': requests.runs.join(' / '),
      'speech requests': `${requests.one} / ${requests.four}`,
      '1 variant, CPU ms': median(samples.one).toFixed(0),
      '4 variants, CPU ms': median(samples.four).toFixed(0),
      ratio: `${ratio.toFixed(2)}× (target ≤ 4.2×) ${ratio <= 4.2 ? 'OK' : 'MISSED'}`,
    });
  }
  console.log(
    `${PROMPTS.length} prompts × ${VOICES.length} Flite voices × ${RUNS} runs, instant agent, median of ${SAMPLES}:`,
  );
  console.table(rows);
} finally {
  rmSync(project, { recursive: true, force: true });
}
