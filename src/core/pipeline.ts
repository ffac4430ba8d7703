import { setImmediate } from 'node:timers';
import type { AdaptiveLimit } from './adaptive-limit.js';
import { AgentError, CancelledError, errorMessage, FatalProviderError, TimeoutError } from './errors.js';
import { redactDeep, type Redact } from './redact.js';
import { summarizeRuns } from './stats.js';
import type {
  Agent,
  AgentResponse,
  BatchResult,
  Evaluator,
  ExpectedCall,
  Progress,
  RunResult,
  Synthesizer,
  ToolResponder,
} from './types.js';

/** Everything one run needs: the prompt is only ever given to the synthesizer, never to the agent. */
export interface RunOptions {
  prompt: string;
  synthesizer: Synthesizer;
  agent: Agent;
  evaluator: Evaluator;
  expect: ExpectedCall[];
  runIndex?: number;
  /** Time allowed for synthesis and the agent together; no limit when absent. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Answers the agent's tool calls (see `respondWith`); absent: agents stop at their first calls. */
  respond?: ToolResponder;
  /** Runs of the batch not started yet, handed to the agent (see AgentRunOptions). */
  upcomingRuns?: () => number;
  /** Removes secrets from the agent's response and the error before they enter the result (see createRedactor). */
  redact?: Redact;
}

/**
 * Speaks one prompt, plays it to the agent and grades its calls. Never throws: a failure of the
 * synthesizer, the agent, a timeout or a cancel becomes a result with status `error`.
 */
