import { setImmediate } from 'node:timers';
import type { AdaptiveLimit } from './adaptive-limit.js';
import { AgentError, CancelledError, errorMessage, FatalProviderError, TimeoutError } from './errors.js';
import { redactDeep, type Redact } from './redact.js';
import { summarizeRuns } from './stats.js';
import type {
  Agent,
  AgentConversation,
  AgentResponse,
  Audio,
  BatchResult,
  CallMatch,
  EvalResult,
  Evaluator,
  ExpectedCall,
  Progress,
  RunResult,
  Synthesizer,
  ToolResponder,
  TurnGrader,
  TurnResult,
} from './types.js';

/** What a run plays with, whatever it plays: one prompt (`run`) or a conversation (`runConversation`). */
export interface PlayOptions {
  synthesizer: Synthesizer;
  agent: Agent;
  runIndex?: number;
  /** Time allowed for the whole run (every turn of a conversation), synthesis included; no limit when absent. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Answers the agent's tool calls (see `respondWith`, `compileToolResults`); absent: agents stop
   * at their first calls.
   */
  respond?: ToolResponder;
  /** Runs of the batch not started yet, handed to the agent (see AgentRunOptions). */
  upcomingRuns?: () => number;
  /** Removes secrets from the agent's responses and the errors before they enter the result (see createRedactor). */
  redact?: Redact;
}

/** Everything one run needs: the prompt is only ever given to the synthesizer, never to the agent. */
export interface RunOptions extends PlayOptions {
  prompt: string;
  evaluator: Evaluator;
  expect: ExpectedCall[];
}

/**
 * Speaks one prompt, plays it to the agent and grades its calls. Never throws: a failure of the
 * synthesizer, the agent, a timeout or a cancel becomes a result with status `error`.
 */
