import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from '../../src/core/adaptive-limit.js';
import { runPool } from '../../src/core/pipeline.js';
import type { RunResult } from '../../src/core/types.js';

const repeat = (times: number, action: () => void) => {
  for (let i = 0; i < times; i++) action();
};

describe('AdaptiveLimit', () => {
  it('starts at max and halves after two windows in a row where most requests were throttled', () => {
    const limit = new AdaptiveLimit({ max: 40 });
    const changes: number[] = [];
    limit.onChange((next) => changes.push(next));
    expect(limit.concurrency).toBe(40);
    repeat(40, () => limit.recordThrottle());
    expect(limit.concurrency).toBe(40);
    repeat(40, () => limit.recordThrottle());
    expect(limit.concurrency).toBe(20);
    repeat(40, () => limit.recordThrottle());
    expect(limit.concurrency).toBe(10);
    expect(changes).toEqual([20, 10]);
    expect(limit.lowest).toBe(10);
  });

  it('never goes below min', () => {
    const limit = new AdaptiveLimit({ max: 8, min: 2 });
    repeat(200, () => limit.recordThrottle());
    expect(limit.concurrency).toBe(2);
  });

  it('raises by one per window of successes, never above max', () => {
    const limit = new AdaptiveLimit({ max: 12 });
    repeat(24, () => limit.recordThrottle());
    expect(limit.concurrency).toBe(6);
    repeat(10, () => limit.recordSuccess());
    expect(limit.concurrency).toBe(7);
    repeat(1000, () => limit.recordSuccess());
    expect(limit.concurrency).toBe(12);
    expect(limit.lowest).toBe(6);
  });

  it('does not cut for one window of throttles, such as the burst that comes back first after many starts', () => {
    const limit = new AdaptiveLimit({ max: 20 });
    repeat(20, () => limit.recordThrottle());
    repeat(20, () => limit.recordSuccess());
    repeat(20, () => limit.recordThrottle());
    expect(limit.lowest).toBe(20);
  });

  it('leaves scattered throttles (30%) to the retries: no cut', () => {
    const limit = new AdaptiveLimit({ max: 20 });
    for (let i = 0; i < 1000; i++) {
      if (i % 10 < 3) limit.recordThrottle();
      else limit.recordSuccess();
    }
    expect(limit.lowest).toBe(20);
  });

  it('rejects impossible bounds', () => {
    expect(() => new AdaptiveLimit({ max: 0 })).toThrow(RangeError);
    expect(() => new AdaptiveLimit({ max: 4, min: 5 })).toThrow(RangeError);
    expect(() => new AdaptiveLimit({ max: 4, throttleShare: 1 })).toThrow(RangeError);
  });

  it('stops calling a listener after it unsubscribes', () => {
    const limit = new AdaptiveLimit({ max: 20 });
    const seen: number[] = [];
    const unsubscribe = limit.onChange((next) => seen.push(next));
    repeat(40, () => limit.recordThrottle());
    unsubscribe();
    repeat(20, () => limit.recordThrottle());
    expect(seen).toEqual([10]);
    expect(limit.concurrency).toBe(5);
  });
});

describe('runPool with an AdaptiveLimit', () => {
  const result = (index: number): RunResult => ({
    prompt: `p${index}`,
    runIndex: 0,
    status: 'passed',
    latencyMs: 0,
  });
  const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

  it('lowers the runs in flight on sustained throttles and raises them again as calls succeed', async () => {
    const limiter = new AdaptiveLimit({ max: 8 });
    let inFlight = 0;
    const starts: Array<{ index: number; inFlight: number; limit: number }> = [];
    const tasks = Array.from({ length: 120 }, (_, index) => async () => {
      inFlight++;
      starts.push({ index, inFlight, limit: limiter.concurrency });
      await tick();
      // The first 24 runs are throttled (several requests each), the rest succeed.
      if (index < 24) repeat(3, () => limiter.recordThrottle());
      else repeat(3, () => limiter.recordSuccess());
      inFlight--;
      return result(index);
    });
    const outcome = await runPool({ total: tasks.length, tasks }, { concurrency: 8, limiter });
    expect(outcome.results).toHaveLength(120);
    // Never more in flight than the limit at the time a run started, nor than max.
    for (const start of starts) expect(start.inFlight).toBeLessThanOrEqual(Math.min(start.limit, 8));
    expect(limiter.lowest).toBe(1);
    const peakAfterCut = Math.max(
      ...starts.filter((start) => start.index >= 24 && start.index < 40).map((s) => s.inFlight),
    );
    expect(peakAfterCut).toBeLessThanOrEqual(4);
    expect(limiter.concurrency).toBe(8);
    expect(Math.max(...starts.slice(-20).map((start) => start.inFlight))).toBeGreaterThan(4);
  });

  it('keeps the plain concurrency when no limiter is given', async () => {
    let inFlight = 0;
    let peak = 0;
    const tasks = Array.from({ length: 20 }, (_, index) => async () => {
      peak = Math.max(peak, ++inFlight);
      await tick();
      inFlight--;
      return result(index);
    });
    await runPool({ total: tasks.length, tasks }, { concurrency: 5 });
    expect(peak).toBe(5);
  });
});
