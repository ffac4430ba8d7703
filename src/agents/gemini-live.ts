import type { GoogleGenAI, LiveServerMessage, Modality, Session } from '@google/genai';
import { pcm16Bytes } from '../audio/pcm.js';
import { resampleCache } from '../audio/resample-cache.js';
import { AgentError, FatalProviderError, RussoError } from '../core/errors.js';
import type { AgentProvider } from '../core/provider.js';
import { RetryableError } from '../core/retry.js';
import { answerCall, normalizeToolCall } from '../core/tool-call.js';
import type {
  Agent,
  AgentConversation,
  AgentResponse,
  AgentRunOptions,
  Audio,
  ConversationOptions,
  ToolCall,
  ToolExchange,
  ToolResponder,
  TurnOptions,
} from '../core/types.js';
import { GEMINI_KEY_ENV, GeminiConnection } from '../providers/gemini/client.js';
import { functionResponse } from '../providers/gemini/tools.js';
import { geminiUsage } from '../providers/gemini/usage.js';
import { ConversationTurns, NO_MOCKS } from './conversation-turns.js';
import {
  GEMINI_AGENT_SCHEMA,
  geminiAgentFromConfig,
  sharedConfig,
  type GeminiAgentOptions,
} from './gemini.js';

/** The Live API's input format: 16-bit PCM at 16 kHz. */
export const LIVE_SAMPLE_RATE = 16_000;
const LIVE_MIME_TYPE = `audio/pcm;rate=${LIVE_SAMPLE_RATE}`;
/** Audio per `realtimeInput` message: half a second. */
const CHUNK_SAMPLES = LIVE_SAMPLE_RATE / 2;

/** Options of the Gemini Live agent. */
export interface GeminiLiveOptions extends GeminiAgentOptions {
  /** What the model answers in: AUDIO (default; native-audio models only speak) or TEXT. */
  responseModality?: 'AUDIO' | 'TEXT';
  /**
   * After a tool call that is not answered (the scenario mocks no results), how long to wait for
   * more calls before the run ends, in ms (default 1500): the model waits for the answer meanwhile.
   */
  toolCallIdleMs?: number;
}

/**
 * A Gemini Live model as the agent under test. Each run is one session: the audio goes in as
 * 16 kHz PCM through `sendRealtimeInput`, then `audioStreamEnd`; every `toolCall` message is
 * gathered until the turn completes (not just the first). When the scenario mocks tool results
 * they are sent back with `sendToolResponse` and the model may go on calling; otherwise the run
 * ends once no call has come for `toolCallIdleMs`. The session is always closed. A conversation
 * holds one session and plays each caller turn on it the same way.
 */
export class GeminiLiveAgent implements Agent {
  readonly id: string;
  // ES-private: the options and the client hold the key, and must not show in logs or JSON of the agent.
  readonly #options: GeminiLiveOptions;
  readonly #connection: GeminiConnection;

  constructor(options: GeminiLiveOptions) {
    this.#options = options;
    if (!options.model) {
      throw new AgentError(
        'the gemini-live agent needs a model',
        'set `model`, e.g. gemini-live-2.5-flash-preview',
      );
    }
    this.id = `gemini-live:${options.model}`;
    this.#connection = new GeminiConnection(options, 'Gemini Live');
  }

