// What a user downloads and waits for before the first run starts (issue 15, "a fast start"):
// 1. Size of the shipped bundles: dist/index.js (the Action), dist/cli.js (the CLI), and all of
//    dist/ without flite.wasm (the speech data, the same whatever the code). Target ≤ 5 MB.
// 2. Time from process start to the first agent request, for `node dist/cli.js run` on the
//    repository's own scenarios with a `command` agent: a bash one-liner that stamps the time it was
//    started (bash's $EPOCHREALTIME, no subprocess) and answers no call. Median of several starts,
//    with the disk audio cache warm (the usual second run) and with --no-cache (Flite speaks the
//    first prompt first). Target ≤ 300 ms. The start of a bare `node` is printed as the floor.
// `node bench/startup.bench.mjs DIST…` measures other builds (e.g. main's dist/ and this one): their
// starts alternate, so that a busy machine slows each build alike.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dists = (process.argv.length > 2 ? process.argv.slice(2) : [join(root, 'dist')]).map((dist) =>
  resolve(dist),
);
const STARTS = 9;
const MB = 1024 * 1024;

function sizes(dist) {
  const files = readdirSync(dist).filter((file) => file !== 'flite.wasm');
  const total = files.reduce((sum, file) => sum + statSync(join(dist, file)).size, 0);
  const size = (file) => `${(statSync(join(dist, file)).size / MB).toFixed(2)} MB`;
  console.log(`${dist}: index.js ${size('index.js')}, cli.js ${size('cli.js')}`);
  console.log(
    `  without flite.wasm: ${(total / MB).toFixed(2)} MB in ${files.length} files (target ≤ 5 MB) ${total <= 5 * MB ? 'OK' : 'MISSED'}`,
  );
}

/** A project in a temporary folder: the repository's scenarios and tools, the stamping command agent. */
function project() {
  const folder = mkdtempSync(join(tmpdir(), 'russo-startup-'));
  const stamps = join(folder, 'stamps');
  const agent = `echo "$EPOCHREALTIME" >> ${JSON.stringify(stamps)}; cat > /dev/null; echo '{"tool_calls": []}'`;
  writeFileSync(
    join(folder, 'russo.config.yaml'),
    [
      `scenarios: [${JSON.stringify(join(root, 'scenarios/*.yaml'))}]`,
      'synthesizer: { provider: flite, voices: [kal16] }',
      `agent: { provider: command, command: [bash, -c, ${JSON.stringify(agent)}], tools: ${JSON.stringify(join(root, 'tools/restaurant.json'))} }`,
      'defaults: { runs: 1, concurrency: 1 }',
    ].join('\n') + '\n',
  );
  return { folder, stamps };
}

/** Starts `node args` in `cwd` and resolves when it exits, with the epoch time (ms) of the spawn. */
function start(args, cwd) {
  return new Promise((done, fail) => {
    const started = performance.timeOrigin + performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: 'ignore' });
    child.on('error', fail);
    child.on('exit', () => done(started));
  });
}

/** Median ms from the spawn of each dist's CLI to the first request its agent got, over STARTS starts each. */
async function firstRequest(extraArgs) {
  const { folder, stamps } = project();
  try {
    const times = dists.map(() => []);
    // The first round warms the disk cache (and the OS's file cache) and is not counted.
    for (let round = 0; round <= STARTS; round++) {
      for (const [index, dist] of dists.entries()) {
        rmSync(stamps, { force: true });
        const started = await start([join(dist, 'cli.js'), 'run', '-q', '-n', '1', ...extraArgs], folder);
        const first = Math.min(...readFileSync(stamps, 'utf8').trim().split('\n').map(Number)) * 1000;
        if (round > 0) times[index].push(first - started);
      }
    }
    return times.map(median);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function bareNode() {
  const times = [];
  for (let index = 0; index < STARTS; index++) {
    const started = performance.now();
    await start(['-e', '0'], root);
    times.push(performance.now() - started);
  }
  return median(times);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

for (const dist of dists) sizes(dist);
const floor = await bareNode();
console.log(`node -e 0 (start and exit): ${floor.toFixed(0)} ms, median of ${STARTS}`);
for (const [label, args] of [
  ['warm audio cache', []],
  ['--no-cache', ['--no-cache']],
]) {
  const medians = await firstRequest(args);
  for (const [index, ms] of medians.entries()) {
    console.log(
      `first agent request, ${label}${dists.length > 1 ? ` (${dists[index]})` : ''}: ${ms.toFixed(0)} ms after the spawn, median of ${STARTS} (target ≤ 300 ms) ${ms <= 300 ? 'OK' : 'MISSED'}`,
    );
  }
}
