import type { IncomingMessage } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { createSecureContext, type ConnectionOptions } from 'node:tls';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import type {
  RealtimeClientEvent,
  RealtimeResponse,
  RealtimeResponseUsage,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';
import type { ClientOptions } from 'ws';
import { resample } from '../audio/resample.js';
import type { Usage } from '../core/cost.js';
import { AgentError, FatalProviderError, RussoError } from '../core/errors.js';
import type { AgentProvider } from '../core/provider.js';
import { parseRetryAfter, RetryableError } from '../core/retry.js';
import { mockedToolOutput, normalizeToolCall } from '../core/tool-call.js';
import type { Agent, AgentResponse, AgentRunOptions, Audio, ToolCall } from '../core/types.js';
import {
  openAIAgentFromConfig,
  openAIAgentSchema,
  type OpenAIAgentOptions,
  type ToolChoice,
} from '../openai/agent-options.js';
import { OPENAI_KEY_ENV, OpenAIConnection, type OpenAIConnectionOptions } from '../openai/client.js';

const DEFAULT_MODEL = 'gpt-realtime';
/** The Realtime API's PCM input rate. */
export const REALTIME_SAMPLE_RATE = 24_000;
/** Audio per `input_audio_buffer.append` event: half a second. */
const CHUNK_SAMPLES = REALTIME_SAMPLE_RATE / 2;
/** Error codes of `error` events that every other run would hit too. */
const FATAL_EVENT_CODES: Readonly<Record<string, string>> = {
  invalid_api_key: 'the API key was rejected: check OPENAI_API_KEY',
  insufficient_quota: 'the account has no quota left: add credit or raise the limit, then run again',
  model_not_found: 'the model does not exist or the key may not use it: check `model`',
};

/** Options of the Realtime agent. */
export type OpenAIRealtimeOptions = OpenAIAgentOptions &
  OpenAIConnectionOptions & {
    /**
     * Options of the `ws` socket (library use: a CA for a proxy or a test server). Without an `agent`
     * or a `createConnection` of yours, the sessions share one TLS context made from these options and
     * an https.Agent that resumes TLS sessions.
     */
    socketOptions?: RealtimeSocketOptions;
  };

/** Options of the `ws` socket, and the TLS context that `ws` hands to the TLS connection with the others. */
export type RealtimeSocketOptions = ClientOptions & Pick<ConnectionOptions, 'secureContext'>;

/**
 * The OpenAI Realtime API (GA interface, WebSocket) as the agent under test, set up as a production
 * voice agent: its instructions and tools, text output, 24 kHz PCM input, turn detection off. Each
 * run is one session: the audio is appended and committed, one response is asked for, and the
 * calls are read from `response.function_call_arguments.done` and `response.done`.
 *
 * Retries: a session whose socket fails or drops, during the handshake or mid-response, is run
 * again from the start in a new session (sessions keep no state between runs, so the new one is as
 * valid; the tokens of the lost one may still be billed). An `error` event is a run error with its
 * code, fatal for a bad key or no quota; a refused handshake is classified by its HTTP status.
 */
export class OpenAIRealtimeAgent implements Agent {
  readonly id: string;
  private readonly model: string;
  // ES-private: the options and the client hold the key, and must not show in logs or JSON of the agent.
  readonly #options: OpenAIRealtimeOptions;
  readonly #connection: OpenAIConnection;
  readonly #socketOptions: RealtimeSocketOptions;
  /** The session.update event, the same for every session: serialized once. */
  readonly #sessionUpdate: Buffer;

  constructor(options: OpenAIRealtimeOptions = {}) {
    this.#options = options;
    this.model = options.model ?? DEFAULT_MODEL;
    this.id = `openai-realtime:${this.model}`;
    this.#connection = new OpenAIConnection(options, 'OpenAI Realtime');
    this.#socketOptions = sharedConnectionSetup(options.socketOptions ?? {});
    this.#sessionUpdate = serialized({ type: 'session.update', session: sessionConfig(options) });
  }

  /** One session: plays the audio, gathers the calls (and follow-up calls after mocked results), closes the socket. */
  async run(audio: Audio, options: AgentRunOptions = {}): Promise<AgentResponse> {
    const appends = appendEvents(audio);
    try {
      const response = await this.#connection.call('session', options.signal, (signal) =>
        this.session(appends, options.toolResults, signal),
      );
      const cost = this.#connection.recordCost(this.model, response.usage as Usage);
      return cost === undefined
        ? response
        : { ...response, usage: { ...response.usage, estimated_cost_usd: cost } };
    } catch (error) {
      throw this.#connection.failure(error, AgentError, options.signal);
    }
  }

  private session(
    appends: Buffer[],
    toolResults: Record<string, unknown> | undefined,
    signal: AbortSignal,
  ): Promise<AgentResponse> {
    const realtime = new OpenAIRealtimeWS(
      { model: this.model, options: this.#socketOptions },
      this.#connection.client,
    );
    const socket = realtime.socket;
    const calls = new Map<string, ToolCall>();
    const texts: string[] = [];
    const usage: Usage = {};
    const maxTurns = this.#options.maxTurns ?? 4;
    let turn = 0;
    let turnStart = 0;
    let committedAt = 0;
    let firstCallMs: number | undefined;
    let doneMs: number | undefined;

    return new Promise<AgentResponse>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | undefined, response?: AgentResponse) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        // Closing a socket that is still connecting aborts the handshake; either way it is released.
        realtime.close();
        if (error) reject(error);
        else resolve(response as AgentResponse);
      };
      const onAbort = () => finish(signal.reason as Error);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      const send = (event: RealtimeClientEvent) => realtime.send(event);
      // What the SDK's send does, for events serialized in advance: a text frame of their JSON.
      const sendSerialized = (event: Buffer) => socket.send(event, { binary: false });
      const addCall = (callId: string | undefined, name: string, args: string) => {
        const key = callId ?? `${name}:${args}`;
        if (calls.has(key)) return;
        calls.set(key, normalizeToolCall(name, args));
        firstCallMs ??= performance.now() - committedAt;
      };

      socket.on('unexpected-response', (_request, response) => {
        readBody(response).then((body) => finish(handshakeError(response, body)));
      });
      socket.on('close', (code, reason) => {
        // After a finish the close is the agent's own: no error to make.
        if (settled) return;
        const why = reason.toString() || 'no reason given';
        finish(
          new RetryableError(
            `the Realtime socket closed before the response was done (code ${code}: ${why})`,
          ),
        );
      });
      realtime.on('error', (error) => {
        if (error.error) return finish(eventError(error.error));
        const cause = (error as { cause?: unknown }).cause;
        const detail = cause instanceof Error ? cause.message : error.message;
        // The cause goes along: a certificate failure in it is fatal, not retried.
        finish(Object.assign(new RetryableError(`the Realtime connection failed: ${detail}`), { cause }));
      });
      socket.on('open', () => {
        sendSerialized(this.#sessionUpdate);
        for (const append of appends) sendSerialized(append);
        send({ type: 'input_audio_buffer.commit' });
        committedAt = performance.now();
        send({ type: 'response.create' });
      });
      realtime.on('response.function_call_arguments.done', (event) =>
        addCall(event.call_id, event.name, event.arguments),
      );
      realtime.on('response.done', ({ response }) => {
        doneMs ??= performance.now() - committedAt;
        for (const item of response.output ?? []) {
          if (item.type === 'function_call') addCall(item.call_id, item.name, item.arguments);
          if (item.type === 'message') {
            for (const part of item.content ?? []) {
              if (part.type === 'output_text' && part.text) texts.push(part.text);
            }
          }
        }
        addUsage(usage, response.usage);
        if (response.status === 'failed') return finish(failedResponse(response));
        const newCalls = [...calls.entries()].slice(turnStart);
        if (toolResults && newCalls.length > 0 && turn < maxTurns) {
          turn++;
          turnStart = calls.size;
          for (const [callId, call] of newCalls) {
            send({
              type: 'conversation.item.create',
              item: {
                type: 'function_call_output',
                call_id: callId,
                output: mockedToolOutput(call.name, toolResults),
              },
            });
          }
          send({ type: 'response.create' });
          return;
        }
        finish(undefined, {
          toolCalls: [...calls.values()],
          ...(texts.length ? { text: texts.join('\n') } : {}),
          latencyMs: firstCallMs ?? doneMs,
          usage: { ...(usage as Record<string, number>), response_done_ms: doneMs, turns: turn + 1 },
        });
      });
    });
  }
}