export async function run(options: RunOptions): Promise<RunResult> {
  const { prompt, synthesizer, agent, evaluator, expect, runIndex = 0 } = options;
  const started = performance.now();
  const { signal, dispose } = runSignal(options.signal, options.timeoutMs);
  let stage = 'synthesize';
  try {
    const audio = await untilAborted(synthesizer.synthesize(prompt, signal), signal);
    stage = 'agent';
    const answer = checkResponse(
      await untilAborted(
        agent.run(audio, {
          signal,
          ...(options.respond ? { respond: options.respond } : {}),
          ...(options.upcomingRuns ? { upcomingRuns: options.upcomingRuns } : {}),
        }),
        signal,
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
    dispose();
  }
}

/**
 * The signal of one run: it fires on the caller's signal (read "cancelled", unless the reason is an
 * AgentError: an agent that failed outside the run, caught by the suite, is this run's error) and
 * when the run's time is up. `dispose` lets go of both.
 */
function runSignal(
  outer: AbortSignal | undefined,
  timeoutMs: number | undefined,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onAbort = () =>
    controller.abort(outer?.reason instanceof AgentError ? outer.reason : new CancelledError('cancelled'));
  if (outer?.aborted) onAbort();
  outer?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(
          () => controller.abort(new TimeoutError(`timed out after ${formatSeconds(timeoutMs)}`)),
          timeoutMs,
        );
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/** One caller turn of a conversation run: what the caller says, and how the agent's answer is graded. */
export interface ConversationTurn {
  say: string;
  /** Grades the turn's calls and reply (evaluate/turn.ts's TurnEvaluator). */
  grader: TurnGrader;
}

/**
 * Everything one conversation run needs, with an agent that converses (`agent.converse`): the
 * turns' text is only ever given to the synthesizer.
 */
export interface RunConversationOptions extends PlayOptions {
  turns: ConversationTurn[];
}

/**
 * Plays one conversation: one session of the agent (`converse`), then turn by turn the caller's
 * `say` spoken, played, and graded by the turn's grader. A turn that fails does not stop the
 * conversation; a turn that errors (the session died, a timeout, a cancel) ends it, and the turns
 * after it are `skipped`. The session is always closed. Rejects only when given no turn; anything
 * else ends in the result: the turns, the merged response and verdict (each failure with its turn),
 * and the status of the worst turn.
 */
export async function runConversation(options: RunConversationOptions): Promise<RunResult> {
  const { turns, synthesizer, agent, runIndex = 0 } = options;
  if (turns.length === 0) throw new RangeError('a conversation needs at least one turn');
  const started = performance.now();
  const { signal, dispose } = runSignal(options.signal, options.timeoutMs);
  const played: TurnResult[] = [];
  let opening: Promise<AgentConversation> | undefined;
  let session: AgentConversation | undefined;
  let failure: { error: string; fatal: boolean } | undefined;
  // The next turn is spoken while the agent answers this one: at most one synthesis ahead.
  const speak = (index: number): Promise<Audio> => {
    const audio = synthesizer.synthesize((turns[index] as ConversationTurn).say, signal);
    audio.catch(() => undefined);
    return audio;
  };
  let nextAudio = speak(0);
  try {
    for (const [index, { say, grader }] of turns.entries()) {
      const turnStarted = performance.now();
      let stage = 'synthesize';
      let response: AgentResponse | undefined;
      try {
        const audio = await untilAborted(nextAudio, signal);
        if (index + 1 < turns.length) nextAudio = speak(index + 1);
        stage = 'agent';
        if (!agent.converse)
          throw new AgentError(`${agent.id} cannot hold a conversation: it has no converse()`);
        opening ??= agent.converse({
          signal,
          ...(options.upcomingRuns ? { upcomingRuns: options.upcomingRuns } : {}),
        });
        session ??= await untilAborted(opening, signal);
        const answer = checkResponse(
          await untilAborted(
            session.turn(audio, { signal, ...(options.respond ? { respond: options.respond } : {}) }),
            signal,
          ),
        );
        response = options.redact ? redactDeep(answer, options.redact) : answer;
        stage = 'evaluate';
        const graded = grader.grade(response, { index, say, signal });
        const evalResult = graded instanceof Promise ? await untilAborted(graded, signal) : graded;
        played.push({
          index,
          say,
          status: evalResult.passed ? 'passed' : 'failed',
          response,
          evalResult,
          latencyMs: performance.now() - turnStarted,
        });
      } catch (error) {
        const raw = `${stage}: ${errorMessage(error)}`;
        const message = options.redact?.(raw) ?? raw;
        played.push({
          index,
          say,
          status: 'error',
          ...(response ? { response } : {}),
          error: message,
          latencyMs: performance.now() - turnStarted,
        });
        failure = { error: `turn ${index + 1}: ${message}`, fatal: error instanceof FatalProviderError };
        break;
      }
    }
  } finally {
    dispose();
    if (session) await session.close().catch(() => undefined);
    // A session that opened after the run gave up on it is closed when it arrives.
    else void opening?.then((late) => late.close()).catch(() => undefined);
  }
  const results: TurnResult[] = turns.map(
    ({ say }, index) => played[index] ?? { index, say, status: 'skipped', latencyMs: 0 },
  );
  const response = mergeResponses(results);
  const base = {
    prompt: turns[0]?.say ?? '',
    runIndex,
    ...(response ? { response } : {}),
    latencyMs: performance.now() - started,
    turns: results,
  };
  if (failure) {
    return { ...base, status: 'error', error: failure.error, ...(failure.fatal ? { fatal: true } : {}) };
  }
  const evalResult = mergeVerdicts(results);
  return { ...base, status: evalResult.passed ? 'passed' : 'failed', evalResult };
}

/**
 * The response of a conversation as one: every call and tool result in order, the last turn's reply
 * and transcript, the usage added up; undefined when no turn got an answer.
 */
function mergeResponses(turns: readonly TurnResult[]): AgentResponse | undefined {
  const answered = turns.flatMap((turn) => (turn.response ? [turn.response] : []));
  const last = answered[answered.length - 1];
  if (last === undefined) return undefined;
  const toolResults = answered.flatMap((response) => response.toolResults ?? []);
  const usage: Record<string, number> = {};
  for (const response of answered) {
    for (const [key, value] of Object.entries(response.usage ?? {})) usage[key] = (usage[key] ?? 0) + value;
  }
  return {
    toolCalls: answered.flatMap((response) => response.toolCalls),
    ...(last.transcript === undefined ? {} : { transcript: last.transcript }),
    ...(last.text === undefined ? {} : { text: last.text }),
    ...(last.replyAudioOnly ? { replyAudioOnly: true } : {}),
    ...(toolResults.length > 0 ? { toolResults } : {}),
    ...(Object.keys(usage).length > 0 ? { usage } : {}),
  };
}

/**
 * The verdict of a conversation whose every turn was graded: passed when every turn passed; the
 * match rate is the mean of the turns'; calls, extra and forbidden calls in turn order (`actualIndex`
 * into the merged calls); every failure with its turn and a `turn N: ` prefix, in turn order.
 */
export function mergeVerdicts(turns: readonly TurnResult[]): EvalResult {
  const verdicts = turns.map((turn) => turn.evalResult as EvalResult);
  const calls: CallMatch[] = [];
  let offset = 0;
  turns.forEach((turn, index) => {
    for (const match of (verdicts[index] as EvalResult).calls) {
      calls.push(
        match.actualIndex === undefined ? match : { ...match, actualIndex: match.actualIndex + offset },
      );
    }
    offset += turn.response?.toolCalls.length ?? 0;
  });
  const failures = verdicts.flatMap((verdict, index) =>
    verdict.failures.map((failure) => ({
      ...failure,
      turn: index,
      message: `turn ${index + 1}: ${failure.message}`,
    })),
  );
  return {
    passed: verdicts.every((verdict) => verdict.passed),
    matchRate: verdicts.reduce((sum, verdict) => sum + verdict.matchRate, 0) / verdicts.length,
    calls,
    extra: verdicts.flatMap((verdict) => verdict.extra),
    forbidden: verdicts.flatMap((verdict) => verdict.forbidden),
    failures,
  };
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
