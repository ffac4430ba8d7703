// WorkerPool.prepare(): a worker started ahead of the first request, which that request then uses.
import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../src/synthesize/worker-pool.js';

// Answers each request with the id of the thread that ran it.
const SOURCE = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', () => parentPort.postMessage({ reply: threadId }));`;

/** A pool of at most `max` workers that counts the workers it starts. */
function pool(max: number) {
  const started = { count: 0 };
  const workers = new WorkerPool<null, number>(
    'Echo',
    async () => {
      started.count++;
      return { source: SOURCE, workerData: null };
    },
    max,
  );
  return { workers, started };
}

describe('WorkerPool.prepare', () => {
  it('starts a worker before any request, and the first requests run on it', async () => {
    const { workers, started } = pool(2);
    workers.prepare();
    workers.prepare();
    expect(started.count).toBe(1);
    const first = await workers.run(null);
    expect(await workers.run(null)).toBe(first);
    expect(started.count).toBe(1);
  });

  it('starts nothing without it until the first request', async () => {
    const { workers, started } = pool(2);
    expect(started.count).toBe(0);
    await workers.run(null);
    expect(started.count).toBe(1);
    // With a worker alive, prepare starts no other.
    workers.prepare();
    expect(started.count).toBe(1);
  });
});
