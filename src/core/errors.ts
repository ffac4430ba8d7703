/** Base of russo's typed errors: each carries a hint that tells the user what to do. */
export class RussoError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A run was stopped by its timeout. */
export class TimeoutError extends RussoError {}

/** A run or a suite was cancelled by its AbortSignal. */
export class CancelledError extends RussoError {}

/** An agent failed in a way worth reporting apart from a wrong answer (crash, bad output, protocol error). */
export class AgentError extends RussoError {}

/**
 * A failure that retrying cannot fix and that will fail every other run too (bad key, no quota):
 * the suite stops at once and reports it.
 */
export class FatalProviderError extends RussoError {}

/** Audio bytes are not in a format russo can read (it reads 16-bit PCM mono WAV). */
export class AudioFormatError extends RussoError {}

/** A synthesizer could not turn a text into speech (unknown voice, engine failure). */
export class SynthesisError extends RussoError {}

/** The message of anything thrown, without a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
