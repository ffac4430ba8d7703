import { describe, expect, it } from 'vitest';
import { RetryableError } from '../../src/core/retry.js';
import { classifyError, parseRetryAfter } from '../../src/providers/classify.js';

describe('parseRetryAfter', () => {
  it('reads retry-after-ms first, then retry-after in seconds or as a date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(parseRetryAfter({ 'retry-after': '2' })).toBe(2000);
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
    expect(parseRetryAfter(new Headers())).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('classifyError', () => {
  it('passes a RetryableError status and wait on', () => {
    expect(classifyError(new RetryableError('handshake 429', 429, 100))).toEqual({
      action: 'retry',
      throttled: true,
      retryAfterMs: 100,
    });
    expect(classifyError(new Error('plain'))).toEqual({ action: 'fail' });
  });
});

describe('classifyError on transport failures', () => {
  it('retries a reset connection but stops at once on an untrusted certificate', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(classifyError(new Error('fetch failed', { cause: reset }))).toEqual({
      action: 'retry',
      throttled: false,
    });
    const selfSigned = Object.assign(new Error('self-signed certificate'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    const decision = classifyError(
      Object.assign(new RetryableError('connection failed'), { cause: selfSigned }),
    );
    expect(decision).toMatchObject({ action: 'fatal', hint: expect.stringMatching(/NODE_EXTRA_CA_CERTS/) });
  });
});
