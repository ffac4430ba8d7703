import { describe, expect, it } from 'vitest';
import { retryFromConfig } from '../../src/providers/retry-config.js';

describe('retryFromConfig', () => {
  it('reads max_attempts, max_retry_wait_s and request_timeout_s in seconds', () => {
    expect(retryFromConfig({ max_attempts: 3, max_retry_wait_s: 2.5, request_timeout_s: 10 })).toEqual({
      policy: { maxAttempts: 3, maxTotalWaitMs: 2500 },
      attemptTimeoutMs: 10_000,
    });
    expect(retryFromConfig({ model: 'x' })).toEqual({ policy: {} });
  });
});
