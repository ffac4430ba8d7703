// A large suite on one machine (issue 15): 10,000 and 100,000 planned runs of 20 scenario files, run
// as `russo run` runs them — loadSuite, runSuite with the config's agent and synthesizer, the
// terminal output and the four report files — each size in its own process, so its peak RSS is
// its own. The agent is a module agent that answers at once (one run in ten with a wrong argument,
// and half the scenarios ask for 95%, so the reports have failures to show); the synthesizer is
// Flite behind the audio cache, warmed first, so every figure is russo's own cost: planning, the
// pool, the cache lookups, grading, the results kept, the reports.
// Targets: peak RSS ≤ 300 MB and harness CPU ≤ 0.1 ms per run at 100,000 runs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCENARIOS = 20;
const PROMPTS = 5;
const VOICES = ['kal16', 'slt'];
const SIZES = [10_000, 100_000];
const REPORTS = { json: 'russo.json', junit: 'junit.xml', html: 'russo.html', markdown: 'russo.md' };

// `node bench/large-suite.bench.mjs [RUNS…]` measures other sizes (multiples of 200).
const [mode, project, size] = process.argv.slice(2);
if (mode === 'measure') await measure(project, Number(size));
else orchestrate(process.argv.length > 2 ? process.argv.slice(2).map(Number) : SIZES);

/** Makes the project, warms the audio cache, and measures each size in a process of its own. */
function orchestrate(sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'russo-large-suite-'));
  try {
    makeProject(dir);
    const self = fileURLToPath(import.meta.url);
    // Warm the cache: one run per prompt and voice synthesizes every prompt once.
    execFileSync(process.execPath, [self, 'measure', dir, String(SCENARIOS * PROMPTS * VOICES.length)], {
      stdio: 'ignore',
    });
    if (process.env.RUSSO_BENCH_KEEP) console.log(`project kept in ${dir}`);
    for (const runs of sizes) {
      execFileSync(process.execPath, ['--expose-gc', self, 'measure', dir, String(runs)], {
        stdio: 'inherit',
      });
    }
  } finally {
    if (!process.env.RUSSO_BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

function makeProject(dir) {
  mkdirSync(join(dir, 'scenarios'));
  writeFileSync(
    join(dir, 'russo.config.yaml'),
    [
      'agent: { provider: module, module: agent.mjs }',
      `synthesizer: { provider: flite, voices: [${VOICES.join(', ')}] }`,
      'max_concurrency: 50',
      'cache: { enabled: true, dir: cache }',
      '',
    ].join('\n'),
  );
  // Instant: a plain function. Every tenth run books for three instead of two.
  writeFileSync(
    join(dir, 'agent.mjs'),
    [
      'let calls = 0;',
      'export default function agent() {',
      '  calls++;',
      "  return { toolCalls: [{ name: 'book_table', arguments: { party_size: calls % 10 === 0 ? 3 : 2, time: '19:00' } }],",
      "    transcript: 'book a table for two at seven' };",
      '}',
      '',
    ].join('\n'),
  );
  for (let s = 0; s < SCENARIOS; s++) {
    const prompts = Array.from(
      { length: PROMPTS },
      (_, p) => `  - Book a table for two at seven, way ${p} of ${s}`,
    );
    writeFileSync(
      join(dir, 'scenarios', `s${s}.yaml`),
      [
        `name: book ${s}`,
        // Half the scenarios ask for more than the agent's 90%: their failures fill the reports.
        `min_pass_rate: ${s % 2 === 0 ? 0.8 : 0.95}`,
        'prompts:',
        ...prompts,
        'expect:',
        '  - name: book_table',
        '    arguments: { party_size: 2, time: { regex: "^19:00" } }',
        '',
      ].join('\n'),
    );
  }
}

/** One size, as `russo run --runs N --json … --junit … --html … --markdown …` does it. */
async function measure(dir, total) {
  const lib = new URL('../lib/', import.meta.url);
  const { loadSuite, runSuite } = await import(new URL('index.js', lib).href);
  const { renderTerminal } = await import(new URL('report/terminal.js', lib).href);
  const { writeReportFiles } = await import(new URL('report/files.js', lib).href);
  const runs = total / (SCENARIOS * PROMPTS * VOICES.length);
  const out = join(dir, `reports-${total}`);
  const files = Object.fromEntries(
    Object.entries(REPORTS).map(([format, file]) => [format, join(out, file)]),
  );

  const suite = await loadSuite(undefined, { cwd: dir });
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const result = await runSuite(suite, { overrides: { runs } });
  const wall = performance.now() - started;
  const cpu1 = process.cpuUsage();
  const peakSuite = process.resourceUsage().maxRSS * 1024;
  const terminal = renderTerminal(result, { color: false, width: 120 });
  const writes = await writeReportFiles(result, files, dir);
  const cpu2 = process.cpuUsage();
  const peak = process.resourceUsage().maxRSS * 1024;

  const failed = writes.filter((write) => write.error !== undefined);
  if (failed.length > 0) throw new Error(`reports not written: ${JSON.stringify(failed)}`);
  if (result.summary.total !== total) throw new Error(`expected ${total} runs, got ${result.summary.total}`);
  if (total <= SCENARIOS * PROMPTS * VOICES.length) return; // the warm-up
  const ms = (from, to) => (to.user + to.system - from.user - from.system) / 1000;
  const suiteCpu = ms(cpu0, cpu1) / total;
  const allCpu = ms(cpu0, cpu2) / total;
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
  const ok = (good) => (good ? 'OK' : 'MISSED');
  console.log(
    `${total.toLocaleString('en-US')} runs (${result.summary.failed.toLocaleString('en-US')} failed) at concurrency 50: ` +
      `suite wall ${(wall / 1000).toFixed(1)} s, CPU ${suiteCpu.toFixed(3)} ms/run (target ≤ 0.1) ${ok(suiteCpu <= 0.1)}, ` +
      `with the reports ${allCpu.toFixed(3)} ms/run; peak RSS ${mb(peak)} (target ≤ 300 MB) ${ok(peak <= 300 * 1024 * 1024)}, ` +
      `after the suite ${mb(peakSuite)}, before it ${mb(rssBefore)}`,
  );
  const sizes = Object.entries(files).map(([format, path]) => `${format} ${mb(statSync(path).size)}`);
  console.log(`  reports: ${sizes.join(', ')}; terminal ${terminal.split('\n').length} lines`);
}
