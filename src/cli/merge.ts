import { fromJsonReport } from '../report/json.js';
import { mergeReports } from '../report/merge.js';
import { parseRunFlags } from './args.js';
import { useColor } from './color.js';
import { EXIT, UsageError, verdictExit, type CliIO } from './io.js';
import { writeReportFiles } from '../report/files.js';
import { printReportWrites, printResult } from './output.js';
import { readJsonReport } from './read-report.js';
import { COMMAND_USAGE } from './usage.js';

/** `russo merge a.json b.json …`: one report from the shards of a run, judged again; exit by the gate and the reports. */
export async function mergeCommand(argv: string[], io: CliIO): Promise<number> {
  const flags = parseRunFlags(argv, 'merge');
  if (flags.help) {
    io.stdout.write(`${COMMAND_USAGE.merge}\n`);
    return EXIT.ok;
  }
  if (flags.globs.length === 0) {
    throw new UsageError(
      'russo merge needs the JSON reports to merge',
      'russo merge shard-1.json shard-2.json --json merged.json',
    );
  }
  const reports = await Promise.all(flags.globs.map((file) => readJsonReport(file, io.cwd)));
  const result = fromJsonReport(mergeReports(reports));
  printResult(result, io, useColor(flags.color, io));
  const reportsWritten = printReportWrites(await writeReportFiles(result, flags, io.cwd), io);
  return verdictExit(result.gate.passed, reportsWritten);
}
