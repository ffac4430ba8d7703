// `russo grade` on a JSON report of 10,000 runs, as a user runs it after changing a matcher: the
// package's CLI (lib/cli/index.js, which bench/run.mjs builds first) as a process, wall time from
// spawn to exit (Node's start, reading and validating the report, loading the scenario files,
// grading every recorded answer again, printing, writing the JSON report). The same shapes as the
// compare bench (bench/reports.mjs). The issue sets no target; `russo compare` on two such reports
// is held to 1 s, and one grade reads one report where compare reads two. Wall time depends on how
// busy the machine is, so the steps also run in this process with their CPU time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromJsonReport, parseReport, renderJson } from '../lib/report/json.js';
import { gradeReport } from '../lib/suite/grade.js';
import { loadSuite } from '../lib/suite/load.js';
import { project, report, SHAPES } from './reports.mjs';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'cli', 'index.js');
const REPEATS = 5;

const rows = [];
for (const shape of Object.keys(SHAPES)) {
  const dir = mkdtempSync(join(tmpdir(), 'russo-grade-bench-'));
  project(dir, shape);
  const recorded = join(dir, 'report.json');
  writeFileSync(recorded, report(shape, 0.05, 1));
  const times = [];
  let exit = 0;
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    try {
      execFileSync(process.execPath, [CLI, 'grade', 'report.json', '--json', 'graded.json'], {
        cwd: dir,
        stdio: 'pipe',
      });
    } catch (error) {
      // Exit 1 is a verdict (a gate failed), not a failure of the bench.
      if (error.status !== 1) {
        throw new Error(`russo grade exited ${error.status}: ${error.stderr}`, { cause: error });
      }
      exit = 1;
    }
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const graded = JSON.parse(readFileSync(join(dir, 'graded.json'), 'utf8'));
  if (graded.replay.regraded !== 10_000) {
    throw new Error(`russo grade graded ${graded.replay.regraded} runs again, not 10,000`);
  }
  rows.push({
    shape,
    'report size': `${(statSync(recorded).size / 2 ** 20).toFixed(1)} MB`,
    'median ms': times[Math.floor(REPEATS / 2)].toFixed(0),
    'min ms': times[0].toFixed(0),
    exit,
    ...(await cpuSteps(dir, recorded)),
  });
}

/** CPU ms of each step of `russo grade`, in this process (the first parse compiles the schema). */
async function cpuSteps(dir, recorded) {
  const cpu = async (step) => {
    const started = process.cpuUsage();
    const value = await step();
    const used = process.cpuUsage(started);
    return [value, (used.user + used.system) / 1000];
  };
  const [parsed, parse] = await cpu(() => parseReport(readFileSync(recorded, 'utf8')));
  const [result, build] = await cpu(() => fromJsonReport(parsed));
  const [suite, load] = await cpu(() => loadSuite(undefined, { cwd: dir }));
  const [regraded, grade] = await cpu(() => gradeReport(suite, result, { source: 'report.json' }));
  const [, write] = await cpu(() => renderJson(regraded));
  return {
    'cpu ms: read + validate': parse.toFixed(0),
    result: build.toFixed(0),
    'load files': load.toFixed(0),
    grade: grade.toFixed(0),
    'render json': write.toFixed(0),
  };
}

console.table(rows);