/** The GA `session.update` body: text out, 24 kHz PCM in, no turn detection, the tools and the prompt. */
function sessionConfig(options: OpenAIRealtimeOptions): RealtimeSessionCreateRequest {
  const tools = (options.tools ?? []).map((tool) => ({
    type: 'function' as const,
    name: tool.name,
    ...(tool.description ? { description: tool.description } : {}),
    // The Realtime API wants a schema for every function, even one without arguments.
    parameters: tool.parameters ?? { type: 'object', properties: {} },
  }));
  return {
    type: 'realtime',
    output_modalities: ['text'],
    audio: { input: { format: { type: 'audio/pcm', rate: REALTIME_SAMPLE_RATE }, turn_detection: null } },
    ...(options.instructions ? { instructions: options.instructions } : {}),
    ...(tools.length ? { tools, tool_choice: realtimeToolChoice(options.toolChoice ?? 'auto') } : {}),
  };
}

/**
 * The `ws` options of every session. Each session is a new TLS connection to the same host: unless
 * the caller brings its own agent or connection, the sessions share one TLS context (made anew for
 * each connection otherwise, ~0.2 ms of CPU) and an https.Agent that keeps the server's session
 * tickets, so that later sessions resume their TLS session (no certificate to send, verify and parse).
 */
function sharedConnectionSetup(options: RealtimeSocketOptions): RealtimeSocketOptions {
  if (options.agent || options.createConnection) return options;
  return {
    ...options,
    secureContext: options.secureContext ?? createSecureContext(options),
    agent: new HttpsAgent(),
  };
}

