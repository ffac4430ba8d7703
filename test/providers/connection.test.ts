import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  connectionOptionsFromConfig,
  ProviderConnection,
  type ConnectionProfile,
} from '../../src/providers/connection.js';
import { AgentError, CancelledError, FatalProviderError, SynthesisError } from '../../src/core/errors.js';
import { RetriesExhaustedError } from '../../src/core/retry.js';
import { createProviderStats } from '../../src/core/provider.js';
import { classifyError } from '../../src/providers/classify.js';
import { OPENAI_PRICES } from '../../src/providers/openai/prices.js';

const KEY = 'xk-the-real-key-0123456789';

function profile(extra: Partial<ConnectionProfile> = {}): ConnectionProfile {
  return {
    what: 'Acme speech',
    apiKey: KEY,
    keyEnv: ['ACME_API_KEY'],
    keyHint: 'set ACME_API_KEY',
    keyPattern: /\b(xk-)[A-Za-z0-9-]{6,}/g,
    classify: classifyError,
    prices: OPENAI_PRICES,
    ...extra,
  };
}

/** An error shaped like the SDKs' HTTP errors, its message quoting a key. */
function httpError(status: number, message: string): Error {
  return Object.assign(new Error(message), { status, headers: new Headers() });
}

describe('ProviderConnection', () => {
  it('refuses to start without a key, naming the one variable or each of several', () => {
    const one = () => new ProviderConnection({}, profile({ apiKey: '' }));
    expect(one).toThrow(FatalProviderError);
    expect(one).toThrow('Acme speech needs an API key and ACME_API_KEY is not set');
    const two = () => new ProviderConnection({}, profile({ apiKey: '', keyEnv: ['A_KEY', 'B_KEY'] }));
    expect(two).toThrow('Acme speech needs an API key and neither A_KEY nor B_KEY is set');
    expect(() => one()).toThrow(expect.objectContaining({ hint: 'set ACME_API_KEY' }));
  });

  it('removes its own key and anything shaped like a key of the provider, keeping the prefix', () => {
    const connection = new ProviderConnection({}, profile());
    expect(connection.redact(`bad key ${KEY}, also xk-another-one-abcdef and xk-short`)).toBe(
      'bad key [redacted], also xk-[redacted] and xk-short',
    );
  });

  it('keeps the key out of its logged and serialised form', () => {
    const connection = new ProviderConnection({ stats: createProviderStats() }, profile());
    expect(inspect(connection, { depth: 10, showHidden: true })).not.toContain(KEY);
    expect(JSON.stringify(connection)).not.toContain(KEY);
  });

  it("passes russo's errors and the reason of an aborted signal through, and wraps the rest without the key", () => {
    const connection = new ProviderConnection({}, profile());
    const own = new CancelledError('cancelled');
    expect(connection.failure(own, AgentError)).toBe(own);
    const controller = new AbortController();
    controller.abort();
    expect(connection.failure(controller.signal.reason, AgentError, controller.signal)).toBe(
      controller.signal.reason,
    );
    const wrapped = connection.failure(controller.signal.reason, SynthesisError);
    expect(wrapped).toBeInstanceOf(SynthesisError);
    const leaky = connection.failure(new TypeError(`socket to wss://x?key=${KEY} closed`), AgentError);
    expect(leaky).toBeInstanceOf(AgentError);
    expect(leaky.message).toBe('socket to wss://x?key=[redacted] closed');
  });

  it('retries through its classification, counts the attempts and throws clean messages', async () => {
    const stats = createProviderStats();
    const connection = new ProviderConnection(
      { stats, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } },
      profile(),
    );
    let attempts = 0;
    const error = await connection
      .call('(voice x)', undefined, async () => {
        attempts++;
        throw httpError(503, `overloaded for ${KEY}`);
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect((error as Error).message).toMatch(/^Acme speech \(voice x\) failed after 3 attempts/);
    expect((error as Error).message).toContain('overloaded for [redacted]');
    expect(attempts).toBe(3);
    expect(stats).toMatchObject({ requests: 3, retries: 2 });

    const refused = await connection
      .call('(voice x)', undefined, async () => {
        throw httpError(401, `bad key ${KEY}`);
      })
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(FatalProviderError);
    expect((refused as Error).message).toBe('Acme speech (voice x) was refused: bad key [redacted]');
  });

  it('gives each attempt its own deadline, and a hung attempt counts as a retryable failure', async () => {
    const connection = new ProviderConnection(
      { requestTimeoutMs: 50, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } },
      profile(),
    );
    expect(connection.requestTimeoutMs).toBe(50);
    let attempts = 0;
    const value = await connection.call('(voice x)', undefined, (signal) => {
      attempts++;
      if (attempts === 2) return Promise.resolve('spoken');
      return new Promise<string>((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason)),
      );
    });
    expect(value).toBe('spoken');
    expect(attempts).toBe(2);
    expect(new ProviderConnection({}, profile()).requestTimeoutMs).toBe(60_000);
  });
});

describe('connectionOptionsFromConfig', () => {
  it('reads the retry keys of a config and takes the counters and limit of the suite', () => {
    const stats = createProviderStats();
    const context = { baseDir: '.', env: {}, tools: [], concurrency: 4, stats };
    expect(
      connectionOptionsFromConfig(
        { request_timeout_s: 2, max_attempts: 3, max_retry_wait_s: 5 },
        context,
        'some-model',
        OPENAI_PRICES,
      ),
    ).toEqual({ requestTimeoutMs: 2000, retry: { maxAttempts: 3, maxTotalWaitMs: 5000 }, stats });
  });

  it('reads the prices of the model over the built-in table', () => {
    const context = { baseDir: '.', env: {}, tools: [], concurrency: 4 };
    const { prices } = connectionOptionsFromConfig(
      { prices: { audio_input: 3, text_output: 2.5 } },
      context,
      'gemini-live-2.5-flash',
      OPENAI_PRICES,
    );
    expect(prices?.['gemini-live-2.5-flash']).toEqual({ audio_input: 3, text_output: 2.5 });
    // The built-in entries stay: the override is for this model only.
    expect(prices?.['gpt-realtime']?.audio_input).toBe(32);
  });
});
