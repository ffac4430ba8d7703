import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from '../../src/core/adaptive-limit.js';
import { CancelledError, FatalProviderError } from '../../src/core/errors.js';
import {
  DEFAULT_RETRY_POLICY,
  nextDelay,
  RetriesExhaustedError,
  RetryableError,
  withRetry as retryWith,
  type RetryOptions,
} from '../../src/core/retry.js';
import { createProviderStats } from '../../src/core/provider.js';
import { classifyError } from '../../src/providers/classify.js';

/** withRetry with the HTTP classification that network providers use, unless a test gives another. */
function withRetry<T>(
  attempt: Parameters<typeof retryWith<T>>[0],
  options: Omit<RetryOptions, 'classify'> & Partial<Pick<RetryOptions, 'classify'>>,
): Promise<T> {
  return retryWith(attempt, { classify: classifyError, ...options });
}

/** An error shaped like the SDKs' HTTP errors. */
function httpError(status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${status} from the server`), { status, headers: new Headers(), ...extra });
}

/** An attempt function that fails with `errors` in turn, then returns 'ok'; it counts its calls. */
function failing(...errors: unknown[]) {
  const attempt = async () => {
    attempt.calls++;
    const error = errors[attempt.calls - 1];
    if (error !== undefined) throw error;
    return 'ok';
  };
  attempt.calls = 0;
  return attempt;
}

const fast = { baseDelayMs: 1, maxDelayMs: 4 };
const repeat = (times: number, action: () => void) => {
  for (let i = 0; i < times; i++) action();
};

describe('withRetry', () => {
  it('retries a 429 after the retry-after-ms the server asked for, and counts it', async () => {
    const stats = createProviderStats();
    const headers = new Headers({ 'retry-after-ms': '60' });
    const attempt = failing(httpError(429, { headers }));
    const started = performance.now();
    await expect(withRetry(attempt, { what: 'speech', stats, policy: fast, random: () => 0 })).resolves.toBe(
      'ok',
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(attempt.calls).toBe(2);
    expect(stats).toMatchObject({ requests: 2, retries: 1, throttles: 1 });
  });

  it('retries 500, 502, 503, 504, 408 and dropped connections, without calling them throttles', async () => {
    const reset = Object.assign(new TypeError('terminated'), {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    const attempt = failing(
      httpError(500),
      httpError(502),
      httpError(503),
      httpError(504),
      httpError(408),
      reset,
      new RetryableError('socket closed'),
    );
    const stats = createProviderStats();
    await expect(withRetry(attempt, { what: 'chat', stats, policy: fast })).resolves.toBe('ok');
    expect(attempt.calls).toBe(8);
    expect(stats).toMatchObject({ retries: 7, throttles: 0 });
  });

  it.each([400, 401, 403, 404])('never retries %i: it is fatal, with a hint', async (status) => {
    const attempt = failing(httpError(status));
    const error = await withRetry(attempt, { what: 'speech', policy: fast }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalProviderError);
    expect((error as FatalProviderError).hint).toBeTruthy();
    expect(attempt.calls).toBe(1);
  });

  it('never retries a 429 insufficient_quota: it is fatal and says to add credit', async () => {
    const attempt = failing(httpError(429, { code: 'insufficient_quota' }));
    const error = (await withRetry(attempt, { what: 'chat', policy: fast }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(FatalProviderError);
    expect((error as FatalProviderError).hint).toMatch(/quota/);
    expect(attempt.calls).toBe(1);
  });

  it('rethrows other errors as they are, at once', async () => {
    const unprocessable = httpError(422);
    const attempt = failing(unprocessable);
    await expect(withRetry(attempt, { what: 'chat', policy: fast })).rejects.toBe(unprocessable);
    expect(attempt.calls).toBe(1);
  });

  it('gives up after maxAttempts with a message that says how often it tried', async () => {
    const attempt = failing(...Array.from({ length: 10 }, () => httpError(503)));
    const error = (await withRetry(attempt, { what: 'speech', policy: { ...fast, maxAttempts: 3 } }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.message).toMatch(/^speech failed after 3 attempts .*503 from the server/);
    expect(attempt.calls).toBe(3);
  });

  it('gives up at once when the next wait would pass the total wait budget', async () => {
    const headers = new Headers({ 'retry-after': '30' });
    const attempt = failing(httpError(429, { headers }));
    const started = performance.now();
    const error = (await withRetry(attempt, { what: 'chat', policy: { maxTotalWaitMs: 1000 } }).catch(
      (e: unknown) => e,
    )) as RetriesExhaustedError;
    expect(performance.now() - started).toBeLessThan(10_000); // not the 30 s the server asked for
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.hint).toMatch(/lower the concurrency/);
  });

  it('stops waiting when the signal aborts, and throws its reason', async () => {
    const controller = new AbortController();
    const headers = new Headers({ 'retry-after': '10' });
    const attempt = failing(httpError(429, { headers }));
    setTimeout(() => controller.abort(new CancelledError('cancelled')), 20);
    const started = performance.now();
    await expect(withRetry(attempt, { what: 'chat', signal: controller.signal })).rejects.toBeInstanceOf(
      CancelledError,
    );
    expect(performance.now() - started).toBeLessThan(5_000); // not the 10 s the server asked for
    expect(attempt.calls).toBe(1);
  });

  it('does not retry an attempt that failed because the run was aborted', async () => {
    const controller = new AbortController();
    const attempt = async () => {
      controller.abort(new CancelledError('cancelled'));
      throw httpError(503);
    };
    await expect(withRetry(attempt, { what: 'chat', signal: controller.signal })).rejects.toBeInstanceOf(
      CancelledError,
    );
  });

  it('aborts an attempt past attemptTimeoutMs and retries it', async () => {
    let calls = 0;
    const attempt = (signal: AbortSignal) =>
      new Promise<string>((resolve, reject) => {
        if (++calls > 1) return resolve('ok');
        signal.addEventListener('abort', () => reject(new Error('aborted by its deadline')));
      });
    const stats = createProviderStats();
    const started = performance.now();
    await expect(
      withRetry(attempt, { what: 'speech', attemptTimeoutMs: 50, stats, policy: fast }),
    ).resolves.toBe('ok');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it('tells the limiter of throttles and successes', async () => {
    const limiter = new AdaptiveLimit({ max: 2, minWindow: 2 });
    const attempt = failing(...Array.from({ length: 4 }, () => httpError(429)));
    await withRetry(attempt, { what: 'chat', limiter, policy: fast });
    // Two windows of two throttles: cut to 1. Then one success: its window of two is not full yet.
    expect(limiter.concurrency).toBe(1);
    repeat(2, () => limiter.recordSuccess());
    expect(limiter.concurrency).toBe(2);
  });

  it('cleans messages with `redact` before they are thrown', async () => {
    const attempt = failing(httpError(401, { message: 'bad key sk-secret123' }));
    const error = (await withRetry(attempt, {
      what: 'chat',
      redact: (message) => message.replace('sk-secret123', '[redacted]'),
    }).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('sk-secret123');
  });
});

describe('nextDelay', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };

  it('draws from 0 to an exponential ceiling that is capped (full jitter)', () => {
    expect(nextDelay(undefined, 1, policy, () => 0.999)).toBeCloseTo(99.9);
    expect(nextDelay(undefined, 3, policy, () => 0.5)).toBe(200);
    expect(nextDelay(undefined, 10, policy, () => 0.5)).toBe(500);
    expect(nextDelay(undefined, 4, policy, () => 0)).toBe(0);
  });

  it('honours retry-after, spread by at most 20%', () => {
    expect(nextDelay(2000, 1, policy, () => 0)).toBe(2000);
    expect(nextDelay(2000, 1, policy, () => 0.999)).toBeLessThan(2400);
  });
});