export async function run(options: RunOptions): Promise<RunResult> {
  const { prompt, synthesizer, agent, evaluator, expect, runIndex = 0 } = options;
  const started = performance.now();
  const controller = new AbortController();
  // Any abort reads "cancelled", except an AgentError: an agent that failed outside the run (an
  // uncaught exception caught by the suite) is this run's error.
  const onAbort = () =>
    controller.abort(
      options.signal?.reason instanceof AgentError ? options.signal.reason : new CancelledError('cancelled'),
    );
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(
          () =>
            controller.abort(new TimeoutError(`timed out after ${formatSeconds(options.timeoutMs ?? 0)}`)),
          options.timeoutMs,
        );
  let stage = 'synthesize';
  try {
    const audio = await untilAborted(synthesizer.synthesize(prompt, controller.signal), controller.signal);
    stage = 'agent';
    const answer = checkResponse(
      await untilAborted(
        agent.run(audio, {
          signal: controller.signal,
          ...(options.respond ? { respond: options.respond } : {}),
          ...(options.upcomingRuns ? { upcomingRuns: options.upcomingRuns } : {}),
        }),
        controller.signal,
      ),
    );
    // Every string of the answer (text, transcript, call names, arguments and their keys) came from outside.
    const response = options.redact ? redactDeep(answer, options.redact) : answer;
    stage = 'evaluate';
    const evalResult = evaluator.evaluate(expect, response.toolCalls);
    return {
      prompt,
      runIndex,
      status: evalResult.passed ? 'passed' : 'failed',
      evalResult,
      response,
      latencyMs: performance.now() - started,
    };
  } catch (error) {
    const message = `${stage}: ${errorMessage(error)}`;
    return {
      prompt,
      runIndex,
      status: 'error',
      error: options.redact?.(message) ?? message,
      ...(error instanceof FatalProviderError ? { fatal: true } : {}),
      latencyMs: performance.now() - started,
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Options of `runConcurrent`: every prompt is run `runs` times, at most `maxConcurrency` at once. */
export interface RunConcurrentOptions extends Omit<RunOptions, 'prompt' | 'runIndex'> {
  prompts: string[];
  runs?: number;
  maxConcurrency?: number;
  /** Lowers the runs in flight below `maxConcurrency` while providers are throttled (see AdaptiveLimit). */
  limiter?: AdaptiveLimit;
  onProgress?: (progress: Progress) => void;
}

/**
 * Runs every prompt × runs with bounded concurrency and returns every result in input order
 * (prompt by prompt, then run index). A cancel stops scheduling, aborts the runs in flight
 * (recorded as errors) and returns what was run.
 */
export async function runConcurrent(options: RunConcurrentOptions): Promise<BatchResult> {
  const { prompts, runs = 1, maxConcurrency = 8, limiter, onProgress, ...shared } = options;
  if (!Number.isInteger(runs) || runs < 1)
    throw new RangeError(`runs must be a positive integer, got ${runs}`);
  function* tasks(): Generator<PoolTask<RunResult>> {
    for (const prompt of prompts) {
      for (let runIndex = 0; runIndex < runs; runIndex++) {
        yield (signal, upcomingRuns) => run({ ...shared, prompt, runIndex, signal, upcomingRuns });
      }
    }
  }
  const outcome = await runPool(
    { total: prompts.length * runs, tasks: tasks() },
    { concurrency: maxConcurrency, limiter, signal: options.signal, onProgress },
  );
  const results = outcome.results;
  return {
    runs: results,
    summary: summarizeRuns(results),
    prompts: prompts.map((prompt) => ({
      prompt,
      summary: summarizeRuns(results.filter((result) => result.prompt === prompt)),
    })),
    cancelled: outcome.cancelled,
    ...(outcome.stoppedBy ? { stoppedBy: outcome.stoppedBy } : {}),
  };
}

/**
 * One run of a pool: `signal` fires when the pool stops, `upcomingRuns` counts the tasks that have
 * not started yet (0 once the pool stops).
 */
export type PoolTask<T> = (signal: AbortSignal, upcomingRuns: () => number) => Promise<T>;

/**
 * The runs a pool works through: how many there are, and the tasks themselves, pulled one at a time
 * as slots free up (a generator makes each only then, so a long plan costs nothing up front).
 */
export interface PoolTasks<T> {
  total: number;
  tasks: Iterable<PoolTask<T>>;
}

/** Options of the run scheduler. */
export interface PoolOptions {
  /** Runs in flight at most. */
  concurrency: number;
  /** When given, the runs in flight follow its limit (never above `concurrency`). */
  limiter?: AdaptiveLimit;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/** What the scheduler returns: the results of the tasks that started, in task order. */
export interface PoolOutcome<T extends RunResult = RunResult> {
  /** One result per started task; the tasks start in order, so these are the first `results.length`. */
  results: T[];
  /** True when a cancel or a fatal run stopped the pool before every task started. */
  cancelled: boolean;
  /** The error of the fatal run that stopped the pool, if one did. */
  stoppedBy?: string;
}

// Runs that settle at once (an in-process agent, a cached synthesis) chain as microtasks and would
// keep the event loop, and with it Ctrl-C and timers, waiting: yield to it at least this often.
const YIELD_EVERY_MS = 20;

/**
 * Runs tasks with bounded concurrency, one pool for the whole batch or suite: it pulls the next task
 * whenever a slot is free. After the signal fires no task starts; a fatal run (bad key, no quota)
 * stops the pool the same way, and every run that finished is kept.
 */
export function runPool<T extends RunResult>(
  source: PoolTasks<T>,
  options: PoolOptions,
): Promise<PoolOutcome<T>> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
  }
  const { limiter } = options;
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const started = performance.now();
  const progress: Progress = { done: 0, total: source.total, passed: 0, failed: 0, errored: 0, elapsedMs: 0 };
  const pending = source.tasks[Symbol.iterator]();
  const results: T[] = [];
  let stoppedBy: string | undefined;
  let startedTasks = 0;
  let inFlight = 0;
  let exhausted = false;
  let settled = false;
  let lastYield = performance.now();
  const upcomingRuns = () => (stop.signal.aborted ? 0 : source.total - startedTasks);

  const record = (result: T, index: number) => {
    results[index] = result;
    if (result.fatal && stoppedBy === undefined) {
      stoppedBy = result.error;
      stop.abort(new CancelledError(`cancelled: the suite stopped after ${result.error}`));
    }
    progress.done++;
    if (result.status === 'passed') progress.passed++;
    else if (result.status === 'failed') progress.failed++;
    else progress.errored++;
    progress.elapsedMs = performance.now() - started;
    options.onProgress?.({ ...progress });
  };

  return new Promise<PoolOutcome<T>>((resolve, reject) => {
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      unsubscribe?.();
      if (error !== undefined) return reject(error);
      resolve({
        results,
        cancelled: startedTasks < source.total,
        ...(stoppedBy === undefined ? {} : { stoppedBy }),
      });
    };
    // Starts tasks while there is room under the limit (a cut lets the runs in flight finish).
    const fill = () => {
      try {
        const limit = Math.min(options.concurrency, limiter?.concurrency ?? Infinity);
        while (!settled && !exhausted && !stop.signal.aborted && inFlight < limit) {
          const next = pending.next();
          if (next.done) {
            exhausted = true;
            break;
          }
          const index = startedTasks++;
          inFlight++;
          next
            .value(stop.signal, upcomingRuns)
            .then((result) => {
              inFlight--;
              record(result, index);
              afterRun();
            })
            .catch(finish);
        }
        if (inFlight === 0) finish();
      } catch (error) {
        finish(error);
      }
    };
    const afterRun = () => {
      if (performance.now() - lastYield < YIELD_EVERY_MS) return fill();
      setImmediate(() => {
        lastYield = performance.now();
        fill();
      });
    };
    const unsubscribe = limiter?.onChange(() => fill());
    fill();
  });
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts (for agents that ignore it). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Rejects a response that does not have the shape of the contract, naming what is wrong. */
function checkResponse(response: AgentResponse): AgentResponse {
  if (typeof response !== 'object' || response === null || !Array.isArray(response.toolCalls)) {
    throw new TypeError(
      `the agent returned ${JSON.stringify(response)?.slice(0, 200)}, expected {toolCalls: [...]}`,
    );
  }
  for (const call of response.toolCalls) {
    if (typeof call !== 'object' || call === null || typeof call.name !== 'string') {
      throw new TypeError(
        `the agent returned a tool call without a name: ${JSON.stringify(call)?.slice(0, 200)}`,
      );
    }
  }
  return response;
}

function formatSeconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
