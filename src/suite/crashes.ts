import { AgentError, errorMessage } from '../core/errors.js';

/**
 * While a suite runs, an error thrown outside every awaited call (a `module` agent's timer, a
 * promise nobody awaits) would end the process and lose every run that finished. The guard
 * catches `uncaughtException` and `unhandledRejection` instead and fails the runs in flight with
 * that error: the suite goes on and is reported. `dispose()` hands the process its own handling back.
 */
export class CrashGuard {
  private readonly inFlight = new Set<AbortController>();

  private readonly onUncaught = (error: unknown) => this.fail('uncaught exception', error);
  private readonly onUnhandled = (error: unknown) => this.fail('unhandled promise rejection', error);

  constructor() {
    process.on('uncaughtException', this.onUncaught);
    process.on('unhandledRejection', this.onUnhandled);
  }

  /** Runs one task with a signal that fires when `signal` does, or when something crashes while it is in flight. */
  async run<T>(signal: AbortSignal, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const forward = () => controller.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward, { once: true });
    this.inFlight.add(controller);
    try {
      return await task(controller.signal);
    } finally {
      this.inFlight.delete(controller);
      signal.removeEventListener('abort', forward);
    }
  }

  /** Stops catching: from now on such errors end the process as usual. */
  dispose(): void {
    process.off('uncaughtException', this.onUncaught);
    process.off('unhandledRejection', this.onUnhandled);
  }

  private fail(kind: string, error: unknown): void {
    // An AgentError reason is what a run reports as its error (see `run` in core/pipeline.ts).
    const reason = new AgentError(`${kind} while this run was in flight: ${errorMessage(error)}`);
    if (this.inFlight.size === 0) {
      process.emitWarning(`russo: ${kind} while no run was in flight: ${errorMessage(error)}`);
      return;
    }
    for (const controller of this.inFlight) controller.abort(reason);
  }
}
