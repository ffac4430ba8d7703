import { RetryableError, type RetryDecision } from '../core/retry.js';

/**
 * How the failures of network providers are read: HTTP statuses, `retry-after` headers, Node's and
 * undici's network codes, certificate failures, and OpenAI-compatible quota errors. Each vendor's
 * client adds its own rules on top of `classifyError`.
 */

// Network failures that another attempt may get past (Node and undici codes).
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);
// Certificate failures: the same on every attempt, and on every run.
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const FATAL_HINTS: Readonly<Record<number, string>> = {
  400: 'the provider rejected the request itself: check the model, the tool definitions and the other provider options',
  401: 'the API key was rejected: check that the key in the environment (or the Action input) is current',
  403: 'the key may not use this model or endpoint: check the project and organisation of the key',
  404: 'the model or endpoint does not exist: check `model` and `base_url`',
};

/**
 * The default classification, for errors shaped like the provider SDKs' (`status`, `headers`,
 * `code`, `name`) and Node's network errors: 429/408/5xx and dropped connections are retried,
 * 400/401/403/404 and 429 `insufficient_quota` are fatal, anything else fails the run.
 */
export function classifyError(error: unknown): RetryDecision {
  const status = statusOf(error);
  if (status === 429 && isQuotaError(error)) {
    return {
      action: 'fatal',
      hint: 'the account has no quota left: add credit or raise the limit in the provider console, then run again',
    };
  }
  if (status !== undefined && FATAL_HINTS[status] !== undefined) {
    return { action: 'fatal', hint: FATAL_HINTS[status] };
  }
  if (status !== undefined && RETRY_STATUS.has(status)) {
    const retryAfterMs = retryAfterOf(error);
    return {
      action: 'retry',
      throttled: status === 429,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (
    status === undefined &&
    causeCodes(error).some((code) => CERTIFICATE_CODES.has(code) || code.startsWith('CERT_'))
  ) {
    return {
      action: 'fatal',
      hint: "the server's TLS certificate is not trusted: check `base_url`, or trust its CA with NODE_EXTRA_CA_CERTS",
    };
  }
  if (status === undefined && isTransient(error)) return { action: 'retry', throttled: false };
  return { action: 'fail' };
}

/**
 * The wait a server asked for, in ms, from `retry-after-ms` (ms) or `retry-after` (seconds or an
 * HTTP date). Headers may be a fetch `Headers` or a plain object (Node's IncomingMessage).
 */
export function parseRetryAfter(headers: unknown, now = Date.now()): number | undefined {
  const milliseconds = Number.parseFloat(headerOf(headers, 'retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headerOf(headers, 'retry-after');
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function retryAfterOf(error: unknown): number | undefined {
  const { retryAfterMs, headers } = (error ?? {}) as { retryAfterMs?: unknown; headers?: unknown };
  return typeof retryAfterMs === 'number' ? retryAfterMs : parseRetryAfter(headers);
}

/** True for a 429 that says the account is out of quota (OpenAI: code or type `insufficient_quota`). */
function isQuotaError(error: unknown): boolean {
  const { code, type } = (error ?? {}) as { code?: unknown; type?: unknown };
  return code === 'insufficient_quota' || type === 'insufficient_quota';
}

/** True for a RetryableError or a transient network code anywhere in the `cause` chain. */
function isTransient(error: unknown): boolean {
  return causeChain(error).some(
    (current) =>
      current instanceof RetryableError || TRANSIENT_CODES.has(String((current as { code?: unknown }).code)),
  );
}

/** The error and its causes, at most five deep. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < 5; current = (current as { cause?: unknown }).cause) {
    chain.push(current);
  }
  return chain;
}

/** The string `code`s along the cause chain. */
function causeCodes(error: unknown): string[] {
  return causeChain(error)
    .map((current) => (current as { code?: unknown }).code)
    .filter((code): code is string => typeof code === 'string');
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}
