// Sharding a huge plan: 1,000,000 planned runs (limits.max_runs raised) of 50 scenarios with prompts
// of uneven length, split in 16 shards. What one shard costs a runner before its first run (the
// walk that counts its share) and while its runs are pulled, and that the plan is never held in
// memory: heap and RSS stay flat whatever the plan's size. Checks that the 16 shards hold every run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSuite } from '../lib/index.js';
import { planSuite } from '../lib/suite/plan.js';
import { shardPlan } from '../lib/suite/shard.js';

const SCENARIOS = 50;
const PROMPTS = 5;
const VOICES = 4;
const RUNS = 1000;
const SHARDS = 16;
const total = SCENARIOS * PROMPTS * VOICES * RUNS;

const project = mkdtempSync(join(tmpdir(), 'russo-shard-bench-'));
mkdirSync(join(project, 'scenarios'));
writeFileSync(
  join(project, 'russo.config.yaml'),
  `synthesizer: { provider: flite, voices: [kal16, slt, rms, awb] }\nlimits: { max_runs: ${total} }\n`,
);
for (let s = 0; s < SCENARIOS; s++) {
  const prompts = Array.from(
    { length: PROMPTS },
    (_, p) => `  - Book a table${' please'.repeat((p * s) % 7)} ${s}`,
  );
  writeFileSync(
    join(project, 'scenarios', `s${s}.yaml`),
    [`name: book ${s}`, 'prompts:', ...prompts, `runs: ${RUNS}`, 'expect: []', ''].join('\n'),
  );
}

try {
  const plan = planSuite(await loadSuite(undefined, { cwd: project }));
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed / 1024 / 1024;
  let heapPeak = heapBefore;
  let covered = 0;
  let slowestCount = 0;
  let slowestWalk = 0;
  const sizes = [];
  for (let index = 1; index <= SHARDS; index++) {
    let started = performance.now();
    const shard = shardPlan(plan, { index, count: SHARDS });
    slowestCount = Math.max(slowestCount, performance.now() - started);
    started = performance.now();
    let pulled = 0;
    for (const _run of shard.runs()) {
      if (++pulled % 100_000 === 0)
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed / 1024 / 1024);
    }
    slowestWalk = Math.max(slowestWalk, performance.now() - started);
    if (pulled !== shard.totalRuns)
      throw new Error(`shard ${index}: ${pulled} runs pulled, ${shard.totalRuns} counted`);
    covered += pulled;
    sizes.push(pulled);
  }
  if (covered !== total) throw new Error(`the shards hold ${covered} runs of ${total}`);
  console.log(
    `${total.toLocaleString('en-US')} planned runs in ${SHARDS} shards (${Math.min(...sizes).toLocaleString('en-US')} to ${Math.max(...sizes).toLocaleString('en-US')} runs each, every run once): ` +
      `counting a shard ${(slowestCount / 1000).toFixed(2)} s (${((slowestCount * 1000) / total).toFixed(2)} µs per planned run), ` +
      `pulling its runs ${(slowestWalk / 1000).toFixed(2)} s; heap ${heapBefore.toFixed(0)} MB before, at most ${heapPeak.toFixed(0)} MB while pulling; ` +
      `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
} finally {
  rmSync(project, { recursive: true, force: true });
}
