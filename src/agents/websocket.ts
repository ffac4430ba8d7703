import { resampleCache } from '../audio/resample-cache.js';
import { AgentError } from '../core/errors.js';
import type { AdaptiveLimit } from '../core/adaptive-limit.js';
import type { AgentProvider, ProviderStats } from '../core/provider.js';
import { sleep } from '../core/retry.js';
import { answerCall } from '../core/tool-call.js';
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
} from '../core/types.js';
import {
  audioFields,
  audioMessage,
  encodeAudio,
  type AudioEncoding,
  type AudioFields,
} from './audio-payload.js';
import { conversationOf, ConversationTurns } from './conversation-turns.js';
import { printableUrl } from './endpoint.js';
import { expandEnv } from './expand-env.js';
import {
  extractIdentifiedCalls,
  extractToolCalls,
  parsePath,
  readString,
  toolCallLocation,
  type ToolCallLocation,
} from './extract-calls.js';
import {
  audioMessageKeys,
  audioMessageOptions,
  toolCallKeys,
  toolCallOptions,
  toolResultKeys,
  toolResultOptions,
} from './json-agent-options.js';
import { toolResultFields, toolResultPayload, type ToolResultFields } from './tool-result-payload.js';
import type { DoneRule } from './websocket-done-rule.js';
import { lastMessage, Link, UpgradeRefusedError, type Received } from './websocket-link.js';

export type { DoneRule };

/** Options of a WebSocketAgent (the library spelling of the `websocket` provider's config keys). */
export interface WebSocketAgentOptions {
  /** ws:// or wss:// endpoint; one connection per run. */
  url: string;
  /** Handshake headers, already expanded (the provider expands `${ENV}`). */
  headers?: Record<string, string>;
  /** json (default): JSON messages with the audio as base64; binary: the audio bytes as binary frames. */
  send?: 'json' | 'binary';
  /** Resample the audio to this rate before sending it (default: the synthesizer's rate). */
  sampleRate?: number;
  /** pcm16 (default): raw 16-bit little-endian PCM; wav: a WAV file (not with `chunkMs`). */
  audioEncoding?: AudioEncoding;
  fields?: Partial<AudioFields>;
  extraFields?: Record<string, unknown>;
  /** Splits the audio into chunks of this many milliseconds, one message each, like a live microphone. */
  chunkMs?: number;
  /** Waits each chunk's duration before sending the next (real-time streaming). */
  realtime?: boolean;
  /** A message sent once the socket is open, before the audio (a session config); strings go as they are. */
  startMessage?: unknown;
  /** A message sent after the audio (e.g. `{type: 'end'}`). */
  endMessage?: unknown;
  done: DoneRule;
  /** Where the calls are in each JSON message; the calls of every message that has the path are joined in order. */
  toolCalls?: Partial<ToolCallLocation>;
  transcriptPath?: string;
  textPath?: string;
  /** Constant fields of each tool result message of a conversation (e.g. `{type: 'tool_result'}`). */
  toolResultMessage?: Record<string, unknown>;
  /** Names of the keys of a tool result message (default id, name, arguments, result, error). */
  toolResultFields?: Partial<ToolResultFields>;
  /** error (default): a run where no message had the calls' path is an error; no_calls: it made no call. */
  missingPath?: 'error' | 'no_calls';
  /** Time to connect (default 10 s), to reach `done` after the audio was sent (30 s), and to close (2 s). */
  openTimeoutMs?: number;
  responseTimeoutMs?: number;
  closeTimeoutMs?: number;
  /** Name in reports; default `websocket:` and the URL without its query. */
  id?: string;
  /** Counters shared by the providers of a suite: each connection is a request, a refused one with 429 a throttle. */
  stats?: ProviderStats;
  /** The suite's adaptive concurrency, told of throttled and opened connections. */
  limiter?: AdaptiveLimit;
}

/**
 * An agent behind a WebSocket: each run opens a connection, streams the audio, collects the
 * agent's messages until the `done` rule holds, and reads the tool calls from them. The socket
 * is always closed, whatever happens. The `ws` package is loaded by the first run, not when russo
 * starts. A conversation holds one connection for all its turns and answers the agent's calls with
 * tool result messages.
 */
