// A fake of the OpenAI Realtime API (GA interface) over TLS WebSocket on 127.0.0.1, for tests and
// benchmarks. The SDK's OpenAIRealtimeWS only speaks wss:, so the fake serves TLS with a
// self-signed certificate for 127.0.0.1 made by `openssl` at start; clients trust it through the
// `ca` it returns. It checks what the client sends (session.update shape, audio format and length,
// commit before response.create, tool outputs before a follow-up response, one response at a time)
// and answers with the GA server events. A session holds its conversation across commits (the
// items of every turn, in order), as the real one does; scripted responses add text, spoken
// replies with or without a transcript, errors, dropped sockets, several calls and failed responses.
// Self-contained (node built-ins and ws) so that benchmarks can load it with Node's type stripping.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';

/** What the fake model does for one `response.create`. */
export interface RealtimeTurn {
  calls?: Array<{ name: string; arguments: string }>;
  /** A text reply (output_text, with its delta and done events). */
  text?: string;
  /** A spoken reply (output_audio) with this transcript, sent in transcript delta and done events. */
  transcript?: string;
  /** A spoken reply without a transcript. */
  audioOnly?: boolean;
  /** Answer with an `error` event instead of a response. */
  error?: { type: string; code: string; message: string };
  /** Close the socket without a close frame after `response.created`. */
  drop?: boolean;
  /** Send `response.created` and nothing more: a model that never finishes. */
  hang?: boolean;
  /** Send the calls only inside `response.done` (no `response.function_call_arguments.done`). */
  onlyInDone?: boolean;
  /** End with `response.done` of status failed and this error. */
  failed?: { type: string; code: string; message: string };
}

/** A handshake the fake refuses: HTTP status, JSON body and headers. */
export interface RefusedHandshake {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Options of the fake. */
export interface RealtimeFakeOptions {
  /**
   * Decides each response: `turn` is 0 for the first `response.create` of a session and counts
   * every response (follow-ups included); `session.commits` tells which caller turn it answers.
   */
  respond: (session: RealtimeSession, turn: number) => RealtimeTurn;
  /** Refuses the handshake of some sessions (by index, counted over all handshakes). */
  handshake?: (index: number) => RefusedHandshake | undefined;
  /** Time from `response.create` to the first response event, in ms (default 0). */
  latencyMs?: number;
  /** Time the handshake takes before the upgrade is answered, in ms (default 0): a server far away. */
  handshakeMs?: number;
}

/** What the fake saw of one session. */
export interface RealtimeSession {
  index: number;
  model: string | null;
  authorization: string | undefined;
  /** The `session` of the client's session.update. */
  session?: Record<string, unknown>;
  /** 16-bit samples appended, over all turns. */
  samples: number;
  /** Commits of the input audio buffer: the caller turns so far. */
  commits: number;
  /** The conversation as the server holds it, in order: each turn's audio, calls, outputs and replies. */
  items: ConversationItem[];
  /** The appended audio, as the client sent it (s16le). */
  audio: Buffer[];
  appends: number;
  /** Client event types in order. */
  events: string[];
  /** Protocol problems found; each was also sent to the client as an `error` event. */
  problems: string[];
  toolOutputs: Array<{ call_id: string; output: string }>;
  /** True once the client closed the socket. */
  closed: boolean;
  /** Drops the connection as a network failure would (no close frame). */
  drop(): void;
  /** performance.now() when the WebSocket opened, and when the first response.done was sent. */
  openedAt: number;
  answeredAt?: number;
}

/** An item of a session's conversation. */
export type ConversationItem =
  | { type: 'input_audio'; samples: number }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string }
  | { type: 'message'; text?: string; transcript?: string; audio?: boolean };

/** A running fake. */
export interface RealtimeFake {
  /** https:// base URL for the SDK client; the SDK turns it into wss://…/realtime. */
  baseURL: string;
  /** PEM of the certificate, for the client's `ca`. */
  ca: string;
  sessions: RealtimeSession[];
  /** Handshakes seen, refused ones included. */
  handshakes: number;
  /** TLS connections that resumed an earlier TLS session (a ticket of this server) instead of a full handshake. */
  tlsResumptions: number;
  close(): Promise<void>;
}

