// russo's own cost per conversation turn against its cost per single-prompt run: runSuite with an
// instant in-process agent (FunctionAgent) and an instant synthesizer, so every figure is the
// harness (planning, the pool, the session, grading, merging the turns, the results). The same
// calls are graded per turn as per run. Target (issue 12): CPU per turn within 10% of CPU per run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FunctionAgent, loadSuite, runSuite } from '../lib/index.js';

const TURNS = 3;
const CONVERSATIONS = 10_000; // per sample: 30,000 turns
const RUNS = CONVERSATIONS * TURNS; // per sample: 30,000 single-prompt runs
const SAMPLES = 5;

const expect = [
  'expect:',
  '  - name: book_table',
  '    arguments: { party_size: 2, time: { regex: "^19:00" } }',
];
const project = mkdtempSync(join(tmpdir(), 'russo-conversation-overhead-'));
mkdirSync(join(project, 'scenarios'));
writeFileSync(join(project, 'russo.config.yaml'), 'max_concurrency: 50\ncache: { enabled: false }\n');
writeFileSync(
  join(project, 'scenarios', 'single.yaml'),
  ['name: single', 'prompts: [Book a table for two at seven]', `runs: ${RUNS}`, ...expect, ''].join('\n'),
);
writeFileSync(
  join(project, 'scenarios', 'conversation.yaml'),
  [
    'name: conversation',
    'turns:',
    ...Array.from({ length: TURNS }, (_, turn) => [
      `  - say: Book a table for two at seven, turn ${turn + 1}`,
      ...expect.map((line) => `    ${line}`),
    ]).flat(),
    `runs: ${CONVERSATIONS}`,
    '',
  ].join('\n'),
);

const audio = { pcm: new Int16Array(1600), sampleRate: 16000 };
const voices = [{ voice: 'instant', synthesizer: { id: 'instant', synthesize: async () => audio } }];
const calls = [{ name: 'book_table', arguments: { party_size: 2, time: '19:00' } }];
const agent = new FunctionAgent({ run: () => calls, turn: () => calls });

/** CPU ms of one runSuite of `suite`, checking that every run passed. */
async function cpuOf(suite, expected) {
  globalThis.gc?.();
  const before = process.cpuUsage();
  const result = await runSuite(suite, { agent, voices });
  const cpu = process.cpuUsage(before);
  if (result.summary.passed !== expected)
    throw new Error(`expected ${expected} passed runs: ${JSON.stringify(result.summary)}`);
  return (cpu.user + cpu.system) / 1000;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  const suite = await loadSuite(undefined, { cwd: project });
  const single = { ...suite, scenarios: suite.scenarios.filter((s) => s.name === 'single') };
  const conversation = { ...suite, scenarios: suite.scenarios.filter((s) => s.name === 'conversation') };
  // Warm up both paths, then alternate, so a busy machine weighs on both alike.
  await cpuOf(single, RUNS);
  await cpuOf(conversation, CONVERSATIONS);
  const perRun = [];
  const perTurn = [];
  for (let sample = 0; sample < SAMPLES; sample++) {
    perRun.push((await cpuOf(single, RUNS)) / RUNS);
    perTurn.push((await cpuOf(conversation, CONVERSATIONS)) / (CONVERSATIONS * TURNS));
  }
  const run = median(perRun);
  const turn = median(perTurn);
  const ratio = turn / run;
  console.log(
    `single-prompt run: ${(run * 1000).toFixed(1)} µs CPU per run (median of ${SAMPLES} × ${RUNS.toLocaleString('en-US')} runs)\n` +
      `conversation turn: ${(turn * 1000).toFixed(1)} µs CPU per turn (median of ${SAMPLES} × ${CONVERSATIONS.toLocaleString('en-US')} conversations of ${TURNS} turns)\n` +
      `overhead per turn: ${(ratio * 100).toFixed(0)}% of a run's (target ≤ 110%) ${ratio <= 1.1 ? 'OK' : 'MISSED'}`,
  );
} finally {
  rmSync(project, { recursive: true, force: true });
}
