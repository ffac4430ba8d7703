import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AgentError } from '../core/errors.js';
import { excerpt, missingMockMessage, normalizeToolCall } from '../core/tool-call.js';
import type { AgentResponse, ToolCall, ToolExchange, ToolOutcome, ToolResponder } from '../core/types.js';
import {
  describeExit,
  killGroup,
  parseAnswer,
  processError,
  spawnGroup,
  startError,
  StderrTail,
  type CommandSpec,
} from './command-process.js';

/** Stdout lines kept that were not protocol messages, quoted when the process fails. */
const IGNORED_KEPT = 3;

/** What a protocol line error tells the user to print. */
const LINE_HINT =
  'print one JSON object per line on stdout, each with the "id" of the request in flight, and log anywhere else (stderr) or in lines that do not start with "{" (see docs/command-agent.md)';

/** Keys that make a JSON line a protocol message even when its `id` is missing. */
const MESSAGE_KEYS = ['tool_calls', 'tool_call', 'error', 'text', 'transcript'];

/** Where a request belongs: absent for a one-turn run; a conversation's id and the turn (0-based). */
export interface RequestPlace {
  conversation?: string;
  turn?: number;
}

interface Pending {
  id: string;
  place: RequestPlace;
  respond: ToolResponder | undefined;
  /** Calls the program reported one by one (`tool_call` lines) during this request. */
  reported: ToolCall[];
  exchanges: ToolExchange[];
  settle: (answer: AgentResponse | Error) => void;
}

/**
 * One long-lived agent process speaking JSON lines, one request at a time: `{"id", "audio"}` in
 * (with `conversation` and `turn` for a turn of a conversation), then any number of
 * `{"id", "tool_call"}` lines that russo answers with `{"id", "tool_result" | "tool_error"}`, and
 * the answer `{"id", "tool_calls", "transcript", "text"}` (or `{"id", "error"}`) out. A serve-mode
 * process of the pool, or the one process of a spawn-mode conversation.
 */
export class LineProcess {
  alive = true;
  /** The error that ended the process (exit, kill, protocol violation), once it has ended. */
  ended: AgentError | undefined;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly stderr = new StderrTail();
  private readonly ignored: string[] = [];
  private requests = 0;
  private pending: Pending | undefined;

  /**
   * @param onEnd called once when the process ends (exit, kill), so a pool can forget it
   * @param deathHint added to the error of a process that dies before its first answer
   */
  constructor(
    private readonly spec: CommandSpec,
    private readonly onEnd: () => void = () => undefined,
    private readonly deathHint?: string,
  ) {
    this.child = spawnGroup(spec);
    this.child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    createInterface({ input: this.child.stdout, crlfDelay: Infinity }).on('line', (line) =>
      this.onLine(line),
    );
    this.child.on('error', (error) => this.end(startError(spec.argv, error)));
    // Kill what the agent left behind, whose open pipes would hold `close` back; `close` comes after the
    // last stdout line, so an answer printed just before exiting still counts.
    this.child.on('exit', () => killGroup(this.child));
    this.child.on('close', (code, signal) => this.end(this.deathError(describeExit(code, signal))));
  }

