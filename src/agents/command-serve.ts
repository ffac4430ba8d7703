import { AgentError } from '../core/errors.js';
import type { AgentResponse, ToolResponder } from '../core/types.js';
import { LineProcess } from './command-lines.js';
import type { CommandSpec } from './command-process.js';

/** How long `close()` lets a process exit by itself once its stdin has ended, before killing it. */
export const STOP_GRACE_MS = 2000;

/**
 * Serve mode: a pool of long-lived agent processes, started when first needed, at most `size`.
 * Each answers one request at a time over JSON lines (LineProcess). A one-turn run takes a process
 * for one request; a conversation holds one for its whole length, so the program may keep the
 * dialog in memory. A process that dies is replaced by the next run that needs one, and only its
 * run in flight fails.
 */
export class ServePool {
  private readonly processes = new Set<LineProcess>();
  private readonly idle: LineProcess[] = [];
  private readonly waiting: Array<{ take: (worker: LineProcess) => void; fail: (error: unknown) => void }> =
    [];
  private closed = false;

  constructor(
    private readonly spec: CommandSpec,
    private readonly size: number,
  ) {}

  /** Sends the WAV file to a free process and waits for its answer. */
  async run(wav: Buffer, respond: ToolResponder | undefined, signal?: AbortSignal): Promise<AgentResponse> {
    const worker = await this.acquire(signal);
    try {
      return await worker.request(wav, {}, respond, signal);
    } finally {
      this.release(worker);
    }
  }

  /** Takes a free process (starting one, or waiting for one) until `release`. */
  acquire(signal?: AbortSignal): Promise<LineProcess> {
    if (this.closed) return Promise.reject(new AgentError('the agent was closed'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const idle = this.idle.pop();
    if (idle) return Promise.resolve(idle);
    if (this.processes.size < this.size) return Promise.resolve(this.start());
    return new Promise((resolve, reject) => {
      const waiter = {
        take: (worker: LineProcess) => {
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

  /** Gives a process back: to the next run waiting, else to the idle ones; a dead one is replaced. */
  release(worker: LineProcess): void {
    const next = this.waiting.shift();
    if (!worker.alive) {
      if (next) next.take(this.start());
    } else if (next) {
      next.take(worker);
    } else if (!this.closed) {
      this.idle.push(worker);
    }
  }

  /** Ends every process: stdin is closed so each can exit cleanly, and its group is killed after a grace period. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.fail(new AgentError('the agent was closed'));
    this.idle.length = 0;
    await Promise.all([...this.processes].map((worker) => worker.stop(STOP_GRACE_MS)));
  }

  private start(): LineProcess {
    const worker = new LineProcess(this.spec, () => {
      this.processes.delete(worker);
      const index = this.idle.indexOf(worker);
      if (index !== -1) this.idle.splice(index, 1);
    });
    this.processes.add(worker);
    return worker;
  }
}
