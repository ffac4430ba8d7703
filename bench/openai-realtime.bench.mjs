// OpenAI Realtime agent under load, against the TLS fake of the Realtime API on 127.0.0.1:
//   1. 500 runs at concurrency 50 with 200 ms of model latency: wall time / ideal (target ≤ 1.15),
//      where ideal = ceil(runs / concurrency) × latency. Runs 1 and 2 report the median of three.
//   2. the same with 30% of the handshakes refused with 429 and `retry-after-ms: 100`, as OpenAI's
//      rate limiter says when to come back: every run must finish, total time ≤ 1.5 × run 1.
//   3. (reported, no target) 30% refused without retry-after: russo's own exponential backoff, whose
//      tail (a few runs refused 4-5 times in a row wait seconds) sets the wall time.
//   4. (reported, no target) wall / ideal of the same 10 rounds at concurrency 10 and 20: what the
//      wall time adds to the ideal grows with the sessions whose set-up and answers queue at once.
//   5. (reported, no target) run 1 with `preconnect: false`: each session opened when its run
//      starts, so that its handshake and session.update queue with the other runs' answers.
//   6. (reported, no target) runs 1 and 5 with a handshake that takes 100 ms, as a server across
//      the internet: what opening the next session during the wait saves in production.
// The fake runs in a worker thread, as a real server runs elsewhere: its TLS and JSON work does not
// share the client's event loop. It is loaded from test/fakes with Node's type stripping (Node 24,
// as `npm run bench` runs). The agent gets the fake's CA as a library user gives it; by itself it
// shares one TLS context, resumes TLS sessions and opens the next run's session while a run waits.
// CPU per run is reported for the client (main thread) and the fake (its worker): what the wall
// time above the ideal is made of on a busy machine.
import { Worker } from 'node:worker_threads';
import { AdaptiveLimit, OpenAIRealtimeAgent, runConcurrent } from '../lib/index.js';
import { createProviderStats } from '../lib/core/provider.js';

const RUNS = 500;
const CONCURRENCY = 50;
const LATENCY_MS = 200;
const THROTTLE_SHARE = 0.3;

// One second of tone at the Realtime rate: the audio every run plays.
const audio = {
  pcm: new Int16Array(24000).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 300 * i) / 24000))),
  sampleRate: 24000,
};
const synthesizer = { id: 'fixed-tone', synthesize: async () => audio };
const evaluator = {
  evaluate: (expected, actual) => {
    const passed = actual.length === 1 && actual[0].name === 'get_menu';
    return { passed, matchRate: passed ? 1 : 0, calls: [], extra: [], forbidden: [], failures: [] };
  },
};
const tools = [{ name: 'get_menu', parameters: { type: 'object', properties: {} } }];

const FAKE_URL = new URL('../test/fakes/openai-realtime.ts', import.meta.url).href;

/**
 * Starts the fake in a worker; `share` of the handshakes are refused with 429 (seeded, the same every
 * time), with a `retry-after-ms` header when `retryAfterMs` is set.
 */
async function startFakeWorker(share, retryAfterMs, handshakeMs = 0) {
  const worker = new Worker(
    `
    import { parentPort, workerData } from 'node:worker_threads';
    import { REALTIME_FAKE_KEY, startRealtimeFake } from ${JSON.stringify(FAKE_URL)};
    let seed = 42;
    const headers = workerData.retryAfterMs ? { 'retry-after-ms': String(workerData.retryAfterMs) } : {};
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const fake = await startRealtimeFake({
      latencyMs: workerData.latencyMs,
      handshakeMs: workerData.handshakeMs,
      handshake: () =>
        random() < workerData.share ? { status: 429, body: { error: { message: 'Rate limit reached' } }, headers } : undefined,
      respond: () => ({ calls: [{ name: 'get_menu', arguments: '{}' }] }),
    });
    const cpuBefore = process.threadCpuUsage();
    parentPort.postMessage({ baseURL: fake.baseURL, ca: fake.ca, key: REALTIME_FAKE_KEY });
    parentPort.on('message', async () => {
      const { handshakes, tlsResumptions } = fake;
      await fake.close();
      const cpu = process.threadCpuUsage(cpuBefore);
      parentPort.postMessage({ handshakes, tlsResumptions, cpuMs: (cpu.user + cpu.system) / 1000 });
    });
    `,
    { eval: true, type: 'module', workerData: { share, retryAfterMs, handshakeMs, latencyMs: LATENCY_MS } },
  );
  const started = await new Promise((resolve, reject) =>
    worker.once('message', resolve).once('error', reject),
  );
  return {
    ...started,
    close: async () => {
      worker.postMessage('close');
      const figures = await new Promise((resolve) => worker.once('message', resolve));
      await worker.terminate();
      return figures;
    },
  };
}

/**
 * Runs `runs` runs (default RUNS) at `concurrency` (default CONCURRENCY) against a fake that refuses
 * `share` of the handshakes with 429; returns the figures.
 */
