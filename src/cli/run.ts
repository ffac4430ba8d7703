import { loadSuite } from '../suite/load.js';
import { prepareSynthesizer } from '../suite/prepare.js';
import type { FailOnRegression } from '../suite/compare.js';
import type { Baseline, JudgeOptions } from '../suite/result.js';
import type { PlannedSuite } from '../suite/run.js';
import { plural } from '../report/numbers.js';
import { parseRunFlags, type JudgeFlags } from './args.js';
import { useColor } from './color.js';
import { EXIT, UsageError, verdictExit, type CliIO } from './io.js';
import { COMMAND_USAGE } from './usage.js';
import { createProgress, duration } from './progress.js';

/** `russo run`: load, run, compare with the baseline if given, print the table, write the reports, exit by the gate. */
export async function runCommand(argv: string[], io: CliIO): Promise<number> {
  const flags = parseRunFlags(argv);
  if (flags.help) {
    io.stdout.write(`${COMMAND_USAGE.run}\n`);
    return EXIT.ok;
  }
  if (flags.shard && flags.judging.baseline !== undefined) {
    throw new UsageError(
      '--baseline with --shard: a shard holds part of the suite, so its drops are not the suite’s',
      'run the shards without it and compare the merged report: russo compare baseline.json merged.json',
    );
  }
  // The baseline is read first: a bad one is refused before anything is loaded or spent.
  const judging = await judgeOptions(flags.judging, io.cwd);
  const suite = await loadSuite(flags.globs, {
    cwd: io.cwd,
    ...(flags.config ? { config: flags.config } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    // Flite's worker starts while the scenario files load, when no cached audio serves the first runs.
    onConfig: (config) => prepareSynthesizer(config, flags.cache),
  });
  // The runner (the providers, the pipeline) is imported once the suite is loaded, not before the
  // config is read: Flite's worker, started from onConfig, boots while it loads.
  const { runSuite } = await import('../suite/run.js');
  const progress = createProgress({
    isTTY: io.stderr.isTTY === true,
    write: (text) => io.stderr.write(text),
  });
  const result = await runSuite(suite, {
    env: io.env,
    overrides: {
      ...(flags.runs !== undefined ? { runs: flags.runs } : {}),
      ...(flags.maxConcurrency !== undefined ? { maxConcurrency: flags.maxConcurrency } : {}),
      ...(flags.minPassRate !== undefined ? { minPassRate: flags.minPassRate } : {}),
    },
    ...(flags.shard ? { shard: flags.shard } : {}),
    ...(flags.cache ? {} : { cacheDir: false as const }),
    ...(flags.quiet
      ? {}
      : {
          onPlanned: (plan) => io.stderr.write(planLine(suite.scenarios.length, plan)),
          onProgress: progress.update,
        }),
    ...(io.signal ? { signal: io.signal } : {}),
    judging,
  });
  progress.done();
  // The renderers are imported once there is a result to render: the runs do not wait for them.
  const [{ printReportWrites, printResult }, { writeReportFiles }] = await Promise.all([
    import('./output.js'),
    import('../report/files.js'),
  ]);
  printResult(result, io, useColor(flags.color, io));
  const reportsWritten = printReportWrites(await writeReportFiles(result, flags, io.cwd), io);
  if (!flags.quiet) io.stderr.write(`russo: finished in ${duration(result.durationMs)}\n`);
  return verdictExit(result.gate.passed, reportsWritten);
}

/** `russo: 2 scenarios, 40 runs (2 voices) at concurrency 8`; a shard says its share first: `shard 2/4: 10 of 40 runs`. */
function planLine(scenarios: number, plan: PlannedSuite): string {
  const share = plan.shard ? `shard ${plan.shard.index}/${plan.shard.count}: ${plan.runs} of ` : '';
  return (
    `russo: ${plural(scenarios, 'scenario')}, ${share}${plural(plan.suiteRuns, 'run')} ` +
    `(${plural(plan.voices, 'voice')}) at concurrency ${plan.maxConcurrency}\n`
  );
}

/** The judge options of the flags, with the baseline report read and checked (another version or corrupt: exit 2). */
export async function judgeOptions(flags: JudgeFlags, cwd: string): Promise<JudgeOptions> {
  return {
    ...(flags.alpha === undefined ? {} : { alpha: flags.alpha }),
    ...(flags.passK === undefined ? {} : { passK: flags.passK }),
    ...(flags.baseline === undefined
      ? {}
      : { baseline: await baselineOf(flags.baseline, flags.failOn ?? 'significant', cwd) }),
  };
}

/** The baseline report, read and checked; its reader is imported only when a baseline is given. */
async function baselineOf(file: string, failOn: FailOnRegression, cwd: string): Promise<Baseline> {
  const [{ fromJsonReport }, { readJsonReport }] = await Promise.all([
    import('../report/json.js'),
    import('./read-report.js'),
  ]);
  return { result: fromJsonReport(await readJsonReport(file, cwd)), source: file, failOn };
}
