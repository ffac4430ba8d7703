import { RussoError } from '../core/errors.js';

/**
 * Exit codes of the CLI: every gate held, a gate failed, bad input, and every gate held but a report
 * could not be written. A failed gate wins over a report failure (which is still printed): 1 is what
 * a CI step must not hide.
 */
export const EXIT = { ok: 0, gateFailed: 1, badInput: 2, reportsFailed: 3 } as const;

/** A wrong command line: printed with the usage, exit code 2 (bad input). */
export class UsageError extends RussoError {}

/** The exit code of a finished suite: by its gate, then by whether every report was written. */
export function verdictExit(gatePassed: boolean, reportsWritten: boolean): number {
  if (!gatePassed) return EXIT.gateFailed;
  return reportsWritten ? EXIT.ok : EXIT.reportsFailed;
}

/** The streams the CLI talks to, so tests can run it in-process. */
export interface CliIO {
  stdout: { isTTY?: boolean; columns?: number; write(text: string): unknown };
  stderr: { isTTY?: boolean; write(text: string): unknown };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborts the run (Ctrl-C). */
  signal?: AbortSignal;
}