export class WebSocketAgent implements Agent {
  readonly id: string;
  private readonly location: ToolCallLocation;
  private readonly fields: AudioFields;
  private readonly shownUrl: string;
  private readonly encoding: AudioEncoding;
  private readonly resultFields: ToolResultFields;

  constructor(private readonly options: WebSocketAgentOptions) {
    this.shownUrl = printableUrl(options.url, ['ws:', 'wss:']);
    this.id = options.id ?? `websocket:${this.shownUrl}`;
    this.location = toolCallLocation(options.toolCalls);
    this.fields = audioFields(options.fields);
    this.encoding = options.audioEncoding ?? 'pcm16';
    this.resultFields = toolResultFields(options.toolResultFields);
    checkDoneRule(options.done);
    if (options.chunkMs !== undefined && !(options.chunkMs > 0)) {
      throw new AgentError(`chunk_ms must be a positive number of milliseconds, got ${options.chunkMs}`);
    }
    if (options.chunkMs !== undefined && this.encoding === 'wav') {
      throw new AgentError(
        'chunk_ms splits raw PCM, not a WAV file',
        'set `audio_encoding: pcm16`, or drop `chunk_ms`',
      );
    }
  }

  /** Connects, streams the audio, waits for `done` and reads the calls; the socket is closed on every path. */
  async run(heard: Audio, options: AgentRunOptions = {}): Promise<AgentResponse> {
    const { signal } = options;
    const link = await this.connect(signal);
    // A run's turn has the frames from the moment the socket exists (a greeting included).
    const turn = link.begin(signal);
    try {
      await this.open(link, signal);
      await this.play(link, heard, signal);
      return this.read(await turn.finished(this.options.responseTimeoutMs ?? 30_000));
    } finally {
      link.end();
      await link.close(this.options.closeTimeoutMs ?? 2_000);
    }
  }

  /**
   * Starts a conversation: one connection held for every turn until `close()`, the start message
   * sent once. Each turn streams its audio (and the end message), answers the calls of the agent's
   * messages with tool result messages as they come, and ends when the done rule holds; the
   * messages of a turn are those from the start of its audio. Not with `done: {close: true}`.
   */
  async converse(options: ConversationOptions = {}): Promise<AgentConversation> {
    if ('close' in this.options.done) {
      throw new AgentError(
        '`done: {close: true}` ends the connection after one turn, and a conversation holds it for every turn',
        'use a rule the agent meets at the end of each turn: `message_type`, `field`, `idle_ms` or `count`',
      );
    }
    const link = await this.connect(options.signal);
    try {
      await this.open(link, options.signal);
    } catch (error) {
      await link.close(this.options.closeTimeoutMs ?? 2_000);
      throw error;
    }
    const turns = new ConversationTurns('the WebSocket connection', options.signal, () =>
      link.close(this.options.closeTimeoutMs ?? 2_000),
    );
    link.onLost = (error) => turns.lost(error);
    return conversationOf(turns, (audio, _index, respond, signal) =>
      this.conversationTurn(link, audio, respond, signal),
    );
  }

  /** A new connection (the `ws` package is loaded by the first one). */
  private async connect(signal: AbortSignal | undefined): Promise<Link> {
    const { WebSocket } = await import('ws');
    signal?.throwIfAborted();
    if (this.options.stats) this.options.stats.requests++;
    const socket = new WebSocket(this.options.url, { headers: this.options.headers });
    return new Link(socket, this.options.done, this.shownUrl);
  }

  /** Waits for the connection to open and sends the start message. */
  private async open(link: Link, signal: AbortSignal | undefined): Promise<void> {
    try {
      await link.opened(this.options.openTimeoutMs ?? 10_000, signal);
    } catch (error) {
      if (error instanceof UpgradeRefusedError && error.status === 429) {
        if (this.options.stats) this.options.stats.throttles++;
        this.options.limiter?.recordThrottle();
      }
      throw error;
    }
    this.options.limiter?.recordSuccess();
    if (this.options.startMessage !== undefined) await link.send(frame(this.options.startMessage));
  }

