/** Exit codes of the CLI (DESIGN.md): every gate held, a gate failed, bad input. */
export const EXIT = { ok: 0, gateFailed: 1, badInput: 2 } as const;

/** The streams the CLI talks to, so tests can run it in-process. */
export interface CliIO {
  stdout: { isTTY?: boolean; columns?: number; write(text: string): unknown };
  stderr: { isTTY?: boolean; write(text: string): unknown };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborts the run (Ctrl-C). */
  signal?: AbortSignal;
}
