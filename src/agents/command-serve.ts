import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AgentError } from '../core/errors.js';
import { excerpt } from '../core/tool-call.js';
import type { AgentResponse } from '../core/types.js';
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

/** How long `close()` lets a process exit by itself once its stdin has ended, before killing it. */
const STOP_GRACE_MS = 2000;
/** Stdout lines kept that were not an answer, quoted when the process fails. */
const IGNORED_KEPT = 3;

/**
 * Serve mode: a pool of long-lived agent processes, started when first needed, at most `size`.
 * Each answers one request at a time over JSON lines. A process that dies is replaced by the next
 * run that needs one, and only its run in flight fails.
 */
export class ServePool {
  private readonly processes = new Set<ServeProcess>();
  private readonly idle: ServeProcess[] = [];
  private readonly waiting: Array<{ take: (worker: ServeProcess) => void; fail: (error: unknown) => void }> =
    [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly spec: CommandSpec,
    private readonly size: number,
  ) {}

  /** Sends the WAV file to a free process and waits for its answer. */
  async run(wav: Buffer, signal?: AbortSignal): Promise<AgentResponse> {
    const worker = await this.acquire(signal);
    try {
      return await worker.request(String(++this.nextId), wav, signal);
    } finally {
      this.release(worker);
    }
  }

  /** Ends every process: stdin is closed so each can exit cleanly, and its group is killed after a grace period. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.fail(new AgentError('the agent was closed'));
    this.idle.length = 0;
    await Promise.all([...this.processes].map((worker) => worker.stop(STOP_GRACE_MS)));
  }

  private acquire(signal?: AbortSignal): Promise<ServeProcess> {
    if (this.closed) return Promise.reject(new AgentError('the agent was closed'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const idle = this.idle.pop();
    if (idle) return Promise.resolve(idle);
    if (this.processes.size < this.size) return Promise.resolve(this.start());
    return new Promise((resolve, reject) => {
      const waiter = {
        take: (worker: ServeProcess) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(worker);
        },
        fail: reject,
      };
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private release(worker: ServeProcess): void {
    const next = this.waiting.shift();
    if (!worker.alive) {
      if (next) next.take(this.start());
    } else if (next) {
      next.take(worker);
    } else if (!this.closed) {
      this.idle.push(worker);
    }
  }

  private start(): ServeProcess {
    const worker = new ServeProcess(this.spec, () => {
      this.processes.delete(worker);
      const index = this.idle.indexOf(worker);
      if (index !== -1) this.idle.splice(index, 1);
    });
    this.processes.add(worker);
    return worker;
  }
}

/** One long-lived agent process: requests `{"id", "audio"}` on stdin, answers `{"id", "tool_calls", ...}` on stdout. */
class ServeProcess {
  alive = true;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly stderr = new StderrTail();
  private readonly ignored: string[] = [];
  private pending: { id: string; settle: (answer: AgentResponse | Error) => void } | undefined;

  constructor(
    private readonly spec: CommandSpec,
    private readonly onEnd: () => void,
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
    this.child.on('close', (code, signal) =>
      this.end(this.error(`the agent process ${describeExit(code, signal)} before answering`)),
    );
  }

  /** Sends one request and waits for the answer with its id; an abort kills the process. */
  request(id: string, wav: Buffer, signal?: AbortSignal): Promise<AgentResponse> {
    return new Promise<AgentResponse>((resolve, reject) => {
      const onAbort = () => {
        this.pending = undefined;
        this.kill();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending = {
        id,
        settle: (answer) => {
          signal?.removeEventListener('abort', onAbort);
          if (answer instanceof Error) reject(answer);
          else resolve(answer);
        },
      };
      this.child.stdin.write(`${JSON.stringify({ id, audio: wav.toString('base64') })}\n`);
    });
  }

  /** Closes stdin (the agent's cue to exit) and kills the group if it is still there after `graceMs`. */
  stop(graceMs: number): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.kill(), graceMs);
      this.child.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.stdin.end();
    });
  }

  /**
   * Takes a stdout line: the answer to the request in flight, or a line that is not (a log line,
   * another id), which is ignored but kept for the error message should the process fail.
   */
  private onLine(line: string): void {
    let message: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        message = parsed as Record<string, unknown>;
      }
    } catch {
      // Not JSON: handled below with the other lines that are not an answer.
    }
    const pending = this.pending;
    if (pending === undefined || message?.id !== pending.id) {
      if (line.trim() !== '') this.ignored.push(excerpt(line, 120));
      if (this.ignored.length > IGNORED_KEPT) this.ignored.shift();
      return;
    }
    this.pending = undefined;
    if (typeof message.error === 'string') {
      pending.settle(this.error(`the agent answered with an error: ${message.error}`));
      return;
    }
    try {
      pending.settle(parseAnswer(message));
    } catch (error) {
      pending.settle(this.error((error as AgentError).message, (error as AgentError).hint));
    }
  }

  /** An error of this process, with its stderr tail and the stdout lines it printed outside the protocol. */
  private error(message: string, hint?: string): AgentError {
    const ignored =
      this.ignored.length === 0
        ? ''
        : `; stdout lines that were not answers: ${this.ignored.map((line) => JSON.stringify(line)).join(', ')}`;
    return processError(`${message}${ignored}`, this.stderr, hint);
  }

  private kill(): void {
    this.alive = false;
    killGroup(this.child);
    this.onEnd();
  }

  private end(error: AgentError): void {
    const pending = this.pending;
    this.pending = undefined;
    if (this.alive) this.kill();
    pending?.settle(error);
  }
}
