import type { RealtimeClientEvent, RealtimeSessionCreateRequest } from 'openai/resources/realtime/realtime';
import { resampleCache } from '../audio/resample-cache.js';
import { AgentError } from '../core/errors.js';
import type { AgentProvider } from '../core/provider.js';
import type {
  Agent,
  AgentConversation,
  AgentResponse,
  AgentRunOptions,
  Audio,
  ConversationOptions,
  TurnOptions,
} from '../core/types.js';
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
import { ConversationTurns, NO_MOCKS } from './conversation-turns.js';
import { RealtimeTurn, routeEvents } from './openai-realtime-turn.js';

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
 *
 * Conversations: one session each, opened for it (retried like a run's) and held for all its
 * turns; each turn is a commit and its responses on that session (see RealtimeTurn).
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
    if (signal.aborted) {
      socket.close();
      return Promise.reject(signal.reason as Error);
    }
    const turn = new RealtimeTurn(socket, options.respond, this.#options.maxTurns ?? 4, 'stop');
    routeEvents(socket, () => turn);
    const onAbort = () => turn.fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.attach(
      () => {
        turn.start(appends);
        this.openAheadSoon(open, options.upcomingRuns);
      },
      (error) => turn.fail(error),
    );
    return turn.done.finally(() => {
      signal.removeEventListener('abort', onAbort);
      socket.close();
      if (turn.answerMs !== undefined) this.#lastAnswerMs = turn.answerMs;
    });
  }

  /**
   * Starts a conversation: a session of its own, held for every turn until `close()`. Opening it
   * (up to the server's `session.updated`) is retried like a run's session; once open, a session
   * that drops is not opened again (its context would be lost): the turn fails instead.
   */
  async converse(options: ConversationOptions = {}): Promise<AgentConversation> {
    try {
      const open = await this.opener();
      return await this.#connection.call('session', options.signal, (signal) =>
        this.openConversation(open, options.signal, signal),
      );
    } catch (error) {
      throw this.#connection.failure(error, AgentError, options.signal);
    }
  }

  /** One attempt to open a conversation's session: resolves once the session.update is applied. */
  private openConversation(
    open: RealtimeOpener,
    conversationSignal: AbortSignal | undefined,
    signal: AbortSignal,
  ): Promise<AgentConversation> {
    const socket = open();
    return new Promise((resolve, reject) => {
      let conversation: RealtimeConversation | undefined;
      const fail = (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        socket.close();
        reject(error as Error);
      };
      const onAbort = () => fail(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      socket.attach(
        () => undefined,
        (error) => (conversation ? conversation.lost(error) : fail(error)),
      );
      socket.realtime.once('session.updated', () => {
        signal.removeEventListener('abort', onAbort);
        conversation = new RealtimeConversation(socket, {
          maxTurns: this.#options.maxTurns ?? 4,
          withCost: (response) => this.#connection.withCost(response, this.model),
          signal: conversationSignal,
          turnTimeoutMs: this.#connection.requestTimeoutMs,
        });
        resolve(conversation);
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

/**
 * A conversation on one Realtime session: each turn appends its audio, commits and asks for a
 * response; the calls are answered with the turn's mocked outcomes until the model's turn is over.
 * The model keeps the context (the earlier turns' audio, calls, outputs and replies) itself.
 */
class RealtimeConversation implements AgentConversation {
  #current: RealtimeTurn | undefined;
  readonly #turns: ConversationTurns;

  constructor(
    private readonly socket: RealtimeSocket,
    private readonly settings: {
      maxTurns: number;
      withCost: (response: AgentResponse) => AgentResponse;
      signal: AbortSignal | undefined;
      turnTimeoutMs: number;
    },
  ) {
    routeEvents(socket, () => this.#current);
    this.#turns = new ConversationTurns(
      'the Realtime session',
      settings.signal,
      () => socket.close(),
      settings.turnTimeoutMs,
    );
  }

  turn(audio: Audio, options: TurnOptions = {}): Promise<AgentResponse> {
    return this.#turns.play(options.signal, async (_index, signal) => {
      const turn = new RealtimeTurn(this.socket, options.respond ?? NO_MOCKS, this.settings.maxTurns, 'fail');
      const onAbort = () => turn.fail(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#current = turn;
      try {
        if (signal?.aborted) onAbort();
        else turn.start(appendEvents(audio));
        return this.settings.withCost(await turn.done);
      } finally {
        this.#current = undefined;
        signal?.removeEventListener('abort', onAbort);
      }
    });
  }

  /** The socket failed: the turn in flight fails with it, or the next turn will. */
  lost(error: Error): void {
    if (this.#current) this.#current.fail(error);
    else this.#turns.lost(error);
  }

  close(): Promise<void> {
    return this.#turns.close();
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
