import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../core/retry.js';

/** The config keys of the retry policy that every network provider takes, as JSON Schema properties. */
export const RETRY_CONFIG_SCHEMA = {
  request_timeout_s: {
    type: 'number',
    exclusiveMinimum: 0,
    description: 'Time one attempt may take (default 60).',
  },
  max_attempts: {
    type: 'integer',
    minimum: 1,
    description: `Attempts per call, the first included (default ${DEFAULT_RETRY_POLICY.maxAttempts}).`,
  },
  max_retry_wait_s: {
    type: 'number',
    minimum: 0,
    description: `Total waiting between attempts of one call before it gives up (default ${DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000}).`,
  },
} as const;

/** Reads the RETRY_CONFIG_SCHEMA keys of a provider's config: the policy, and the attempt timeout when set. */
export function retryFromConfig(options: Record<string, unknown>): {
  policy: Partial<RetryPolicy>;
  attemptTimeoutMs?: number;
} {
  const policy: Partial<RetryPolicy> = {};
  if (typeof options.max_attempts === 'number') policy.maxAttempts = options.max_attempts;
  if (typeof options.max_retry_wait_s === 'number') policy.maxTotalWaitMs = options.max_retry_wait_s * 1000;
  return typeof options.request_timeout_s === 'number'
    ? { policy, attemptTimeoutMs: options.request_timeout_s * 1000 }
    : { policy };
}
