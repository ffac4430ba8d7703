// A large suite on one machine: 100,000 planned runs (the default limits.max_runs) of 20 scenario
// files, run by runSuite with an instant in-process agent and an instant synthesizer, so every
// figure is russo's own cost: planning, the pool, grading, the results kept for the report.
// Targets (issue 15): peak RSS ≤ 300 MB and harness CPU ≤ 0.1 ms per run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FunctionAgent, loadSuite, renderJson, runSuite } from '../lib/index.js';

const SCENARIOS = 20;
const PROMPTS = 5;
const RUNS = 1000;
const total = SCENARIOS * PROMPTS * RUNS;

const project = mkdtempSync(join(tmpdir(), 'russo-plan-bench-'));
mkdirSync(join(project, 'scenarios'));
writeFileSync(join(project, 'russo.config.yaml'), 'max_concurrency: 50\ncache: { enabled: false }\n');
for (let s = 0; s < SCENARIOS; s++) {
  const prompts = Array.from(
    { length: PROMPTS },
    (_, p) => `  - Book a table for ${p + 2} at seven, take ${s}`,
  );
  writeFileSync(
    join(project, 'scenarios', `s${s}.yaml`),
    [
      `name: book ${s}`,
      'prompts:',
      ...prompts,
      `runs: ${RUNS}`,
      'expect:',
      '  - name: book_table',
      '    arguments: { party_size: 2, time: { regex: "^19:00" } }',
      '',
    ].join('\n'),
  );
}

const audio = { pcm: new Int16Array(1600), sampleRate: 16000 };
const voices = [{ voice: 'instant', synthesizer: { id: 'instant', synthesize: async () => audio } }];
const calls = [{ name: 'book_table', arguments: { party_size: 2, time: '19:00' } }];
const agent = new FunctionAgent(() => calls);

try {
  const suite = await loadSuite(undefined, { cwd: project });
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss / 1024 / 1024;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await runSuite(suite, { agent, voices });
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (result.summary.total !== total || result.summary.passed !== total) {
    throw new Error(`expected ${total} passed runs, got ${JSON.stringify(result.summary)}`);
  }
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const cpuPerRun = (cpu.user + cpu.system) / 1000 / total;
  console.log(
    `suite: ${total.toLocaleString('en-US')} instant runs at concurrency 50: wall ${(wall / 1000).toFixed(1)} s, ` +
      `CPU ${cpuPerRun.toFixed(3)} ms/run (target ≤ 0.1) ${cpuPerRun <= 0.1 ? 'OK' : 'MISSED'}, ` +
      `peak RSS ${peakMb.toFixed(0)} MB (target ≤ 300) ${peakMb <= 300 ? 'OK' : 'MISSED'}, RSS before the suite ${rssBefore.toFixed(0)} MB`,
  );
  // For information (the report formats are issue 15's): what rendering the JSON report of it costs.
  const renderStarted = performance.now();
  const json = renderJson(result);
  console.log(
    `report: renderJson ${(json.length / 1024 / 1024).toFixed(0)} MB in ${((performance.now() - renderStarted) / 1000).toFixed(1)} s, ` +
      `peak RSS then ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
} finally {
  rmSync(project, { recursive: true, force: true });
}
