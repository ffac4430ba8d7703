import { renderTerminal } from '../report/terminal.js';
import type { SuiteResult } from '../suite/types.js';
import type { CliIO } from './io.js';

/** Prints the final table, failures and verdict to stdout. */
export function printResult(result: SuiteResult, io: CliIO, color: boolean): void {
  io.stdout.write(
    `${renderTerminal(result, { color, ...(io.stdout.columns ? { width: io.stdout.columns } : {}) })}\n`,
  );
}
