import type { ReportWrite } from '../report/files.js';
import { renderTerminal } from '../report/terminal.js';
import type { SuiteResult } from '../suite/types.js';
import type { CliIO } from './io.js';

/** Prints the final table, failures and verdict to stdout. */
export function printResult(result: SuiteResult, io: CliIO, color: boolean): void {
  const width = outputWidth(io);
  io.stdout.write(`${renderTerminal(result, { color, ...(width === undefined ? {} : { width }) })}\n`);
}

/**
 * The columns to fit the output in: `COLUMNS` when set, else the terminal's width. Output that goes
 * to a log or a pipe has no width: a CI log wraps, and a cut line would lose the voice or the reason.
 */
function outputWidth(io: CliIO): number | undefined {
  if (io.stdout.isTTY !== true) return undefined;
  const columns = Number(io.env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : io.stdout.columns;
}

/** Says on stderr which reports were written and, one line each, which could not be and why; true when all were. */
export function printReportWrites(writes: readonly ReportWrite[], io: CliIO): boolean {
  for (const write of writes) {
    io.stderr.write(
      write.error === undefined
        ? `russo: wrote ${write.file}\n`
        : `russo: could not write ${write.file}: ${write.error}\n`,
    );
  }
  return writes.every((write) => write.error === undefined);
}
