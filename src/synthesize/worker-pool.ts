import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SynthesisError } from '../core/errors.js';

/**
 * A small pool of worker threads for synthesis engines whose calls are synchronous (a WASI start,
 * an Emscripten function): run on the main thread they would stall every agent's sockets and skew
 * measured latencies. The worker is plain CommonJS source evaluated by each thread (`eval: true`), so
 * no bundler or TypeScript loader has to find a second entry file. It answers each request it is
 * posted with one message: `{reply}` or `{error}`. One request at a time per worker.
 */

/**
 * Workers a pool starts by default: one core is left to the main thread and the agent under test,
 * and two workers already synthesize a cold suite in seconds (each worker costs ~150 MB of RSS).
 */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

/** What a worker runs: its source, and the data every worker of the pool starts with. */
export interface WorkerSpec {
  source: string;
  workerData: unknown;
}

interface Message<Reply> {
  reply?: Reply;
  error?: string;
}

interface Job<Request, Reply> {
  request: Request;
  settle(outcome: Message<Reply> | Error): void;
}

/** Worker threads that run an engine one request each; idle workers never keep the process alive. */
export class WorkerPool<Request, Reply> {
  private readonly queue: Array<Job<Request, Reply>> = [];
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, Job<Request, Reply>>();
  /** Workers alive or starting. */
  private size = 0;

  /**
   * @param engine names the engine in errors ("Flite failed: …").
   * @param spec is called before each worker starts (e.g. to compile the engine's module once). A spec
   *   it gives at once, not as a promise, starts the worker at once: one that prepare() starts does not
   *   wait for the caller's synchronous work to end.
   */
  constructor(
    private readonly engine: string,
    private readonly spec: () => WorkerSpec | Promise<WorkerSpec>,
    readonly maxWorkers = defaultPoolSize(),
  ) {}

  /** Posts `request` to a free worker and resolves with its reply. On abort it rejects at once; a request already running finishes unheard. */
  run(request: Request, signal?: AbortSignal): Promise<Reply> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const onAbort = () => {
        const queued = this.queue.indexOf(job);
        if (queued >= 0) this.queue.splice(queued, 1);
        job.settle(signal?.reason as Error);
      };
      let settled = false;
      const engine = this.engine;
      const job: Job<Request, Reply> = {
        request,
        settle(outcome) {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          if (outcome instanceof Error) reject(outcome);
          else if (outcome.error !== undefined)
            reject(new SynthesisError(`${engine} failed: ${outcome.error}`));
          else resolve(outcome.reply as Reply);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Starts a worker when none is alive or starting, ahead of the first request. */
  prepare(): void {
    if (this.size === 0) this.spawn();
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop();
      if (worker === undefined) {
        // A worker still starting (one that prepare() started) takes the first waiting job.
        const starting = this.size - this.running.size;
        if (this.size < this.maxWorkers && this.queue.length > starting) this.spawn();
        return;
      }
      const job = this.queue.shift() as Job<Request, Reply>;
      this.running.set(worker, job);
      // A pending promise does not keep Node alive; a busy worker must.
      worker.ref();
      worker.postMessage(job.request);
    }
  }

  private spawn(): void {
    this.size++;
    const failed = (error: Error) => {
      this.size--;
      for (const job of this.queue.splice(0)) job.settle(error);
    };
    let spec: WorkerSpec | Promise<WorkerSpec>;
    try {
      spec = this.spec();
    } catch (error) {
      return failed(error as Error);
    }
    if (spec instanceof Promise) spec.then((ready) => this.start(ready), failed);
    else this.start(spec);
  }

  private start({ source, workerData }: WorkerSpec): void {
    const worker = new Worker(source, {
      eval: true,
      workerData,
      // node:wasi still warns that it is experimental; that line would only confuse russo's users.
      execArgv: ['--disable-warning=ExperimentalWarning'],
    });
    worker.on('message', (message: Message<Reply>) => this.finish(worker, message));
    worker.on('error', (error) => this.lose(worker, error));
    worker.on('exit', (code) => this.lose(worker, new Error(`exited with code ${code}`)));
    // After the listeners: a 'message' listener refs the worker again, and a worker whose job was
    // cancelled before it started would then keep the process alive.
    worker.unref();
    this.idle.push(worker);
    this.dispatch();
  }

  private finish(worker: Worker, message: Message<Reply>): void {
    const job = this.running.get(worker);
    this.running.delete(worker);
    worker.unref();
    this.idle.push(worker);
    job?.settle(message);
    this.dispatch();
  }

  /** A worker crashed or exited: its job fails, and the next dispatch starts a fresh worker. */
  private lose(worker: Worker, error: Error): void {
    const idleAt = this.idle.indexOf(worker);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    else if (!this.running.has(worker)) return; // already counted: 'exit' follows 'error'
    const job = this.running.get(worker);
    this.running.delete(worker);
    this.size--;
    void worker.terminate();
    job?.settle(new SynthesisError(`the ${this.engine} worker stopped: ${error.message}`));
    this.dispatch();
  }
}