  /** One session, retried from the start when it fails in a way another attempt may get past. */
  async run(audio: Audio, options: AgentRunOptions = {}): Promise<AgentResponse> {
    const { pcm } = resampleCache.resample(audio, LIVE_SAMPLE_RATE);
    try {
      const client = await this.#connection.client();
      const response = await this.#connection.call(
        `session (${this.#options.model})`,
        options.signal,
        (signal) => this.session(client, pcm, options.respond, signal),
      );
      return this.#connection.withCost(response, this.#options.model);
    } catch (error) {
      throw this.#connection.failure(error, AgentError);
    }
  }

  /**
   * Starts a conversation: one Live session held for every turn until `close()`. Opening it (up
   * to the service's `setupComplete`) is retried like a run's session; once open, a session that
   * closes is not opened again (its context would be lost): the turn fails instead.
   */
  async converse(options: ConversationOptions = {}): Promise<AgentConversation> {
    try {
      const client = await this.#connection.client();
      return await this.#connection.call(`session (${this.#options.model})`, options.signal, (signal) =>
        this.openConversation(client, options.signal, signal),
      );
    } catch (error) {
      throw this.#connection.failure(error, AgentError, options.signal);
    }
  }

  private async session(
    client: GoogleGenAI,
    pcm: Int16Array,
    respond: ToolResponder | undefined,
    signal: AbortSignal,
  ): Promise<AgentResponse> {
    const turn = this.newTurn(respond);
    const onAbort = () => turn.fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let session: Session | undefined;
    try {
      const connecting = this.connect(client, signal, {
        message: (message) => turn.onMessage(message),
        failure: (error) => turn.fail(error),
      });
      session = await Promise.race([connecting, turn.done.then(() => undefined)]);
      if (session === undefined) return await turn.done;
      turn.play(session, pcm);
      return await turn.done;
    } finally {
      turn.dispose();
      signal.removeEventListener('abort', onAbort);
      session?.close();
    }
  }

  /** One attempt to open a conversation's session: resolves once the setup is complete. */
  private async openConversation(
    client: GoogleGenAI,
    conversationSignal: AbortSignal | undefined,
    signal: AbortSignal,
  ): Promise<AgentConversation> {
    // Set once the session is open: a failure before that rejects `connecting` itself.
    let conversation: LiveConversation | undefined = undefined;
    const connecting = this.connect(client, signal, {
      message: (message) => conversation?.onMessage(message),
      failure: (error) => conversation?.lost(error),
    });
    const aborted = new Promise<never>((_, reject) => {
      const onAbort = () => reject(signal.reason as Error);
      if (signal.aborted) onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      connecting.finally(() => signal.removeEventListener('abort', onAbort)).catch(() => undefined);
    });
    const session = await Promise.race([connecting, aborted]);
    conversation = new LiveConversation(session, {
      newTurn: (respond) => this.newTurn(respond),
      withCost: (response) => this.#connection.withCost(response, this.#options.model),
      signal: conversationSignal,
      turnTimeoutMs: this.#connection.requestTimeoutMs,
    });
    return conversation;
  }

  private newTurn(respond: ToolResponder | undefined): LiveTurn {
    return new LiveTurn(
      respond,
      this.#options.toolCallIdleMs ?? 1_500,
      this.#options.maxToolRounds ?? 8,
      this.#options.responseModality === 'TEXT' ? 'text' : 'audio',
    );
  }

  /**
   * Connects a Live session with the agent's setup; its messages and its failure (an error, a
   * close) go to `handlers`. A session that opens after `signal` aborted is closed at once.
   */
  private async connect(
    client: GoogleGenAI,
    signal: AbortSignal,
    handlers: { message: (message: LiveServerMessage) => void; failure: (error: Error) => void },
  ): Promise<Session> {
    // The socket URL carries the key: keep it out of every message built from the socket's errors.
    const failure = (message: string, code?: number) => liveFailure(this.#connection.redact(message), code);
    const connecting = client.live.connect({
      model: this.#options.model,
      config: {
        ...sharedConfig(this.#options, 'live'),
        // The values of the SDK's Modality, written out: the SDK is loaded only when a call is made.
        responseModalities: [(this.#options.responseModality === 'TEXT' ? 'TEXT' : 'AUDIO') as Modality],
        inputAudioTranscription: {},
        ...(this.#options.responseModality === 'TEXT' ? {} : { outputAudioTranscription: {} }),
      },
      callbacks: {
        onmessage: handlers.message,
        onerror: (event) => handlers.failure(failure(`socket error: ${event.message || 'unknown'}`)),
        onclose: (event) =>
          handlers.failure(
            failure(
              `the session closed unexpectedly (code ${event.code}${event.reason ? `: ${event.reason}` : ''})`,
              event.code,
            ),
          ),
      },
    });
    connecting.then(
      (late) => signal.aborted && late.close(),
      () => undefined,
    );
    try {
      return await connecting;
    } catch (error) {
      throw error instanceof Error && !(error instanceof RussoError) ? failure(error.message) : error;
    }
  }
}

/**
 * A conversation on one Live session: each turn streams its audio and `audioStreamEnd`, answers
 * the calls with the turn's mocked outcomes and ends at `turnComplete`. The model keeps the context
 * (the earlier turns' audio, calls, responses and replies) itself.
 */
class LiveConversation implements AgentConversation {
  #current: LiveTurn | undefined;
  readonly #turns: ConversationTurns;

  constructor(
    private readonly session: Session,
    private readonly settings: {
      newTurn: (respond: ToolResponder) => LiveTurn;
      withCost: (response: AgentResponse) => AgentResponse;
      signal: AbortSignal | undefined;
      turnTimeoutMs: number;
    },
  ) {
    this.#turns = new ConversationTurns(
      'the Gemini Live session',
      settings.signal,
      () => session.close(),
      settings.turnTimeoutMs,
    );
  }

  turn(audio: Audio, options: TurnOptions = {}): Promise<AgentResponse> {
    return this.#turns.play(options.signal, async (_index, signal) => {
      const turn = this.settings.newTurn(options.respond ?? NO_MOCKS);
      const onAbort = () => turn.fail(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#current = turn;
      try {
        if (signal?.aborted) onAbort();
        else turn.play(this.session, resampleCache.resample(audio, LIVE_SAMPLE_RATE).pcm);
        return this.settings.withCost(await turn.done);
      } finally {
        this.#current = undefined;
        turn.dispose();
        signal?.removeEventListener('abort', onAbort);
      }
    });
  }

  onMessage(message: LiveServerMessage): void {
    this.#current?.onMessage(message);
  }

  /** The session failed: the turn in flight fails with it, or the next turn will. */
  lost(error: Error): void {
    if (this.#current) this.#current.fail(error);
    else this.#turns.lost(error);
  }

  close(): Promise<void> {
    return this.#turns.close();
  }
}

/**
 * The server side of one turn: gathers calls, transcripts, text and usage from the messages,
 * answers calls with the mocked results, and settles `done` when the turn is complete.
 */
class LiveTurn {
  readonly done: Promise<AgentResponse>;
  private settle!: { resolve: (response: AgentResponse) => void; reject: (error: unknown) => void };
  private finished = false;
  private session: Session | undefined;
  private readonly calls: Array<{ id: string | undefined; call: ToolCall }> = [];
  private readonly exchanges: ToolExchange[] = [];
  private transcript = '';
  private text = '';
  /** Whether the model answered with audio: without a transcript or text, its reply is audio only. */
  private spoke = false;
  private usage: Record<string, number> | undefined;
  private rounds = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly respond: ToolResponder | undefined,
    private readonly toolCallIdleMs: number,
    private readonly maxToolRounds: number,
    /** What the model answers in: its output tokens when the usage does not split them by modality. */
    private readonly output: 'text' | 'audio',
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.done.catch(() => undefined);
  }

  /** Streams the caller's audio on `session` (16 kHz PCM in chunks, then `audioStreamEnd`) and answers calls on it. */
  play(session: Session, pcm: Int16Array): void {
    this.session = session;
    for (let offset = 0; offset < pcm.length; offset += CHUNK_SAMPLES) {
      const data = pcm16Bytes(pcm.subarray(offset, offset + CHUNK_SAMPLES)).toString('base64');
      session.sendRealtimeInput({ audio: { data, mimeType: LIVE_MIME_TYPE } });
    }
    session.sendRealtimeInput({ audioStreamEnd: true });
  }

  onMessage(message: LiveServerMessage): void {
    if (this.finished) return;
    const content = message.serverContent;
    if (content?.inputTranscription?.text) this.transcript += content.inputTranscription.text;
    if (content?.outputTranscription?.text) this.text += content.outputTranscription.text;
    for (const part of content?.modelTurn?.parts ?? []) {
      if (typeof part.text === 'string' && !part.thought) this.text += part.text;
      if (part.inlineData?.mimeType?.startsWith('audio/')) this.spoke = true;
    }
    const usage = geminiUsage(message.usageMetadata, this.output);
    if (usage) this.usage = usage as Record<string, number>;
    const cancelled = new Set(message.toolCallCancellation?.ids ?? []);
    if (cancelled.size > 0)
      this.calls.splice(0, this.calls.length, ...this.calls.filter(({ id }) => !cancelled.has(id ?? '')));
    const functionCalls = message.toolCall?.functionCalls ?? [];
    if (functionCalls.length > 0) {
      const made = functionCalls.map((call) => ({
        id: call.id,
        call: normalizeToolCall(call.name ?? '', call.args),
      }));
      this.calls.push(...made);
      if (this.respond === undefined) this.armIdle();
      else this.answer(functionCalls, made, this.respond);
    } else if (this.idleTimer !== undefined) {
      this.armIdle();
    }
    if (content?.turnComplete) this.finish();
  }

  /** Ends the turn with an error, unless it already ended (a close after the turn is the normal end). */
  fail(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    this.settle.reject(error);
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
  }

  /** Sends the mocked results of a round of calls; a tool without a mock gets an error the model can read. */
  private answer(
    calls: NonNullable<LiveServerMessage['toolCall']>['functionCalls'] & object,
    made: ReadonlyArray<{ call: ToolCall }>,
    respond: ToolResponder,
  ): void {
    if (++this.rounds > this.maxToolRounds) {
      this.fail(
        new AgentError(
          `the model kept calling tools: more than ${this.maxToolRounds} rounds in one turn`,
          'check the mocked tool_results of the scenario: the model may be retrying a result it cannot use',
        ),
      );
      return;
    }
    const exchanges = made.map(({ call }) => answerCall(call, respond));
    this.exchanges.push(...exchanges);
    this.session?.sendToolResponse({
      functionResponses: calls.map((call, index) =>
        functionResponse(call, (exchanges[index] as ToolExchange).outcome),
      ),
    });
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.finish(), this.toolCallIdleMs);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    const response: AgentResponse = { toolCalls: this.calls.map(({ call }) => call) };
    if (this.transcript) response.transcript = this.transcript.trim();
    if (this.text) response.text = this.text.trim();
    else if (this.spoke) response.replyAudioOnly = true;
    if (this.usage) response.usage = this.usage;
    if (this.exchanges.length > 0) response.toolResults = this.exchanges;
    this.settle.resolve(response);
  }
}

/**
 * A Live failure as the retry layer should see it: a refused key or an unknown model (close code
 * 1008, HTTP 401/403/404 on the handshake) stops the suite; a dropped socket, an overloaded or
 * failing server (1011, 1013, HTTP 429/5xx) is retried; anything else fails the run.
 */
function liveFailure(message: string, closeCode?: number): Error {
  const code = closeCode ?? Number(/\(code (\d+)\)/.exec(message)?.[1] ?? Number.NaN);
  const status = Number(/Unexpected server response: (\d+)/.exec(message)?.[1] ?? Number.NaN);
  const text = `Gemini Live: ${message}`;
  if (code === 1008 || status === 401 || status === 403 || status === 404) {
    return new FatalProviderError(
      text,
      'check the key (GEMINI_API_KEY) and that `model` is a Live model the key may use',
    );
  }
  if (status === 429 || status >= 500 || [1001, 1006, 1011, 1013, 1014].includes(code)) {
    return new RetryableError(text, Number.isNaN(status) ? undefined : status);
  }
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up/.test(message)) return new RetryableError(text);
  return new AgentError(text);
}

