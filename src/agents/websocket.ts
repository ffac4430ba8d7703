import type { RawData, WebSocket } from 'ws';
import { resampleCache } from '../audio/resample-cache.js';
import { AgentError } from '../core/errors.js';
import type { AgentProvider } from '../core/provider.js';
import { sleep } from '../core/retry.js';
import { excerpt } from '../core/tool-call.js';
import type { Agent, AgentResponse, AgentRunOptions, Audio, ToolCall } from '../core/types.js';
import {
  audioFields,
  audioMessage,
  encodeAudio,
  type AudioEncoding,
  type AudioFields,
} from './audio-payload.js';
import { causeMessage, printableUrl } from './endpoint.js';
import { expandEnv } from './expand-env.js';
import {
  extractToolCalls,
  parsePath,
  readPath,
  readString,
  toolCallLocation,
  type ToolCallLocation,
} from './extract-calls.js';
import {
  audioMessageKeys,
  audioMessageOptions,
  toolCallKeys,
  toolCallOptions,
} from './json-agent-options.js';

/**
 * When the agent has answered: a message whose type (at `typeKey`, default `type`) is `messageType`,
 * a message that has `field`, `idleMs` without a message (counted from the first one), `count`
 * JSON messages, or the server closing the connection.
 */
export type DoneRule =
  | { messageType: string; typeKey?: string }
  | { field: string }
  | { idleMs: number }
  | { count: number }
  | { close: true };

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
  /** error (default): a run where no message had the calls' path is an error; no_calls: it made no call. */
  missingPath?: 'error' | 'no_calls';
  /** Time to connect (default 10 s), to reach `done` after the audio was sent (30 s), and to close (2 s). */
  openTimeoutMs?: number;
  responseTimeoutMs?: number;
  closeTimeoutMs?: number;
  /** Name in reports; default `websocket:` and the URL without its query. */
  id?: string;
}

/** A frame from the agent: parsed JSON, or the text of a frame that was not JSON. */
type Received = { json: unknown } | { text: string };

/**
 * An agent behind a WebSocket: each run opens a connection, streams the audio, collects the
 * agent's messages until the `done` rule holds, and reads the tool calls from them. The socket
 * is always closed, whatever happens. The `ws` package is loaded by the first run, not when russo starts.
 */
export class WebSocketAgent implements Agent {
  readonly id: string;
  private readonly location: ToolCallLocation;
  private readonly fields: AudioFields;
  private readonly shownUrl: string;
  private readonly encoding: AudioEncoding;

  constructor(private readonly options: WebSocketAgentOptions) {
    this.shownUrl = printableUrl(options.url, ['ws:', 'wss:']);
    this.id = options.id ?? `websocket:${this.shownUrl}`;
    this.location = toolCallLocation(options.toolCalls);
    this.fields = audioFields(options.fields);
    this.encoding = options.audioEncoding ?? 'pcm16';
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
    const { WebSocket } = await import('ws');
    signal?.throwIfAborted();
    const audio = this.options.sampleRate ? resampleCache.resample(heard, this.options.sampleRate) : heard;
    const socket = new WebSocket(this.options.url, { headers: this.options.headers });
    const conversation = new Conversation(socket, this.options.done, this.shownUrl, signal);
    try {
      await conversation.opened(this.options.openTimeoutMs ?? 10_000);
      if (this.options.startMessage !== undefined) await send(socket, frame(this.options.startMessage));
      for (const [index, chunk] of this.chunks(audio).entries()) {
        if (index > 0 && this.options.realtime) await sleep(this.options.chunkMs ?? 0, signal);
        await send(
          socket,
          this.options.send === 'binary' ? chunk : frame(this.message(chunk, audio.sampleRate)),
        );
      }
      if (this.options.endMessage !== undefined) await send(socket, frame(this.options.endMessage));
      const received = await conversation.finished(this.options.responseTimeoutMs ?? 30_000);
      return this.read(received);
    } finally {
      conversation.dispose();
      await closeSocket(socket, this.options.closeTimeoutMs ?? 2_000);
    }
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

/**
 * The receiving side of one run: records every frame from the moment the socket exists and
 * settles `finished` when the done rule holds, or with an AgentError when the connection fails.
 */
class Conversation {
  readonly received: Received[] = [];
  private jsonCount = 0;
  /** Frames of any kind, binary included. */
  private frames = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private responseTimer: NodeJS.Timeout | undefined;
  private readonly done: Promise<Received[]>;
  private settle!: { resolve: (value: Received[]) => void; reject: (error: unknown) => void };
  private failure: unknown;
  private readonly onAbort: () => void;

  constructor(
    private readonly socket: WebSocket,
    private readonly rule: DoneRule,
    private readonly shownUrl: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.done = new Promise<Received[]>((resolve, reject) => (this.settle = { resolve, reject }));
    // Nobody awaits `done` until the audio is sent; a failure before that is rethrown by `opened` or `finished`.
    this.done.catch(() => undefined);
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('error', (error) =>
      this.fail(new AgentError(`WebSocket error from ${shownUrl}: ${causeMessage(error)}`)),
    );
    socket.on('unexpected-response', (_request, response) => {
      this.fail(
        new AgentError(
          `${shownUrl} refused the WebSocket upgrade with HTTP ${response.statusCode}`,
          response.statusCode === 401 || response.statusCode === 403
            ? 'check the credentials in `headers` (and the environment variables they name)'
            : 'check `url`: the endpoint must accept WebSocket connections',
        ),
      );
      response.resume();
    });
    socket.on('close', (code, reason) => {
      if ('close' in rule) return this.finish();
      const why = reason.length > 0 ? `: ${excerpt(reason.toString(), 100)}` : '';
      this.fail(
        new AgentError(
          `${shownUrl} closed the connection (code ${code}${why}) before ${describeRule(rule)}; ` +
            `${this.jsonCount} JSON messages${lastMessage(this.received)}`,
          'check the agent logs, and that `done` names a message the agent really sends',
        ),
      );
    });
    this.onAbort = () => this.fail(signal?.reason);
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Resolves once the socket is open; rejects on a failed handshake, the open timeout or a cancel. */
  async opened(timeoutMs: number): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        new Promise<void>((resolve) => this.socket.once('open', () => resolve())),
        this.done.then(() => undefined),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new AgentError(
                  `no connection to ${this.shownUrl} within ${seconds(timeoutMs)}`,
                  'check that the agent is running and `url` is right',
                ),
              ),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    if (this.failure !== undefined) throw this.failure;
  }

  /** The frames received once the done rule holds; the response timeout starts now (the audio is sent). */
  finished(timeoutMs: number): Promise<Received[]> {
    this.responseTimer = setTimeout(
      () =>
        this.fail(
          new AgentError(
            `no answer from ${this.shownUrl} within ${seconds(timeoutMs)} of the end of the audio: waited for ${describeRule(this.rule)}; ` +
              `${this.jsonCount} JSON messages${lastMessage(this.received)}`,
            'raise `response_timeout_s`, or check that `done` names a message the agent really sends',
          ),
        ),
      timeoutMs,
    );
    this.armIdle();
    if (this.holds()) this.finish();
    return this.done;
  }

  /** Stops the timers and listeners; the socket itself is closed by the caller. */
  dispose(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.responseTimer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    this.frames++;
    if (!isBinary) {
      const text = rawText(data);
      try {
        this.received.push({ json: JSON.parse(text) });
        this.jsonCount++;
      } catch {
        this.received.push({ text });
      }
    }
    // The rules only apply once the audio is out: an early message must not end the run.
    if (this.responseTimer === undefined) return;
    // Binary frames (the agent's own speech) count for idleness: they show it is still talking.
    this.armIdle();
    if (this.holds()) this.finish();
  }

  /** (Re)starts the idle countdown of an `idleMs` rule, once the agent has sent something. */
  private armIdle(): void {
    if (!('idleMs' in this.rule) || this.frames === 0) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.finish(), this.rule.idleMs);
  }