  /**
   * Sends one request and waits for its answer, answering the tool calls the program reports on the
   * way with `respond` (without it, each call is told that no result is mocked). An abort kills the
   * process.
   */
  request(
    wav: Buffer,
    place: RequestPlace,
    respond: ToolResponder | undefined,
    signal?: AbortSignal,
  ): Promise<AgentResponse> {
    if (this.ended) return Promise.reject(this.ended);
    if (this.pending) return Promise.reject(new AgentError('the agent process is busy with another request'));
    return new Promise<AgentResponse>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.pending = undefined;
        this.kill(new AgentError('the agent process was stopped (timeout or cancel)'));
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const id = String(++this.requests);
      this.pending = {
        id,
        place,
        respond,
        reported: [],
        exchanges: [],
        settle: (answer) => {
          signal?.removeEventListener('abort', onAbort);
          if (answer instanceof Error) reject(answer);
          else resolve(answer);
        },
      };
      this.send({ id, ...place, audio: wav.toString('base64') });
    });
  }

  /** Closes stdin (the agent's cue to exit) and kills the group if it is still there after `graceMs`. */
  stop(graceMs: number): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => this.kill(new AgentError('the agent process did not exit when its stdin closed')),
        graceMs,
      );
      this.child.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.stdin.end();
    });
  }

  /**
   * Takes a stdout line. A line that does not start with `{` is a log line: ignored, but kept for the
   * error message should the process fail. A line that does is a protocol message: it must be a
   * JSON object with the id of the request in flight (JSON logs without an id and without protocol
   * keys are let through as logs); anything else fails the request at once, quoting the line.
   */
  private onLine(line: string): void {
    const pending = this.pending;
    if (pending === undefined || !line.trimStart().startsWith('{')) return this.keep(line);
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return this.violation(`the agent printed a line that is not valid JSON: ${excerpt(line)}`);
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return this.keep(line);
    if (!('id' in message)) {
      if (!MESSAGE_KEYS.some((key) => key in message)) return this.keep(line);
      return this.violation(`the agent printed a message without an "id": ${excerpt(line)}`);
    }
    if (message.id !== pending.id) {
      return this.violation(
        `the agent answered request ${JSON.stringify(message.id)}, but the request in flight is "${pending.id}": ${excerpt(line)}`,
      );
    }
    if ('tool_call' in message) return this.answerToolCall(pending, message.tool_call, line);
    this.pending = undefined;
    if (message.error !== undefined) {
      const reason = typeof message.error === 'string' ? message.error : JSON.stringify(message.error);
      pending.settle(this.error(`the agent answered with an error: ${reason}`));
      return;
    }
    try {
      const response = parseAnswer(message, pending.reported);
      pending.settle(
        pending.exchanges.length > 0 ? { ...response, toolResults: pending.exchanges } : response,
      );
    } catch (error) {
      pending.settle(this.error((error as AgentError).message, (error as AgentError).hint));
    }
  }

  /** Answers a reported tool call with its mocked outcome and records the exchange. */
  private answerToolCall(pending: Pending, raw: unknown, line: string): void {
    const entry = raw as Record<string, unknown> | null;
    if (typeof entry !== 'object' || entry === null || typeof entry.name !== 'string') {
      return this.violation(`the agent reported a "tool_call" without a "name": ${excerpt(line)}`);
    }
    const call = normalizeToolCall(entry.name, entry.arguments);
    let outcome: ToolOutcome;
    try {
      outcome = pending.respond ? pending.respond(call) : { missing: missingMockMessage(call.name) };
    } catch (error) {
      return this.violation(`cannot answer the tool call ${call.name}: ${(error as Error).message}`);
    }
    pending.reported.push(call);
    pending.exchanges.push({ call, outcome });
    this.send({
      id: pending.id,
      ...('call_id' in entry ? { call_id: entry.call_id } : {}),
      ...('result' in outcome
        ? { tool_result: outcome.result ?? null }
        : { tool_error: 'error' in outcome ? (outcome.error ?? null) : outcome.missing }),
    });
  }

  private send(message: Record<string, unknown>): void {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private keep(line: string): void {
    if (line.trim() === '') return;
    this.ignored.push(excerpt(line, 120));
    if (this.ignored.length > IGNORED_KEPT) this.ignored.shift();
  }

  /**
   * A line that breaks the protocol: the request in flight fails with the line quoted, and the
   * process, whose state is unknown now, is killed (a pool replaces it).
   */
  private violation(message: string): void {
    const error = this.error(message, LINE_HINT);
    const pending = this.pending;
    this.pending = undefined;
    this.kill(error);
    pending?.settle(error);
  }

  /** The error of a process that ended while a request was in flight, or between requests. */
  private deathError(how: string): AgentError {
    const turn = this.pending?.place.turn;
    const when =
      this.pending === undefined
        ? ''
        : turn === undefined
          ? ' before answering'
          : ` before answering turn ${turn + 1}`;
    const hint = this.requests <= 1 ? this.deathHint : undefined;
    return this.error(`the agent process ${how}${when}`, hint);
  }

  /** An error of this process, with its stderr tail and the stdout lines it printed outside the protocol. */
  private error(message: string, hint?: string): AgentError {
    const ignored =
      this.ignored.length === 0
        ? ''
        : `; stdout lines that were not answers: ${this.ignored.map((line) => JSON.stringify(line)).join(', ')}`;
    return processError(`${message}${ignored}`, this.stderr, hint);
  }

  /** Kills the process group at once; `reason` is what later requests are told. */
  kill(reason: AgentError): void {
    if (!this.alive) return;
    this.alive = false;
    this.ended = reason;
    killGroup(this.child);
    this.onEnd();
  }

  private end(error: AgentError): void {
    const pending = this.pending;
    this.pending = undefined;
    this.kill(error);
    pending?.settle(error);
  }
}