// The Live setup has no tool choice: the model always decides.
const { tool_choice: _toolChoice, ...LIVE_AGENT_KEYS } = GEMINI_AGENT_SCHEMA;

/** `provider: gemini-live`: a Gemini Live model heard as a live audio stream. */
export const geminiLiveAgentProvider: AgentProvider = {
  id: 'gemini-live',
  description:
    'A Gemini Live model as the agent (live.connect): 16 kHz PCM streamed in, every tool call of the turn gathered, mocked results sent back.',
  secretEnv: GEMINI_KEY_ENV,
  optionsSchema: {
    type: 'object',
    properties: {
      ...LIVE_AGENT_KEYS,
      response_modality: {
        enum: ['AUDIO', 'TEXT'],
        description: 'What the model answers in (default AUDIO).',
      },
      tool_call_idle_ms: {
        type: 'number',
        exclusiveMinimum: 0,
        description: 'Wait after an unanswered tool call for more calls (default 1500).',
      },
    },
    required: ['model'],
    additionalProperties: false,
  },
  create(options, context) {
    return new GeminiLiveAgent({
      ...geminiAgentFromConfig(options, context),
      ...(typeof options.response_modality === 'string'
        ? { responseModality: options.response_modality as 'AUDIO' | 'TEXT' }
        : {}),
      ...(typeof options.tool_call_idle_ms === 'number' ? { toolCallIdleMs: options.tool_call_idle_ms } : {}),
    });
  },
};
