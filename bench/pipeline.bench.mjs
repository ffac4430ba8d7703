// The scheduler and the harness, without any provider cost:
// 1. Scheduling: 1,000 runs at concurrency 50 against an agent that waits 100 ms. Ideal wall time is
//    ceil(1000 / 50) × 100 ms = 2 s; target wall / ideal ≤ 1.10.
// 2. Overhead: 10,000 runs with an instant agent and synthesizer, graded by the real evaluator.
//    Target harness CPU ≤ 0.2 ms per run and RSS ≤ 200 MB.
import { FunctionAgent, ToolCallEvaluator, runConcurrent } from '../lib/index.js';

const audio = { pcm: new Int16Array(16000), sampleRate: 16000 };
const instantSynthesizer = { id: 'instant', synthesize: async () => audio };
const expect = [{ name: 'book_table', arguments: { party_size: 2, time: { regex: '^19:00' } } }];
const calls = [{ name: 'book_table', arguments: { party_size: 2, time: '19:00' } }];
const evaluator = new ToolCallEvaluator({ order: 'any', extraCalls: 'fail', arguments: 'subset' });

async function scheduling() {
  const runs = 1000;
  const concurrency = 50;
  const waitMs = 100;
  const agent = new FunctionAgent(() => new Promise((resolve) => setTimeout(() => resolve(calls), waitMs)));
  const started = performance.now();
  const batch = await runConcurrent({
    prompts: ['book a table'],
    synthesizer: instantSynthesizer,
    agent,
    evaluator,
    expect,
    runs,
    maxConcurrency: concurrency,
  });
  const wall = performance.now() - started;
  const ideal = Math.ceil(runs / concurrency) * waitMs;
  if (batch.summary.passed !== runs) throw new Error(`expected ${runs} passes, got ${batch.summary.passed}`);
  const ratio = wall / ideal;
  console.log(
    `scheduling: ${runs} runs × ${waitMs} ms at concurrency ${concurrency}: wall ${wall.toFixed(0)} ms, ideal ${ideal} ms, wall/ideal ${ratio.toFixed(3)} (target ≤ 1.10) ${ratio <= 1.1 ? 'OK' : 'MISSED'}`,
  );
}

async function overhead() {
  const runs = 10_000;
  const agent = new FunctionAgent(() => calls);
  globalThis.gc?.();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const batch = await runConcurrent({
    prompts: ['book a table', 'reserve for two', 'table at seven', 'dinner for two'],
    synthesizer: instantSynthesizer,
    agent,
    evaluator,
    expect,
    runs: runs / 4,
    maxConcurrency: 50,
  });
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  if (batch.runs.length !== runs) throw new Error(`expected ${runs} results, got ${batch.runs.length}`);
  const cpuPerRun = (cpu.user + cpu.system) / 1000 / runs;
  console.log(
    `overhead: ${runs} instant runs: wall ${wall.toFixed(0)} ms, CPU ${cpuPerRun.toFixed(3)} ms/run (target ≤ 0.2) ${cpuPerRun <= 0.2 ? 'OK' : 'MISSED'}, RSS ${rssMb.toFixed(0)} MB (target ≤ 200) ${rssMb <= 200 ? 'OK' : 'MISSED'}`,
  );
}

await scheduling();
await overhead();