  /**
   * One turn of a conversation: the calls of the agent's messages answered with tool result
   * messages as they come (`tool_result_message` fields, then the result's), the turn's frames
   * read once the done rule holds.
   */
  private async conversationTurn(
    link: Link,
    audio: Audio,
    respond: ToolResponder,
    signal: AbortSignal | undefined,
  ): Promise<AgentResponse> {
    const exchanges: ToolExchange[] = [];
    const extra = this.options.toolResultMessage;
    const turn = link.begin(signal, (message) => {
      for (const { call, id } of extractIdentifiedCalls(message, this.location) ?? []) {
        const exchange = answerCall(call, respond);
        exchanges.push(exchange);
        const result = toolResultPayload(exchange, id, this.resultFields, extra);
        link.send(frame(result)).catch((error: unknown) => turn.fail(error));
      }
    });
    try {
      await this.play(link, audio, signal);
      const response = this.read(await turn.finished(this.options.responseTimeoutMs ?? 30_000));
      if (exchanges.length > 0) response.toolResults = exchanges;
      return response;
    } finally {
      link.end();
    }
  }

  /** Streams the audio of a turn, then the end message. */
  private async play(link: Link, heard: Audio, signal: AbortSignal | undefined): Promise<void> {
    const audio = this.options.sampleRate ? resampleCache.resample(heard, this.options.sampleRate) : heard;
    for (const [index, chunk] of this.chunks(audio).entries()) {
      if (index > 0 && this.options.realtime) await sleep(this.options.chunkMs ?? 0, signal);
      await link.send(this.options.send === 'binary' ? chunk : frame(this.message(chunk, audio.sampleRate)));
    }
    if (this.options.endMessage !== undefined) await link.send(frame(this.options.endMessage));
  }

  /** The audio bytes, whole or in chunks of `chunkMs`. */
  private chunks(audio: Audio): Buffer[] {
    const bytes = encodeAudio(audio, this.encoding);
    if (this.options.chunkMs === undefined) return [bytes];
    const size = Math.max(2, Math.round((audio.sampleRate * this.options.chunkMs) / 1000) * 2);
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < bytes.length; offset += size)
      chunks.push(bytes.subarray(offset, offset + size));
    return chunks;
  }

  private message(chunk: Buffer, sampleRate: number): Record<string, unknown> {
    return audioMessage(chunk, this.encoding, sampleRate, this.fields, this.options.extraFields);
  }

  /** Joins the calls of every message that has the path, in the order they came. */
  private read(received: Received[]): AgentResponse {
    const messages = received
      .filter((item): item is { json: unknown } => 'json' in item)
      .map((item) => item.json);
    let toolCalls: ToolCall[] | undefined;
    for (const message of messages) {
      const calls = extractToolCalls(message, this.location);
      if (calls !== undefined) toolCalls = [...(toolCalls ?? []), ...calls];
    }
    if (toolCalls === undefined && this.options.missingPath !== 'no_calls') {
      throw new AgentError(
        `none of the ${messages.length} JSON messages from ${this.shownUrl} has \`${this.location.path}\`${lastMessage(received)}`,
        'set `tool_calls_path` to where the messages hold the calls, or `missing_path: no_calls` if an agent that calls nothing sends no such message',
      );
    }
    const response: AgentResponse = { toolCalls: toolCalls ?? [] };
    const transcript = lastString(messages, this.options.transcriptPath);
    const text = lastString(messages, this.options.textPath);
    if (transcript !== undefined) response.transcript = transcript;
    if (text !== undefined) response.text = text;
    return response;
  }
}

function frame(message: unknown): string {
  return typeof message === 'string' ? message : JSON.stringify(message);
}

function lastString(messages: unknown[], path: string | undefined): string | undefined {
  for (let index = messages.length - 1; index >= 0; index--) {
    const value = readString(messages[index], path);
    if (value !== undefined) return value;
  }
  return undefined;
}

function checkDoneRule(rule: DoneRule | undefined): void {
  const rules =
    rule === undefined
      ? []
      : ['messageType', 'field', 'idleMs', 'count', 'close'].filter((key) => key in rule);
  if (rules.length !== 1) {
    throw new AgentError(
      `\`done\` must name exactly one completion rule, got ${rules.length === 0 ? 'none' : rules.join(' and ')}`,
      'use one of `done: {message_type: response.done}`, `{field: tool_calls}`, `{idle_ms: 1500}`, `{count: 1}` or `{close: true}`',
    );
  }
  if ('field' in (rule as DoneRule)) parsePath((rule as { field: string }).field);
}

