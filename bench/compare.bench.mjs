// `russo compare` on two JSON reports of 10,000 runs each, as a user runs it: the package's CLI
// (lib/cli/index.js, which bench/run.mjs builds first) as a process, wall time from spawn to exit, so Node's
// start, reading, schema validation, the tests and printing all count. Target: under 1 s.
// Two shapes (bench/reports.mjs): a suite of 50 scenarios × 200 runs (4 prompts × 2 voices × 25), and
// one scenario of 10,000 runs (the largest single test). Wall time depends on how busy the machine
// is, so the same steps also run in this process with their CPU time: reading and validating both
// reports, reading what compare needs of them (comparedSuiteOf), comparing, printing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderComparisonText } from '../lib/report/comparison.js';
import { comparedSuiteOf, parseReport } from '../lib/report/json.js';
import { compare } from '../lib/suite/compare.js';
import { report, SHAPES } from './reports.mjs';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'cli', 'index.js');
const TARGET_MS = 1000;
const REPEATS = 5;

const dir = mkdtempSync(join(tmpdir(), 'russo-compare-bench-'));
const rows = [];
for (const shape of Object.keys(SHAPES)) {
  const base = join(dir, 'base.json');
  const current = join(dir, 'new.json');
  writeFileSync(base, report(shape, 0.05, 1));
  writeFileSync(current, report(shape, 0.08, 2));
  const times = [];
  let exit = 0;
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    try {
      execFileSync(process.execPath, [CLI, 'compare', base, current], { stdio: 'pipe' });
    } catch (error) {
      // Exit 1 is a verdict (a significant regression), not a failure of the bench.
      if (error.status !== 1) throw error;
      exit = 1;
    }
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(REPEATS / 2)];
  const steps = cpuSteps(base, current);
  rows.push({
    shape,
    'report size': `${(statSync(base).size / 2 ** 20).toFixed(1)} MB`,
    'median ms': median.toFixed(0),
    'min ms': times[0].toFixed(0),
    exit,
    'target < 1000 ms': median < TARGET_MS ? 'OK' : 'MISSED',
    ...steps,
  });
}
/** CPU ms of each step of `russo compare`, in this process (the first parse compiles the schema). */
function cpuSteps(base, current) {
  const cpu = (step) => {
    const started = process.cpuUsage();
    const value = step();
    const used = process.cpuUsage(started);
    return [value, (used.user + used.system) / 1000];
  };
  const [reports, parse] = cpu(() => [base, current].map((file) => parseReport(readFileSync(file, 'utf8'))));
  const [results, build] = cpu(() => reports.map(comparedSuiteOf));
  const [comparison, test] = cpu(() => compare(results[0], results[1]));
  const [, print] = cpu(() => renderComparisonText(comparison, { color: false, failOn: 'significant' }));
  return {
    'cpu ms: read + validate': parse.toFixed(0),
    results: build.toFixed(0),
    compare: test.toFixed(0),
    print: print.toFixed(0),
  };
}

const idle = [];
for (let i = 0; i < REPEATS; i++) {
  const started = performance.now();
  execFileSync(process.execPath, [CLI, '--version'], { stdio: 'pipe' });
  idle.push(performance.now() - started);
}
idle.sort((a, b) => a - b);
console.table(rows);
console.log(
  `(for scale: \`russo --version\`, Node's start and the bundle's load, takes ${idle[2].toFixed(0)} ms)`,
);
