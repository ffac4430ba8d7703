// What a user downloads and waits for before the first run starts (issue 15, "a fast start"):
// 1. Size of what ships: the npm package (`npm pack --dry-run`: the tarball, target ≤ 1 MB) and the
//    Action's bundle, dist/ without flite.wasm (the speech data, the same whatever the code), target
//    ≤ 5 MB, also without the other speech data (Pico's and Sonic's engines). Neither carries Pico's
//    voices: the Action reads them from the repository's vendor/ (docs/synthesizers.md).
// 2. Time from process start to the first agent request, for the package's CLI (lib/cli/index.js,
//    as `npx russo run` starts it) on the repository's own scenarios with a `command` agent: a bash
//    one-liner that stamps the time it was started (bash's $EPOCHREALTIME, no subprocess) and answers
//    no call. Median of several starts, with the disk audio cache warm (the usual second run) and with
//    --no-cache (Flite speaks the first prompt first). Target ≤ 300 ms. The start of a bare `node` is
//    printed as the floor. On a busy machine wall time says little, so the agent also stamps the CPU
//    time russo's process had used by then (all its threads, from /proc, in 10 ms ticks).
// `node bench/startup.bench.mjs CLI…` measures other builds of the CLI (e.g. another checkout's
// lib/cli/index.js, or an older dist/cli.js): their starts alternate, so that a busy machine slows
// each build alike.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const clis = (process.argv.length > 2 ? process.argv.slice(2) : [join(root, 'lib/cli/index.js')]).map((cli) =>
  resolve(cli),
);
const STARTS = 9;
const MB = 1024 * 1024;

function sizes() {
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
  );
  const mb = (bytes) => `${(bytes / MB).toFixed(2)} MB`;
  const target = (bytes, limit) => `(target ≤ ${limit} MB) ${bytes <= limit * MB ? 'OK' : 'MISSED'}`;
  console.log(
    `npm package: ${mb(pack.size)} tarball, ${mb(pack.unpackedSize)} unpacked, ${pack.entryCount} files ${target(pack.size, 1)}`,
  );
  const dist = join(root, 'dist');
  const files = readdirSync(dist).filter((file) => file !== 'flite.wasm');
  const size = (list) => list.reduce((sum, file) => sum + statSync(join(dist, file)).size, 0);
  const total = size(files);
  const speech = files.filter((file) => /\.(wasm|bin)$/.test(file));
  console.log(
    `dist/ (the Action) without flite.wasm: ${mb(total)} in ${files.length} files ${target(total, 5)}; ` +
      `code ${mb(total - size(speech))} (index.js ${mb(size(['index.js']))}), speech engines and voices ${mb(size(speech))}`,
  );
}

/** A project in a temporary folder: the repository's scenarios and tools, the stamping command agent. */
function project() {
  const folder = mkdtempSync(join(tmpdir(), 'russo-startup-'));
  const stamps = join(folder, 'stamps');
  // Fields 14 and 15 of /proc/<pid>/stat: user and system CPU time of the parent (russo), in ticks.
  const agent = `t=$EPOCHREALTIME; read -r -a stat < /proc/$PPID/stat; echo "$t $(( stat[13] + stat[14] ))" >> ${JSON.stringify(stamps)}; cat > /dev/null; echo '{"tool_calls": []}'`;
  writeFileSync(
    join(folder, 'russo.config.yaml'),
    [
      `scenarios: [${JSON.stringify(join(root, 'scenarios/*.yaml'))}]`,
      'synthesizer: { provider: flite, voices: [kal16] }',
      `agent: { provider: command, command: [bash, -c, ${JSON.stringify(agent)}], tools: ${JSON.stringify(join(root, 'tools/restaurant.json'))} }`,
      'defaults: { runs: 1 }',
      'max_concurrency: 1',
    ].join('\n') + '\n',
  );
  return { folder, stamps };
}

/** Starts `node args` in `cwd` and resolves when it exits, with the epoch time (ms) of the spawn and its stderr. */
function start(args, cwd) {
  return new Promise((done, fail) => {
    const started = performance.timeOrigin + performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', () => done({ started, stderr }));
  });
}

/**
 * Median ms from the spawn of each CLI to the first request its agent got, over STARTS starts each,
 * and the median CPU ms russo had used by then.
 */
async function firstRequest(extraArgs) {
  const { folder, stamps } = project();
  const tick = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  try {
    const times = clis.map(() => []);
    const cpu = clis.map(() => []);
    // The first round warms the disk cache (and the OS's file cache) and is not counted.
    for (let round = 0; round <= STARTS; round++) {
      for (const [index, cli] of clis.entries()) {
        rmSync(stamps, { force: true });
        const { started, stderr } = await start([cli, 'run', '-q', '-n', '1', ...extraArgs], folder);
        if (!existsSync(stamps)) throw new Error(`${cli} made no agent request:\n${stderr}`);
        const [time, ticks] = readFileSync(stamps, 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.split(' ').map(Number))
          .sort((a, b) => a[0] - b[0])[0];
        if (round > 0) {
          times[index].push(time * 1000 - started);
          cpu[index].push(ticks * tick);
        }
      }
    }
    return clis.map((_, index) => ({ wall: median(times[index]), cpu: median(cpu[index]) }));
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

sizes();
const floor = await bareNode();
console.log(`node -e 0 (start and exit): ${floor.toFixed(0)} ms, median of ${STARTS}`);
for (const [label, args] of [
  ['warm audio cache', []],
  ['--no-cache', ['--no-cache']],
]) {
  const medians = await firstRequest(args);
  for (const [index, { wall, cpu }] of medians.entries()) {
    console.log(
      `first agent request, ${label}${clis.length > 1 ? ` (${clis[index]})` : ''}: ${wall.toFixed(0)} ms after the spawn, ${cpu.toFixed(0)} ms of CPU, medians of ${STARTS} (target ≤ 300 ms) ${wall <= 300 ? 'OK' : 'MISSED'}`,
    );
  }
}