async function measure(
  share,
  retryAfterMs,
  { runs = RUNS, concurrency = CONCURRENCY, preconnect = true, handshakeMs = 0 } = {},
) {
  const fake = await startFakeWorker(share, retryAfterMs, handshakeMs);
  const stats = createProviderStats();
  const limiter = new AdaptiveLimit({ max: concurrency });
  const agent = new OpenAIRealtimeAgent({
    apiKey: fake.key,
    baseURL: fake.baseURL,
    socketOptions: { ca: fake.ca },
    tools,
    stats,
    limiter,
    preconnect,
  });
  const started = performance.now();
  const cpuBefore = process.threadCpuUsage();
  const batch = await runConcurrent({
    prompts: ['what is on the menu'],
    runs,
    maxConcurrency: concurrency,
    limiter,
    synthesizer,
    agent,
    evaluator,
    expect: [{ name: 'get_menu' }],
  });
  const wallMs = performance.now() - started;
  const cpu = process.threadCpuUsage(cpuBefore);
  const clientCpuMs = (cpu.user + cpu.system) / 1000;
  const server = await fake.close();
  return { wallMs, clientCpuMs, batch, stats, lowest: limiter.lowest, server };
}

/** The median of `times` measurements by wall time: other work on a shared machine makes single runs noisy. */
async function median(times, share, retryAfterMs) {
  const results = [];
  for (let i = 0; i < times; i++) results.push(await measure(share, retryAfterMs));
  results.sort((a, b) => a.wallMs - b.wallMs);
  return results[Math.floor(times / 2)];
}

const idealMs = Math.ceil(RUNS / CONCURRENCY) * LATENCY_MS;
await measure(0); // warm-up: TLS, JIT
const plain = await median(3, 0);
const throttled = await median(3, THROTTLE_SHARE, 100);
const unguided = await measure(THROTTLE_SHARE, undefined);
const rounds = Math.ceil(RUNS / CONCURRENCY);
const sweep = [];
for (const concurrency of [10, 20]) {
  sweep.push({
    concurrency,
    result: await measure(0, undefined, { runs: rounds * concurrency, concurrency }),
  });
}
const unprepared = await measure(0, undefined, { preconnect: false });
const FAR_HANDSHAKE_MS = 100;
const far = await measure(0, undefined, { handshakeMs: FAR_HANDSHAKE_MS });
const farUnprepared = await measure(0, undefined, { handshakeMs: FAR_HANDSHAKE_MS, preconnect: false });

console.log(`machine load average: ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
const line = (label, result) =>
  `${label}: ${result.batch.summary.passed}/${RUNS} passed, ${result.batch.summary.errored} errored, ` +
  `wall ${(result.wallMs / 1000).toFixed(2)} s, ${result.stats.retries} retries, ${result.stats.throttles} throttles, ` +
  `lowest concurrency ${result.lowest}`;
console.log(line('no 429      ', plain));
console.log(line('30% 429, retry-after-ms 100', throttled));
console.log(line('30% 429, no retry-after   ', unguided));
const latencyRatio = plain.wallMs / idealMs;
const throttleRatio = throttled.wallMs / plain.wallMs;
// CPU per run of the client (main thread) and of the fake (its worker): with both threads and the
// rest of the machine on two cores, the queues of this work are what the wall time adds to the ideal.
console.log(
  `CPU per run: client ${(plain.clientCpuMs / RUNS).toFixed(2)} ms (main thread), ` +
    `fake server ${(plain.server.cpuMs / RUNS).toFixed(2)} ms (its worker); ` +
    `${plain.server.tlsResumptions}/${plain.server.handshakes} TLS handshakes resumed`,
);
console.log(
  `wall / ideal (ideal ${(idealMs / 1000).toFixed(1)} s): ${latencyRatio.toFixed(3)}  (target ≤ 1.15)`,
);
console.log(`30% 429 / no 429: ${throttleRatio.toFixed(3)}  (target ≤ 1.5)`);
console.log(
  `30% 429 without retry-after / no 429: ${(unguided.wallMs / plain.wallMs).toFixed(3)}  (reported only)`,
);
console.log(
  `wall / ideal of ${rounds} rounds by concurrency: ` +
    [...sweep, { concurrency: CONCURRENCY, result: plain }]
      .map(({ concurrency, result }) => `${concurrency}: ${(result.wallMs / idealMs).toFixed(3)}`)
      .join(', ') +
    '  (reported only)',
);
console.log(
  `wall / ideal with preconnect: false: ${(unprepared.wallMs / idealMs).toFixed(3)}  (reported only)`,
);
console.log(
  `with a ${FAR_HANDSHAKE_MS} ms handshake, wall / ideal: ${(far.wallMs / idealMs).toFixed(3)}, ` +
    `with preconnect: false ${(farUnprepared.wallMs / idealMs).toFixed(3)}  (reported only)`,
);
const p99 = (result) =>
  result.batch.runs.map((run) => run.latencyMs).sort((a, b) => a - b)[Math.floor(RUNS * 0.99)];
console.log(
  `run latency p99: ${[plain, throttled, unguided].map((result) => `${p99(result).toFixed(0)} ms`).join(', ')}`,
);
const allFinished = [plain, throttled, unguided].every((result) => result.batch.summary.passed === RUNS);
const verdict = (ok) => (ok ? 'OK' : 'MISSED');
console.log(
  `targets: every run finished ${verdict(allFinished)}, wall / ideal ${verdict(latencyRatio <= 1.15)}, ` +
    `30% 429 / no 429 ${verdict(throttleRatio <= 1.5)}`,
);
