import { loadSuite } from '../suite/load.js';
import { runSuite } from '../suite/run.js';
import { parseRunFlags } from './args.js';
import { useColor } from './color.js';
import { EXIT, verdictExit, type CliIO } from './io.js';
import { USAGE } from './usage.js';
import { createProgress, duration } from './progress.js';
import { writeReportFiles } from '../report/files.js';
import { printReportWrites, printResult } from './output.js';

/** `russo run`: load, run, print the table, write the reports, exit by the gate. */
export async function runCommand(argv: string[], io: CliIO): Promise<number> {
  const flags = parseRunFlags(argv);
  if (flags.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const suite = await loadSuite(flags.globs, {
    cwd: io.cwd,
    ...(flags.config ? { config: flags.config } : {}),
  });
  const runs = suite.scenarios.reduce(
    (sum, scenario) =>
      sum + scenario.prompts.length * suite.config.synthesizer.voices.length * (flags.runs ?? scenario.runs),
    0,
  );
  const concurrency = flags.concurrency ?? suite.config.defaults.concurrency;
  if (!flags.quiet) {
    io.stderr.write(
      `russo: ${suite.scenarios.length} scenario${suite.scenarios.length === 1 ? '' : 's'}, ${runs} run${runs === 1 ? '' : 's'} ` +
        `(${suite.config.synthesizer.voices.length} voice${suite.config.synthesizer.voices.length === 1 ? '' : 's'}) at concurrency ${concurrency}\n`,
    );
  }
  const progress = createProgress({
    isTTY: io.stderr.isTTY === true,
    write: (text) => io.stderr.write(text),
  });
  const result = await runSuite(suite, {
    env: io.env,
    overrides: {
      ...(flags.runs !== undefined ? { runs: flags.runs } : {}),
      concurrency,
      ...(flags.minPassRate !== undefined ? { minPassRate: flags.minPassRate } : {}),
    },
    ...(flags.cache ? {} : { cacheDir: false as const }),
    ...(flags.quiet ? {} : { onProgress: progress.update }),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  progress.done();
  printResult(result, io, useColor(flags.color, io));
  const reportsWritten = printReportWrites(await writeReportFiles(result, flags, io.cwd), io);
  if (!flags.quiet) io.stderr.write(`russo: finished in ${duration(result.durationMs)}\n`);
  return verdictExit(result.gate.passed, reportsWritten);
}