/** The config spelling of a done rule (`message_type`, `idle_ms`, ...) in the library's; checked by the agent. */
function doneRuleOf(done: Record<string, unknown>): DoneRule {
  const keys: Record<string, string> = {
    message_type: 'messageType',
    type_key: 'typeKey',
    field: 'field',
    idle_ms: 'idleMs',
    count: 'count',
    close: 'close',
  };
  const rule: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(done)) rule[keys[key] ?? key] = value;
  return rule as DoneRule;
}

/** `provider: websocket`: an agent behind a WebSocket endpoint. */
export const websocketAgentProvider: AgentProvider = {
  id: 'websocket',
  description:
    'An agent behind a WebSocket: russo streams the audio of each run, collects the messages until a completion rule, and reads the tool calls from them.',
  optionsSchema: {
    type: 'object',
    properties: {
      url: {
        type: 'string',
        description: 'ws:// or wss:// URL; `${NAME}` is replaced by the environment variable NAME.',
      },
      send: {
        enum: ['json', 'binary'],
        description: 'json (default): base64 audio in JSON messages; binary: binary frames.',
      },
      ...audioMessageKeys,
      chunk_ms: {
        type: 'number',
        exclusiveMinimum: 0,
        description: 'Send the audio in chunks of this many ms.',
      },
      realtime: {
        type: 'boolean',
        description: 'Pace the chunks in real time (default false: as fast as possible).',
      },
      start_message: { description: 'A message sent before the audio (an object is sent as JSON).' },
      end_message: { description: 'A message sent after the audio (an object is sent as JSON).' },
      tool_result_message: {
        type: 'object',
        description:
          'Constant fields of each tool result message of a conversation, e.g. {type: tool_result}.',
      },
      ...toolResultKeys,
      done: {
        type: 'object',
        properties: {
          message_type: { type: 'string' },
          type_key: { type: 'string' },
          field: { type: 'string' },
          idle_ms: { type: 'number', exclusiveMinimum: 0 },
          count: { type: 'integer', minimum: 1 },
          close: { const: true },
        },
        additionalProperties: false,
        description:
          'When the agent has answered: message_type (with type_key), field, idle_ms, count or close.',
      },
      ...toolCallKeys,
      missing_path: {
        enum: ['error', 'no_calls'],
        description: 'When no message has tool_calls_path: a run error (default) or no calls.',
      },
      open_timeout_s: { type: 'number', exclusiveMinimum: 0, description: 'Time to connect (default 10).' },
      response_timeout_s: {
        type: 'number',
        exclusiveMinimum: 0,
        description: 'Time from the end of the audio to `done` (default 30).',
      },
      close_timeout_s: {
        type: 'number',
        exclusiveMinimum: 0,
        description: 'Time for the close handshake (default 2).',
      },
    },
    required: ['url', 'done'],
    additionalProperties: false,
  },
  create(options, context) {
    const ms = (key: string) =>
      typeof options[key] === 'number' ? (options[key] as number) * 1000 : undefined;
    return new WebSocketAgent({
      url: expandEnv(String(options.url), context.env, 'agent.url'),
      send: options.send as 'json' | 'binary' | undefined,
      ...audioMessageOptions(options, context.env, 'websocket'),
      chunkMs: options.chunk_ms as number | undefined,
      realtime: options.realtime === true,
      startMessage: options.start_message,
      endMessage: options.end_message,
      toolResultMessage: options.tool_result_message as Record<string, unknown> | undefined,
      ...toolResultOptions(options),
      done: doneRuleOf((options.done ?? {}) as Record<string, unknown>),
      ...toolCallOptions(options),
      missingPath: options.missing_path as 'error' | 'no_calls' | undefined,
      openTimeoutMs: ms('open_timeout_s'),
      responseTimeoutMs: ms('response_timeout_s'),
      closeTimeoutMs: ms('close_timeout_s'),
      ...(context.stats ? { stats: context.stats } : {}),
      ...(context.limiter ? { limiter: context.limiter } : {}),
    });
  },
};
