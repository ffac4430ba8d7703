import type { ReportWrite } from '../report/files.js';
import { renderTerminal } from '../report/terminal.js';
import type { SuiteResult } from '../suite/types.js';
import type { CliIO } from './io.js';

/** Prints the final table, failures and verdict to stdout. */
export function printResult(result: SuiteResult, io: CliIO, color: boolean): void {
  io.stdout.write(
    `${renderTerminal(result, { color, ...(io.stdout.columns ? { width: io.stdout.columns } : {}) })}\n`,
  );
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