  /** True when the frames so far satisfy a rule that is about messages (type, field, count). */
  private holds(): boolean {
    const rule = this.rule;
    if ('count' in rule) return this.jsonCount >= rule.count;
    if (!('messageType' in rule) && !('field' in rule)) return false;
    return this.received.some((item) => {
      if (!('json' in item)) return false;
      if ('field' in rule) return readPath(item.json, rule.field).found;
      const type = readPath(item.json, rule.typeKey ?? 'type');
      return type.found && type.value === rule.messageType;
    });
  }

  /** Settles with the frames so far; later frames (after the agent said it was done) are not part of the run. */
  private finish(): void {
    this.settle.resolve([...this.received]);
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    this.settle.reject(this.failure);
  }
}

/** Sends one frame and waits until it is written. */
function send(socket: WebSocket, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.send(data, (error) =>
      error ? reject(new AgentError(`the connection broke while sending: ${error.message}`)) : resolve(),
    ),
  );
}

/** Closes the socket politely, and drops it when the server does not finish the close handshake in time. */
async function closeSocket(socket: WebSocket, timeoutMs: number): Promise<void> {
  if (socket.readyState === socket.CLOSED) return;
  if (socket.readyState === socket.CONNECTING) {
    socket.terminate();
    return;
  }
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  socket.close(1000);
  let timer: NodeJS.Timeout | undefined;
  const polite = await Promise.race([
    closed,
    new Promise<boolean>((resolve) => (timer = setTimeout(resolve, timeoutMs, false))),
  ]);
  clearTimeout(timer);
  if (!polite) socket.terminate();
}

function frame(message: unknown): string {
  return typeof message === 'string' ? message : JSON.stringify(message);
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function lastString(messages: unknown[], path: string | undefined): string | undefined {
  for (let index = messages.length - 1; index >= 0; index--) {
    const value = readString(messages[index], path);
    if (value !== undefined) return value;
  }
  return undefined;
}

function lastMessage(received: Received[]): string {
  const last = received.at(-1);
  if (last === undefined) return '';
  return `; the last was ${excerpt('json' in last ? JSON.stringify(last.json) : last.text)}`;
}

function describeRule(rule: DoneRule): string {
  if ('messageType' in rule) return `a message with ${rule.typeKey ?? 'type'} "${rule.messageType}"`;
  if ('field' in rule) return `a message with \`${rule.field}\``;
  if ('count' in rule) return `${rule.count} JSON messages`;
  if ('idleMs' in rule) return `${rule.idleMs} ms without a message`;
  return 'the server closing the connection';
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

function seconds(ms: number): string {
  return `${ms / 1000} s`;
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
      done: doneRuleOf((options.done ?? {}) as Record<string, unknown>),
      ...toolCallOptions(options),
      missingPath: options.missing_path as 'error' | 'no_calls' | undefined,
      openTimeoutMs: ms('open_timeout_s'),
      responseTimeoutMs: ms('response_timeout_s'),
      closeTimeoutMs: ms('close_timeout_s'),
    });
  },
};