/** The key the fake accepts. */
export const REALTIME_FAKE_KEY = 'sk-test-realtime-key-0123456789';

let certificate: { key: string; cert: string } | undefined;

/** A self-signed EC certificate for 127.0.0.1, made once per process with openssl. */
export function selfSignedCertificate(): { key: string; cert: string } {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'russo-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1'],
        ...['-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      ],
      { stdio: 'pipe' },
    );
    certificate = {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
    return certificate;
  } catch (error) {
    throw new Error(
      `the Realtime fake needs openssl to make its TLS certificate: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the fake on 127.0.0.1 with TLS. */
export async function startRealtimeFake(options: RealtimeFakeOptions): Promise<RealtimeFake> {
  const { key, cert } = selfSignedCertificate();
  const server = createServer({ key, cert });
  const sockets = new Set<Socket>();
  server.on('secureConnection', (socket) => {
    if (socket.isSessionReused()) fake.tlsResumptions++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const fake: RealtimeFake = {
    baseURL: '',
    ca: cert,
    sessions: [],
    handshakes: 0,
    tlsResumptions: 0,
    close: () =>
      new Promise((resolve) => {
        wss.close();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const wss = new WebSocketServer({
    server,
    path: '/v1/realtime',
    verifyClient: (_info, callback) => {
      const refused = options.handshake?.(fake.handshakes++);
      const answer = () =>
        refused
          ? callback(false, refused.status, JSON.stringify(refused.body ?? {}), refused.headers)
          : callback(true);
      if (options.handshakeMs) setTimeout(answer, options.handshakeMs);
      else answer();
    },
  });
  wss.on('connection', (socket, request) => {
    const url = new URL(request.url ?? '/', 'https://127.0.0.1');
    const session: RealtimeSession = {
      index: fake.sessions.length,
      model: url.searchParams.get('model'),
      authorization: request.headers.authorization,
      samples: 0,
      commits: 0,
      items: [],
      audio: [],
      appends: 0,
      events: [],
      problems: [],
      toolOutputs: [],
      closed: false,
      drop: () => socket.terminate(),
      openedAt: performance.now(),
    };
    fake.sessions.push(session);
    serveSession(socket, session, options);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseURL = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}

/** Plays the server side of one session. */
function serveSession(socket: WebSocket, session: RealtimeSession, options: RealtimeFakeOptions): void {
  let events = 0;
  /** Samples appended since the last commit. */
  let buffered = 0;
  let responding = false;
  let turn = 0;
  let pendingCalls: string[] = [];
  const send = (event: Record<string, unknown>) => {
    if (socket.readyState === socket.OPEN)
      socket.send(JSON.stringify({ event_id: `event_${events++}`, ...event }));
  };
  const problem = (message: string) => {
    session.problems.push(message);
    send({
      type: 'error',
      error: { type: 'invalid_request_error', code: 'fake_protocol_violation', message },
    });
  };
  socket.on('close', () => (session.closed = true));
  if (session.authorization !== `Bearer ${REALTIME_FAKE_KEY}`) {
    send({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        code: 'invalid_api_key',
        message: 'Incorrect API key provided.',
      },
    });
    socket.close(1008, 'invalid key');
    return;
  }
  send({
    type: 'session.created',
    session: { type: 'realtime', id: `sess_${session.index}`, model: session.model },
  });
  socket.on('message', (data) => {
    const event = JSON.parse(data.toString()) as Record<string, unknown> & { type: string };
    session.events.push(event.type);
    switch (event.type) {
      case 'session.update': {
        if (session.events.length !== 1) problem('session.update must come first');
        const sessionProblem = checkSessionUpdate(event.session);
        if (sessionProblem) return problem(sessionProblem);
        session.session = event.session as Record<string, unknown>;
        return send({ type: 'session.updated', session: event.session });
      }
      case 'input_audio_buffer.append': {
        const bytes = Buffer.from(String(event.audio), 'base64');
        if (bytes.length % 2 !== 0) return problem('appended audio is not 16-bit PCM');
        session.samples += bytes.length / 2;
        buffered += bytes.length / 2;
        session.audio.push(bytes);
        session.appends++;
        return;
      }
      case 'input_audio_buffer.commit':
        if (buffered === 0) {
          return send({
            type: 'error',
            error: {
              type: 'invalid_request_error',
              code: 'input_audio_buffer_commit_empty',
              message: 'buffer too small',
            },
          });
        }
        session.items.push({ type: 'input_audio', samples: buffered });
        buffered = 0;
        return send({
          type: 'input_audio_buffer.committed',
          item_id: `item_audio_${session.commits++}`,
          previous_item_id: null,
        });
      case 'conversation.item.create': {
        const item = event.item as { type?: string; call_id?: string; output?: string };
        if (
          item.type !== 'function_call_output' ||
          typeof item.call_id !== 'string' ||
          typeof item.output !== 'string'
        ) {
          return problem(
            'conversation.item.create must carry a function_call_output with call_id and output',
          );
        }
        if (!pendingCalls.includes(item.call_id))
          return problem(`no call ${item.call_id} is waiting for an output`);
        pendingCalls = pendingCalls.filter((id) => id !== item.call_id);
        session.toolOutputs.push({ call_id: item.call_id, output: item.output });
        session.items.push({ type: 'function_call_output', call_id: item.call_id, output: item.output });
        return send({ type: 'conversation.item.added', item: { ...item, id: `item_out_${item.call_id}` } });
      }
      case 'response.create': {
        if (session.commits === 0) return problem('response.create came before input_audio_buffer.commit');
        if (responding) {
          return send({
            type: 'error',
            error: {
              type: 'invalid_request_error',
              code: 'conversation_already_has_active_response',
              message: 'Conversation already has an active response in progress.',
            },
          });
        }
        if (pendingCalls.length > 0)
          return problem(`response.create before the outputs of ${pendingCalls.join(', ')}`);
        const script = options.respond(session, turn);
        const responseIndex = turn++;
        responding = true;
        const answer = () => {
          responding = false;
          pendingCalls = respondTo(send, socket, script, session, responseIndex);
        };
        if (options.latencyMs) setTimeout(answer, options.latencyMs);
        else answer();
        return;
      }
      default:
        return problem(`unexpected client event ${event.type}`);
    }
  });
}

/** Sends the events of one response; returns the call ids that now wait for outputs. */
function respondTo(
  send: (event: Record<string, unknown>) => void,
  socket: WebSocket,
  script: RealtimeTurn,
  session: RealtimeSession,
  turn: number,
): string[] {
  if (script.error) {
    send({ type: 'error', error: { ...script.error, param: null, event_id: null } });
    return [];
  }
  const responseId = `resp_${session.index}_${turn}`;
  send({
    type: 'response.created',
    response: { id: responseId, object: 'realtime.response', status: 'in_progress', output: [] },
  });
  if (script.drop) {
    socket.terminate();
    return [];
  }
  if (script.hang) return [];
  const output: Array<Record<string, unknown>> = [];
  (script.calls ?? []).forEach((call, index) => {
    const item = {
      id: `item_${responseId}_${index}`,
      type: 'function_call',
      object: 'realtime.item',
      status: 'completed',
      call_id: `call_${responseId}_${index}`,
      name: call.name,
      arguments: call.arguments,
    };
    send({
      type: 'response.output_item.added',
      response_id: responseId,
      output_index: index,
      item: { ...item, arguments: '', status: 'in_progress' },
    });
    if (!script.onlyInDone) {
      const common = {
        response_id: responseId,
        item_id: item.id,
        output_index: index,
        call_id: item.call_id,
      };
      send({ type: 'response.function_call_arguments.delta', ...common, delta: call.arguments });
      send({
        type: 'response.function_call_arguments.done',
        ...common,
        name: call.name,
        arguments: call.arguments,
      });
    }
    send({ type: 'response.output_item.done', response_id: responseId, output_index: index, item });
    output.push(item);
    session.items.push({
      type: 'function_call',
      call_id: item.call_id,
      name: call.name,
      arguments: call.arguments,
    });
  });
  const reply = replyItem(send, script, responseId, output.length);
  if (reply) {
    output.push(reply.item);
    session.items.push(reply.conversationItem);
  }
  const audioTokens = Math.round(session.samples / 2400);
  session.answeredAt ??= performance.now();
  send({
    type: 'response.done',
    response: {
      id: responseId,
      object: 'realtime.response',
      status: script.failed ? 'failed' : 'completed',
      ...(script.failed ? { status_details: { type: 'failed', error: script.failed } } : {}),
      output,
      usage: {
        total_tokens: 60 + audioTokens + 10,
        input_tokens: 60 + audioTokens,
        output_tokens: 10,
        input_token_details: {
          text_tokens: 60,
          audio_tokens: audioTokens,
          cached_tokens: 0,
          cached_tokens_details: { text_tokens: 0, audio_tokens: 0 },
        },
        output_token_details: { text_tokens: 10, audio_tokens: 0 },
      },
    },
  });
  return script.failed
    ? []
    : output.filter((item) => item.type === 'function_call').map((item) => String(item.call_id));
}

/**
 * The assistant message of a response with a reply, and its events: text deltas and done for a
 * text reply, transcript deltas and done for a spoken one (audio without a transcript has none).
 */
function replyItem(
  send: (event: Record<string, unknown>) => void,
  script: RealtimeTurn,
  responseId: string,
  outputIndex: number,
): { item: Record<string, unknown>; conversationItem: ConversationItem } | undefined {
  const id = `item_${responseId}_reply`;
  const common = { response_id: responseId, item_id: id, output_index: outputIndex, content_index: 0 };
  const message = (part: Record<string, unknown>) => ({
    id,
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [part],
  });
  if (script.text !== undefined) {
    for (const delta of words(script.text)) send({ type: 'response.output_text.delta', ...common, delta });
    send({ type: 'response.output_text.done', ...common, text: script.text });
    return {
      item: message({ type: 'output_text', text: script.text }),
      conversationItem: { type: 'message', text: script.text },
    };
  }
  if (script.transcript !== undefined) {
    send({ type: 'response.output_audio.delta', ...common, delta: 'AAAA' });
    for (const delta of words(script.transcript))
      send({ type: 'response.output_audio_transcript.delta', ...common, delta });
    send({ type: 'response.output_audio_transcript.done', ...common, transcript: script.transcript });
    return {
      item: message({ type: 'output_audio', transcript: script.transcript }),
      conversationItem: { type: 'message', transcript: script.transcript, audio: true },
    };
  }
  if (script.audioOnly) {
    send({ type: 'response.output_audio.delta', ...common, delta: 'AAAA' });
    return {
      item: message({ type: 'output_audio' }),
      conversationItem: { type: 'message', audio: true },
    };
  }
  return undefined;
}

/** A text in the deltas a model streams: word by word, spaces kept. */
function words(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** The parts of a GA session.update body the fake checks. */
interface SessionUpdate {
  type?: unknown;
  output_modalities?: unknown;
  audio?: { input?: { format?: { type?: unknown; rate?: unknown }; turn_detection?: unknown } };
  tools?: Array<{ type?: unknown; name?: unknown; parameters?: unknown }>;
}

/** What is wrong with a GA session.update body, or undefined. */
function checkSessionUpdate(session: unknown): string | undefined {
  const s = (session ?? {}) as SessionUpdate;
  if (s.type !== 'realtime') return 'session.type must be "realtime" (GA interface)';
  if (JSON.stringify(s.output_modalities) !== '["text"]') return 'output_modalities must be ["text"]';
  const input = s.audio?.input;
  if (input?.format?.type !== 'audio/pcm' || input.format.rate !== 24000) {
    return 'audio.input.format must be {type: "audio/pcm", rate: 24000}';
  }
  if (input.turn_detection !== null) return 'audio.input.turn_detection must be null';
  for (const tool of s.tools ?? []) {
    if (tool.type !== 'function' || typeof tool.name !== 'string' || typeof tool.parameters !== 'object') {
      return `tools must be {type: "function", name, parameters}, got ${JSON.stringify(tool)}`;
    }
  }
  return undefined;
}
