// The command agent's two modes on the real sample agent: one process per run (spawn) against a
// pool of long-lived processes (serve), over the example prompts with the cached Flite audio, plus
// what one sample-agent process costs (start-up, recognition per clip, memory).
// Targets: serve ≥ 5× spawn, serve ≥ 20 runs/s on 2 cores. The machine may be shared, so besides
// wall-clock runs/s the bench measures the CPU each run costs (russo and the agent processes, which
// it has reaped by the end) and the capacity that gives on idle cores.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import {
  CachedSynthesizer,
  CommandAgent,
  encodeWav,
  FliteSynthesizer,
  loadSuite,
  runConcurrent,
  ToolCallEvaluator,
} from '../lib/index.js';

const AGENT = ['node', 'examples/sample-agent/agent.js'];
const TOOLS = JSON.parse(readFileSync('tools/restaurant.json', 'utf8'));
const MIN_RUNS = 100;
const concurrency = availableParallelism();
const CLOCK_TICK_MS = 10; // /proc times are in clock ticks of 1/100 s (getconf CLK_TCK)
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const suite = await loadSuite(undefined);
const prompts = suite.scenarios.flatMap((scenario) => scenario.prompts.map((prompt) => prompt.text));
const runs = Math.ceil(MIN_RUNS / prompts.length);
const synthesizer = new CachedSynthesizer(new FliteSynthesizer({ voice: 'kal16' }), { dir: false });
// Warm the cache: both modes then measure the agent, not the speech synthesis.
await Promise.all(prompts.map((prompt) => synthesizer.synthesize(prompt)));

/** CPU time of this process and of its children that have exited, in ms (fields 14–17 of /proc/self/stat). */
function cpuMs() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) * CLOCK_TICK_MS;
}

/** Runs every prompt `runs` times through the agent: runs per second, and CPU ms per run once the agent is closed. */
async function throughput(agent) {
  const cpuBefore = cpuMs();
  const started = performance.now();
  const batch = await runConcurrent({
    prompts,
    runs,
    maxConcurrency: concurrency,
    synthesizer,
    agent,
    evaluator: new ToolCallEvaluator(),
    expect: [],
    timeoutMs: 60_000,
  });
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  const cpuPerRun = (cpuMs() - cpuBefore) / batch.summary.total;
  if (batch.summary.errored > 0) {
    throw new Error(`${batch.summary.errored} runs errored: ${batch.runs.find((run) => run.error)?.error}`);
  }
  return {
    total: batch.summary.total,
    perSecond: batch.summary.total / seconds,
    seconds,
    cpuPerRun,
    capacity: (concurrency * 1000) / cpuPerRun,
  };
}

const spawned = await throughput(new CommandAgent({ command: AGENT, tools: TOOLS }));
const served = await throughput(
  new CommandAgent({ command: AGENT, mode: 'serve', processes: concurrency, tools: TOOLS }),
);
const ratio = served.perSecond / spawned.perSecond;
const cpuRatio = spawned.cpuPerRun / served.cpuPerRun;

// One serve-mode process on its own: time to its first answer, recognition per clip, peak memory.
const clips = await Promise.all(
  prompts.map(async (prompt) => encodeWav(await synthesizer.synthesize(prompt))),
);
const child = spawn(AGENT[0], AGENT.slice(1), { env: { ...process.env, RUSSO_MODE: 'serve' } });
const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
const ask = async (clip, id) => {
  child.stdin.write(`${JSON.stringify({ id, audio: clip.toString('base64') })}\n`);
  return JSON.parse((await lines.next()).value);
};
let started = performance.now();
await ask(clips[0], 'first');
const firstAnswerMs = performance.now() - started;
const recognitionMs = [];
for (const [index, clip] of clips.entries()) recognitionMs.push((await ask(clip, String(index))).latency_ms);
const peakRssMb =
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024;
child.stdin.end();
const audioSeconds = (await Promise.all(prompts.map((prompt) => synthesizer.synthesize(prompt)))).reduce(
  (sum, audio) => sum + audio.pcm.length / audio.sampleRate,
  0,
);

console.log(
  `${prompts.length} example prompts × ${runs} runs, voice kal16 (cached), concurrency ${concurrency}:`,
);
const row = (result) => ({
  runs: result.total,
  seconds: result.seconds.toFixed(1),
  'runs/s': result.perSecond.toFixed(1),
  'CPU ms/run': result.cpuPerRun.toFixed(0),
  [`runs/s on ${concurrency} idle cores`]: result.capacity.toFixed(1),
});
console.table({ spawn: row(spawned), serve: row(served) });
console.log(
  `load average ${loadavg()[0].toFixed(1)} on ${concurrency} cores; serve/spawn ${ratio.toFixed(1)}× wall, ${cpuRatio.toFixed(1)}× CPU (target ≥ 5) ${Math.min(ratio, cpuRatio) >= 5 ? 'OK' : 'MISSED'}; ` +
    `serve ${served.perSecond.toFixed(1)} runs/s measured, ${served.capacity.toFixed(1)} by CPU (target ≥ 20 on 2 cores) ${served.perSecond >= 20 ? 'OK' : served.capacity >= 20 ? 'OK by CPU (the machine is busy)' : 'MISSED'}`,
);
console.log(
  `one sample-agent process: first answer ${firstAnswerMs.toFixed(0)} ms after start (model load + first clip), ` +
    `recognition median ${median(recognitionMs)} ms / max ${Math.max(...recognitionMs)} ms per clip ` +
    `(${(audioSeconds / prompts.length).toFixed(1)} s of audio on average), peak RSS ${peakRssMb.toFixed(0)} MB`,
);