/** The `input_audio_buffer.append` events of `audio`: 24 kHz, half-second chunks, base64 in JSON. */
function appendEvents(audio: Audio): Buffer[] {
  const { pcm } = resample(audio, REALTIME_SAMPLE_RATE);
  const events: Buffer[] = [];
  for (let start = 0; start < pcm.length; start += CHUNK_SAMPLES) {
    const chunk = pcm.subarray(start, start + CHUNK_SAMPLES);
    events.push(
      serialized({
        type: 'input_audio_buffer.append',
        audio: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64'),
      }),
    );
  }
  return events;
}

/** A client event as the UTF-8 bytes of its JSON, ready to send any number of times. */
function serialized(event: RealtimeClientEvent): Buffer {
  return Buffer.from(JSON.stringify(event));
}

function realtimeToolChoice(choice: ToolChoice) {
  return typeof choice === 'string' ? choice : { type: 'function' as const, name: choice.name };
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

function failedResponse(response: RealtimeResponse): AgentError {
  const error = response.status_details?.error;
  return new AgentError(
    `the Realtime response failed${error ? ` (${error.code ?? error.type}): ${error.message ?? ''}` : ''}`.trim(),
  );
}

/** Adds a response's usage in russo's names. */
function addUsage(total: Usage, usage: RealtimeResponseUsage | undefined): void {
  if (!usage) return;
  const input = usage.input_token_details;
  const output = usage.output_token_details;
  const add = (key: keyof Usage, value: number | undefined) =>
    (total[key] = (total[key] ?? 0) + (value ?? 0));
  add('input_text_tokens', input?.text_tokens);
  add('input_audio_tokens', input?.audio_tokens);
  add('cached_text_tokens', input?.cached_tokens_details?.text_tokens);
  add('cached_audio_tokens', input?.cached_tokens_details?.audio_tokens);
  add('output_text_tokens', output?.text_tokens);
  add('output_audio_tokens', output?.audio_tokens);
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

/** `provider: openai-realtime`: the OpenAI Realtime API over WebSocket. */
export const openAIRealtimeAgentProvider: AgentProvider = {
  id: 'openai-realtime',
  description:
    'The OpenAI Realtime API (GA, WebSocket) with your instructions and tools; calls from the response.',
  secretEnv: [OPENAI_KEY_ENV],
  optionsSchema: {
    type: 'object',
    properties: openAIAgentSchema(`A Realtime model (default ${DEFAULT_MODEL}).`),
    additionalProperties: false,
  },
  async create(options, context) {
    return new OpenAIRealtimeAgent(await openAIAgentFromConfig(options, context, DEFAULT_MODEL));
  },
};
