import { writeReportFiles } from '../report/files.js';
import { fromJsonReport } from '../report/json.js';
import { plural } from '../report/numbers.js';
import { gradeReport } from '../suite/grade.js';
import { loadSuite } from '../suite/load.js';
import { parseRunFlags } from './args.js';
import { useColor } from './color.js';
import { EXIT, UsageError, verdictExit, type CliIO } from './io.js';
import { printReportWrites, printResult } from './output.js';
import { readJsonReport } from './read-report.js';
import { judgeOptions } from './run.js';
import { COMMAND_USAGE } from './usage.js';

/**
 * `russo grade report.json [scenarios…]`: grades the agent answers recorded in a report again with
 * the current scenario files, speaking nothing and starting no agent; writes the reports and exits
 * like `russo run`.
 */
export async function gradeCommand(argv: string[], io: CliIO): Promise<number> {
  const flags = parseRunFlags(argv, 'grade');
  if (flags.help) {
    io.stdout.write(`${COMMAND_USAGE.grade}\n`);
    return EXIT.ok;
  }
  const [report, ...globs] = flags.globs;
  if (report === undefined) {
    throw new UsageError(
      'russo grade needs the JSON report whose recorded answers it grades again',
      'russo grade russo-report/report.json [scenario files…]',
    );
  }
  const recorded = fromJsonReport(await readJsonReport(report, io.cwd));
  const judging = await judgeOptions(flags.judging, io.cwd);
  const suite = await loadSuite(globs.length > 0 ? globs : undefined, {
    cwd: io.cwd,
    ...(flags.config ? { config: flags.config } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  const result = gradeReport(suite, recorded, {
    source: report,
    judging,
    ...(flags.minPassRate === undefined ? {} : { minPassRate: flags.minPassRate }),
  });
  const replay = result.replay!;
  if (replay.regraded === 0 && result.summary.total === 0 && replay.notReplayable.length > 0) {
    throw new UsageError(
      `no run of ${report} can be graded again: ${plural(replay.notReplayable.length, 'run')}, none replayable (${replay.notReplayable[0]!.reason}${replay.notReplayable.length > 1 ? ', …' : ''})`,
      'grade a report made from these scenario files, or name the scenario files it was made from',
    );
  }
  printResult(result, io, useColor(flags.color, io));
  const reportsWritten = printReportWrites(await writeReportFiles(result, flags, io.cwd), io);
  return verdictExit(result.gate.passed, reportsWritten);
}
