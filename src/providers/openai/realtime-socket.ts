import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type OpenAI from 'openai';
import type { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { AgentError, FatalProviderError, RussoError } from '../../core/errors.js';
import { RetryableError } from '../../core/retry.js';
import { parseRetryAfter } from '../classify.js';
import type { RealtimeSocketOptions } from './socket-options.js';

// node:https and node:tls are loaded when the first Realtime agent is made, not when russo starts: a
// suite without one would spend ~30 ms of CPU at every start on them. Synchronously, because the
// agent's constructor sets up the shared connection (and fails there on bad TLS options).
const require = createRequire(import.meta.url);

/** Error codes of `error` events that every other run would hit too. */
const FATAL_EVENT_CODES: Readonly<Record<string, string>> = {
  invalid_api_key: 'the API key was rejected: check OPENAI_API_KEY',
  insufficient_quota: 'the account has no quota left: add credit or raise the limit, then run again',
  model_not_found: 'the model does not exist or the key may not use it: check `model`',
};

/** Opens the socket of a new session; `onUnusedFailure` as in RealtimeSocket. */
export type RealtimeOpener = (onUnusedFailure?: (error: Error) => void) => RealtimeSocket;

/**
 * Opens the sessions of one agent: every socket with the same model, client, `ws` options and
 * session.update. The SDK's Realtime client (and `ws` with it) is loaded here, by the first run of
 * a Realtime agent, not when russo starts.
 */
export async function realtimeOpener(
  model: string,
  client: OpenAI,
  options: RealtimeSocketOptions,
  sessionUpdate: Buffer,
): Promise<RealtimeOpener> {
  const { OpenAIRealtimeWS } = await import('openai/realtime/ws');
  return (onUnusedFailure) =>
    new RealtimeSocket(new OpenAIRealtimeWS({ model, options }, client), sessionUpdate, onUnusedFailure);
}

/**
 * The socket of one Realtime session. It sends the session.update as soon as it opens, which may be
 * before a run takes it (the agent opens sessions ahead for runs still to start). Its first failure
 * (a refused handshake, an `error` event, a dropped socket) goes to the run attached to it, or,
 * before any run is, to `onUnusedFailure`.
 */
export class RealtimeSocket {
  #failure: Error | undefined;
  #onFailure: ((error: Error) => void) | undefined;
  readonly #onUnusedFailure: ((error: Error) => void) | undefined;
  /** Set by close(): the close that follows is ours, not a failure. */
  #closed = false;

  constructor(
    readonly realtime: OpenAIRealtimeWS,
    sessionUpdate: Buffer,
    onUnusedFailure?: (error: Error) => void,
  ) {
    this.#onUnusedFailure = onUnusedFailure;
    const socket = this.realtime.socket;
    socket.on('unexpected-response', (_request, response) => {
      void readBody(response).then((body) => this.#fail(handshakeError(response, body)));
    });
    socket.on('close', (code, reason) => {
      const why = reason.toString() || 'no reason given';
      this.#fail(new RetryableError(`the Realtime socket closed unexpectedly (code ${code}: ${why})`));
    });
    this.realtime.on('error', (error) => {
      if (error.error) return this.#fail(eventError(error.error));
      const cause = (error as { cause?: unknown }).cause;
      const detail = cause instanceof Error ? cause.message : error.message;
      // The cause goes along: a certificate failure in it is fatal, not retried.
      this.#fail(Object.assign(new RetryableError(`the Realtime connection failed: ${detail}`), { cause }));
    });
    socket.on('open', () => this.send(sessionUpdate));
  }

  /** Sends a client event serialized in advance: a text frame of its JSON, as the SDK's send does. */
  send(event: Buffer): void {
    this.realtime.socket.send(event, { binary: false });
  }

  /**
   * Hands the session to a run: `onOpen` once the socket is open (at once if it is, after the
   * session.update), `onFailure` with its first failure.
   */
  attach(onOpen: () => void, onFailure: (error: Error) => void): void {
    if (this.#failure) return onFailure(this.#failure);
    this.#onFailure = onFailure;
    const { socket } = this.realtime;
    if (socket.readyState === socket.OPEN) onOpen();
    else socket.once('open', onOpen);
  }

  /** Closes the socket; closing one that is still connecting aborts the handshake. */
  close(): void {
    this.#closed = true;
    this.realtime.close();
  }

  #fail(error: Error): void {
    if (this.#closed || this.#failure) return;
    this.#failure = error;
    if (this.#onFailure) this.#onFailure(error);
    else this.#onUnusedFailure?.(error);
  }
}

/**
 * The `ws` options of every session. Each session is a new TLS connection to the same host: unless
 * the caller brings its own agent or connection, the sessions share one TLS context (made anew for
 * each connection otherwise, ~0.2 ms of CPU) and an https.Agent that keeps the server's session
 * tickets, so that later sessions resume their TLS session (no certificate to send, verify and parse).
 */
export function sharedConnectionSetup(options: RealtimeSocketOptions): RealtimeSocketOptions {
  if (options.agent || options.createConnection) return options;
  const { createSecureContext } = require('node:tls') as typeof import('node:tls');
  const { Agent } = require('node:https') as typeof import('node:https');
  return {
    ...options,
    secureContext: options.secureContext ?? createSecureContext(options),
    agent: new Agent(),
  };
}

/** A handshake the server refused: an error shaped for `classifyError` (status, code, retry-after). */
class HandshakeRefused extends RussoError {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}

function handshakeError(response: IncomingMessage, body: string): HandshakeRefused {
  const status = response.statusCode ?? 0;
  let error: { message?: unknown; code?: unknown } | undefined;
  try {
    error = (JSON.parse(body) as { error?: typeof error }).error;
  } catch {
    // Not JSON: the status says enough.
  }
  const detail = typeof error?.message === 'string' ? `: ${error.message}` : '';
  return new HandshakeRefused(
    `the Realtime handshake was refused with HTTP ${status}${detail}`,
    status,
    typeof error?.code === 'string' ? error.code : undefined,
    parseRetryAfter(response.headers),
  );
}

/** An `error` event: fatal for a bad key or no quota, retried for a rate limit, else a run error with its code. */
function eventError(error: { type: string; code?: string | null; message: string }): Error {
  const message = `the Realtime API sent an error (${error.code ?? error.type}): ${error.message}`;
  const fatalHint = error.code ? FATAL_EVENT_CODES[error.code] : undefined;
  if (fatalHint) return new FatalProviderError(message, fatalHint);
  if (error.code === 'rate_limit_exceeded') return new RetryableError(message, 429);
  return new AgentError(message);
}

/** The body of a refused handshake, at most 64 KiB (it holds the error message). */
function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if (size < 65_536) chunks.push(chunk);
      size += chunk.length;
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
