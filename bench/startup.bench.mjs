// What a user downloads and waits for before the first run starts (issue 15, "a fast start"):
// 1. Size of what ships: the npm package (`npm pack --dry-run`: the tarball, target ≤ 1 MB) and the
//    Action's bundle, dist/ without flite.wasm (the speech data, the same whatever the code), target
//    ≤ 5 MB, also without the other speech data (Pico's and Sonic's engines). Neither carries Pico's
//    voices: the Action reads them from the repository's vendor/ (docs/synthesizers.md).
// 2. Time from process start to the first agent request, for the package's CLI (lib/cli/index.js,
//    as `npx russo run` starts it) and for the Action's bundle (dist/index.js, as a runner starts it:
//    every INPUT_* at action.yml's default, a push event, no cache service), on the repository's own
//    scenarios with a `command` agent: a bash one-liner that stamps the time it was started (bash's
//    $EPOCHREALTIME, no subprocess) and answers no call. Median of several starts, with the disk audio
//    cache warm (the usual second run) and cold (the CLI with --no-cache; the Action with the cache
//    folder removed before each start, as on a runner without the Actions cache): Flite speaks the
//    first prompt first. Target ≤ 300 ms. The start of a bare `node` is printed as the floor. On a
//    busy machine wall time says little, so the agent also stamps the CPU time russo's process had
//    used by then (all its threads, from /proc, in 10 ms ticks).
// `node bench/startup.bench.mjs PATH…` measures other builds instead (another checkout's
// lib/cli/index.js, or a copy of an Action bundle: an index.js with flite.wasm beside it): their
// starts alternate, so that a busy machine slows each build alike.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const builds = (
  process.argv.length > 2
    ? process.argv.slice(2)
    : [join(root, 'lib/cli/index.js'), join(root, 'dist/index.js')]
).map((path) => resolve(path));
/** An Action bundle is an index.js with flite.wasm beside it (what `npm run bundle` writes); anything else is a CLI. */
const isAction = (path) => existsSync(join(dirname(path), 'flite.wasm'));
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

/** Starts `node args` in `cwd` and resolves when it exits, with the epoch time (ms) of the spawn and its output. */
function start(args, cwd, env = process.env) {
  return new Promise((done, fail) => {
    const started = performance.timeOrigin + performance.now();
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // The Action reports its errors on stdout (workflow commands), the CLI on stderr.
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', fail);
    child.on('close', () => done({ started, output }));
  });
}

/**
 * What a runner gives a JavaScript action: each input at action.yml's default (`runs: 1` aside), the
 * step's files, a push to a branch other than the default one (no PR comment, no baseline), no
 * Actions cache service, and a GitHub API on a closed local port, so nothing leaves the machine.
 */
function runnerEnv(folder) {
  const { inputs } = parse(readFileSync(join(root, 'action.yml'), 'utf8'));
  const files = {
    summary: join(folder, 'summary.md'),
    output: join(folder, 'output.txt'),
    event: join(folder, 'event.json'),
  };
  writeFileSync(files.summary, '');
  writeFileSync(files.output, '');
  writeFileSync(
    files.event,
    JSON.stringify({ ref: 'refs/heads/feature', repository: { default_branch: 'main' } }),
  );
  const env = {
    PATH: process.env.PATH,
    HOME: folder,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: folder,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/feature',
    GITHUB_REPOSITORY: 'acme/voice',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    RUNNER_TEMP: join(folder, 'runner-temp'),
  };
  for (const [name, input] of Object.entries(inputs)) {
    env[`INPUT_${name.toUpperCase()}`] = String(input.default ?? '').replace(
      '${{ github.token }}',
      'ghs_bench',
    );
  }
  return { ...env, INPUT_RUNS: '1' };
}

/**
 * Median ms from the spawn of each build to the first request its agent got, over STARTS starts
 * each, and the median CPU ms russo had used by then; `cold` empties the audio cache first.
 */
async function firstRequest(cold) {
  const { folder, stamps } = project();
  const tick = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  const env = runnerEnv(folder);
  try {
    const times = builds.map(() => []);
    const cpu = builds.map(() => []);
    // The first round warms the disk cache (and the OS's file cache) and is not counted.
    for (let round = 0; round <= STARTS; round++) {
      for (const [index, build] of builds.entries()) {
        rmSync(stamps, { force: true });
        if (cold) rmSync(join(folder, '.russo'), { recursive: true, force: true });
        const { started, output } = isAction(build)
          ? await start([build], folder, env)
          : await start([build, 'run', '-q', '-n', '1', ...(cold ? ['--no-cache'] : [])], folder);
        if (!existsSync(stamps)) throw new Error(`${build} made no agent request:\n${output}`);
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
    return builds.map((_, index) => ({ wall: median(times[index]), cpu: median(cpu[index]) }));
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
for (const [label, cold] of [
  ['warm audio cache', false],
  ['cold audio cache', true],
]) {
  const medians = await firstRequest(cold);
  for (const [index, { wall, cpu }] of medians.entries()) {
    const build = isAction(builds[index]) ? 'the Action' : `the CLI${cold ? ' (--no-cache)' : ''}`;
    console.log(
      `first agent request, ${build}, ${label} (${relative(root, builds[index])}): ${wall.toFixed(0)} ms after the spawn, ${cpu.toFixed(0)} ms of CPU, medians of ${STARTS} (target ≤ 300 ms) ${wall <= 300 ? 'OK' : 'MISSED'}`,
    );
  }
}
