import type {
  RealtimeClientEvent,
  RealtimeResponse,
  RealtimeResponseUsage,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';
import { resampleCache } from '../audio/resample-cache.js';
import type { Usage } from '../providers/cost.js';
import { AgentError } from '../core/errors.js';
import type { AgentProvider } from '../core/provider.js';
import { answerCall, normalizeToolCall, toolOutput } from '../core/tool-call.js';
import type { Agent, AgentResponse, AgentRunOptions, Audio, ToolCall, ToolExchange } from '../core/types.js';
import {
  openAIAgentFromConfig,
  openAIAgentSchema,
  type OpenAIAgentOptions,
  type ToolChoice,
} from '../providers/openai/agent-options.js';
import {
  OPENAI_KEY_ENV,
  OpenAIConnection,
  type OpenAIConnectionOptions,
} from '../providers/openai/client.js';
import {
  realtimeOpener,
  sharedConnectionSetup,
  type RealtimeOpener,
  type RealtimeSocket,
} from '../providers/openai/realtime-socket.js';
import type { RealtimeSocketOptions } from '../providers/openai/socket-options.js';

const DEFAULT_MODEL = 'gpt-realtime';
/** The Realtime API's PCM input rate. */
export const REALTIME_SAMPLE_RATE = 24_000;
/** Audio per `input_audio_buffer.append` event: half a second. */
const CHUNK_SAMPLES = REALTIME_SAMPLE_RATE / 2;

/** Options of the Realtime agent. */
export type OpenAIRealtimeOptions = OpenAIAgentOptions &
  OpenAIConnectionOptions & {
    /**
     * Options of the `ws` socket (library use: a CA for a proxy or a test server). Without an `agent`
     * or a `createConnection` of yours, the sessions share one TLS context made from these options and
     * an https.Agent that resumes TLS sessions.
     */
    socketOptions?: RealtimeSocketOptions;
    /**
     * Open the session of a run still to start while a run waits for its response (default true):
     * at most one such session per run in flight, only while runs remain to start. Each run still
     * has a session of its own; set false when the account caps concurrent sessions at the
     * suite's concurrency.
     */
    preconnect?: boolean;
  };

export type { RealtimeSocketOptions };

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
 *
 * Sessions opened ahead: in a batch, while a run waits for the model, the agent opens the session
 * of a run still to start (`preconnect`), so that the next run plays its audio at once instead of
 * waiting for a TLS handshake, the WebSocket upgrade and the session.update. A session is used by
 * one run only; one that fails before a run takes it is dropped (and counted as a request).
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
  readonly #preconnect: boolean;
  /** Opens a session's socket; made by the first run, which loads the SDK. */
  #opener: Promise<RealtimeOpener> | undefined;
  /** Sessions opened for runs still to start, oldest first. */
  readonly #openedAhead: RealtimeSocket[] = [];
  /** Time from the commit to the first response.done of the last run that had one: how long the model takes. */
  #lastAnswerMs = 0;

  constructor(options: OpenAIRealtimeOptions = {}) {
    this.#options = options;
    this.model = options.model ?? DEFAULT_MODEL;
    this.id = `openai-realtime:${this.model}`;
    this.#connection = new OpenAIConnection(options, 'OpenAI Realtime');
    this.#socketOptions = sharedConnectionSetup(options.socketOptions ?? {});
    this.#sessionUpdate = serialized({ type: 'session.update', session: sessionConfig(options) });
    this.#preconnect = options.preconnect ?? true;
  }

  /** One session: plays the audio, gathers the calls (and follow-up calls after mocked results), closes the socket. */
  async run(audio: Audio, options: AgentRunOptions = {}): Promise<AgentResponse> {
    const appends = appendEvents(audio);
    try {
      const open = await this.opener();
      const response = await this.#connection.call('session', options.signal, (signal) =>
        this.session(open, appends, options, signal),
      );
      return this.#connection.withCost(response, this.model);
    } catch (error) {
      throw this.#connection.failure(error, AgentError, options.signal);
    } finally {
      // The batch has no run left to start (or it stopped): no run will take them.
      if (options.upcomingRuns?.() === 0) await this.close();
    }
  }

  /**
   * One attempt: a session opened ahead or a new one, the audio played once it is open, the calls
   * gathered until the last response is done.
   */
  private session(
    open: RealtimeOpener,
    appends: Buffer[],
    options: AgentRunOptions,
    signal: AbortSignal,
  ): Promise<AgentResponse> {
    const socket = this.#openedAhead.shift() ?? open();
    const { realtime } = socket;
    const calls = new Map<string, ToolCall>();
    const texts: string[] = [];
    const exchanges: ToolExchange[] = [];
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
        socket.close();
        if (error) reject(error);
        else resolve(response as AgentResponse);
      };
      const onAbort = () => finish(signal.reason as Error);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      const send = (event: RealtimeClientEvent) => realtime.send(event);
      const addCall = (callId: string | undefined, name: string, args: string) => {
        const key = callId ?? `${name}:${args}`;
        if (calls.has(key)) return;
        calls.set(key, normalizeToolCall(name, args));
        firstCallMs ??= performance.now() - committedAt;
      };

      socket.attach(
        () => {
          for (const append of appends) socket.send(append);
          send({ type: 'input_audio_buffer.commit' });
          committedAt = performance.now();
          send({ type: 'response.create' });
          this.openAheadSoon(open, options.upcomingRuns);
        },
        (error) => finish(error),
      );
      realtime.on('response.function_call_arguments.done', (event) =>
        addCall(event.call_id, event.name, event.arguments),
      );
      realtime.on('response.done', ({ response }) => {
        if (doneMs === undefined) {
          doneMs = performance.now() - committedAt;
          this.#lastAnswerMs = doneMs;
        }
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
        const { respond } = options;
        if (respond && newCalls.length > 0 && turn < maxTurns) {
          turn++;
          turnStart = calls.size;
          for (const [callId, call] of newCalls) {
            const exchange = answerCall(call, respond);
            exchanges.push(exchange);
            send({
              type: 'conversation.item.create',
              item: { type: 'function_call_output', call_id: callId, output: toolOutput(exchange.outcome) },
            });
          }
          send({ type: 'response.create' });
          return;
        }
        finish(undefined, {
          toolCalls: [...calls.values()],
          ...(texts.length ? { text: texts.join('\n') } : {}),
          ...(exchanges.length ? { toolResults: exchanges } : {}),
          latencyMs: firstCallMs ?? doneMs,
          usage: { ...(usage as Record<string, number>), response_done_ms: doneMs, turns: turn + 1 },
        });
      });
    });
  }

  /** Opens new sessions' sockets, each sending the session.update once open; the first call loads the SDK. */
  private opener(): Promise<RealtimeOpener> {
    this.#opener ??= this.#connection
      .client()
      .then((client) => realtimeOpener(this.model, client, this.#socketOptions, this.#sessionUpdate));
    return this.#opener;
  }

  /**
   * While this run waits for the model, opens the session of a run still to start, unless one is
   * open for each such run already (or for as many runs as may be in flight): its handshake and
   * session.update then happen during the wait, not between one run and the next. It does so
   * halfway through the model's last answer time: the runs of a batch tend to start and end
   * together, so the moments right after a commit and around an answer are the busy ones.
   */
  private openAheadSoon(open: RealtimeOpener, upcomingRuns: (() => number) | undefined): void {
    if (!this.#preconnect || !upcomingRuns) return;
    const openAhead = () => {
      const waiting = this.#openedAhead.length;
      if (waiting >= upcomingRuns() || waiting >= (this.#options.limiter?.concurrency ?? Infinity)) return;
      // One that fails before a run takes it is dropped, and counted as the failed request it was:
      // the run that would have taken it opens its own, as many attempts as ever left.
      const socket = open((error) => {
        const index = this.#openedAhead.indexOf(socket);
        if (index >= 0) this.#openedAhead.splice(index, 1);
        socket.close();
        this.#connection.recordUnusedFailure(error);
      });
      this.#openedAhead.push(socket);
    };
    // Unref'd: a batch that ends meanwhile needs no session, and must not wait for the timer.
    setTimeout(openAhead, this.#lastAnswerMs / 2).unref();
  }

  /** Closes the sessions opened ahead that no run will take. */
  async close(): Promise<void> {
    for (const socket of this.#openedAhead.splice(0)) socket.close();
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

/** The `input_audio_buffer.append` events of `audio`: 24 kHz, half-second chunks, base64 in JSON. */
function appendEvents(audio: Audio): Buffer[] {
  const { pcm } = resampleCache.resample(audio, REALTIME_SAMPLE_RATE);
  const events: Buffer[] = [];
  for (let start = 0; start < pcm.length; start += CHUNK_SAMPLES) {
    const chunk = pcm.subarray(start, start + CHUNK_SAMPLES);
    const base64 = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64');
    // Base64 needs no escaping in JSON: the event is written out rather than made by JSON.stringify,
    // which would scan the tens of kilobytes of audio once more.
    events.push(Buffer.from(`{"type":"input_audio_buffer.append","audio":"${base64}"}`));
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

/** `provider: openai-realtime`: the OpenAI Realtime API over WebSocket. */
export const openAIRealtimeAgentProvider: AgentProvider = {
  id: 'openai-realtime',
  description:
    'The OpenAI Realtime API (GA, WebSocket) with your instructions and tools; calls from the response.',
  secretEnv: [OPENAI_KEY_ENV],
  optionsSchema: {
    type: 'object',
    properties: {
      ...openAIAgentSchema(`A Realtime model (default ${DEFAULT_MODEL}).`),
      preconnect: {
        type: 'boolean',
        description:
          "Open the next run's session while a run waits for its response (default true); false when the account caps concurrent sessions at the suite's concurrency.",
      },
    },
    additionalProperties: false,
  },
  async create(options, context) {
    return new OpenAIRealtimeAgent({
      ...(await openAIAgentFromConfig(options, context, DEFAULT_MODEL)),
      ...(typeof options.preconnect === 'boolean' ? { preconnect: options.preconnect } : {}),
    });
  },
};
