import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A fake of the Gemini API on 127.0.0.1, speaking the protocol `@google/genai` speaks (read from
 * the SDK's source, v3): `POST /{version}/models/{model}:generateContent` with the key in
 * `x-goog-api-key`, and the Live socket at
 * `/ws/google.ai.generativelanguage.{version}.GenerativeService.BidiGenerateContent?key=KEY`, where the
 * client's first message is `{setup}`, answered by `{setupComplete: {}}`. Server messages go out as
 * binary frames holding JSON, as the real service sends them. A bad key gets what the real service
 * gives: HTTP 400 INVALID_ARGUMENT, and a Live close with code 1008; so does a contents history the
 * service refuses (a function call turn not answered by as many function responses). A Live session
 * keeps its caller turns apart: the audio sent before each `audioStreamEnd`.
 */

export const FAKE_GEMINI_KEY = 'AIzaFAKE-test-key-0123456789';

/** A generateContent request as the fake received it. */
export interface GenerateRequest {
  apiVersion: string;
  model: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A test's answer to a generateContent request: a status (default 200) and a JSON body. */
export interface FakeAnswer {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Waits this long before answering (a slow service). */
  delayMs?: number;
}

/** One Live session as the fake saw it. */
export interface LiveConnection {
  path: string;
  /** The `setup` message of the client. */
  setup: Record<string, unknown>;
  /** Every client message after the setup, parsed. */
  messages: Array<Record<string, unknown>>;
  /** The audio of each caller turn (16-bit PCM), closed by its `audioStreamEnd`; the last may be open. */
  turns: Buffer[];
  /** Sends a server message as the real service does (a binary frame of JSON). */
  send(message: unknown): void;
  close(code: number, reason: string): void;
  /** Resolves with the close code once the socket is closed, by either side. */
  closed: Promise<number>;
}

/** How a test plays the service. */
export interface FakeGeminiScript {
  generate?: (request: GenerateRequest, index: number) => FakeAnswer | Promise<FakeAnswer>;
  /** Called for every client message after the setup. */
  live?: (connection: LiveConnection, message: Record<string, unknown>) => void;
  /** Called once the setup is answered. */
  liveSetup?: (connection: LiveConnection) => void;
  /** Closes the socket of some Live connections (by index) at their setup instead of answering it. */
  liveRefuse?: (index: number) => { code: number; reason: string } | undefined;
}

/** The running fake: its base URL (for `httpOptions.baseUrl`), and what it received. */
export interface FakeGeminiServer {
  baseUrl: string;
  requests: GenerateRequest[];
  live: LiveConnection[];
  close(): Promise<void>;
}

const GENERATE_PATH = /^\/(v1[a-z0-9]*)\/models\/([^/:]+):generateContent$/;
const LIVE_PATH =
  /^\/+ws\/google\.ai\.generativelanguage\.(v1[a-z0-9]*)\.GenerativeService\.BidiGenerateContent$/;

/** Starts the fake on a free port. */
export async function startGeminiServer(script: FakeGeminiScript): Promise<FakeGeminiServer> {
  const sockets = new Set<Socket>();
  const fake: FakeGeminiServer = {
    baseUrl: '',
    requests: [],
    live: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets) client.destroy();
        for (const client of wss.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = GENERATE_PATH.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !match) {
      return answer(404, googleError(404, 'NOT_FOUND', `no route ${req.method} ${req.url}`));
    }
    if (req.headers['x-goog-api-key'] !== FAKE_GEMINI_KEY) {
      return answer(
        400,
        googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.'),
      );
    }
    const request: GenerateRequest = {
      apiVersion: match[1] as string,
      model: match[2] as string,
      headers: req.headers,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
    };
    fake.requests.push(request);
    const problem = contentsProblem(request.body.contents);
    if (problem) return answer(400, googleError(400, 'INVALID_ARGUMENT', problem));
    const reply = await (script.generate?.(request, fake.requests.length - 1) ?? { status: 500, body: {} });
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (!res.destroyed) answer(reply.status ?? 200, reply.body, reply.headers);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const wss = new WebSocketServer({ noServer: true });
  let handshakes = 0;
  server.on('upgrade', (req, socket, head) => {
    // The SDK joins its base URL and path with a double slash (`//ws/...`): read the path as it came.
    const [path = '', query = ''] = (req.url ?? '').split('?');
    if (!LIVE_PATH.test(path)) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (new URLSearchParams(query).get('key') !== FAKE_GEMINI_KEY) {
        ws.close(1008, 'API key not valid. Please pass a valid API key.');
        return;
      }
      const refused = script.liveRefuse?.(handshakes++);
      fake.live.push(liveConnection(ws, req.url ?? '', script, refused));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function liveConnection(
  ws: WebSocket,
  path: string,
  script: FakeGeminiScript,
  refused: { code: number; reason: string } | undefined,
): LiveConnection {
  const connection: LiveConnection = {
    path,
    setup: {},
    messages: [],
    turns: [],
    send: (message) => ws.send(Buffer.from(JSON.stringify(message)), { binary: true }),
    close: (code, reason) => ws.close(code, reason),
    closed: new Promise((resolve) => ws.on('close', (code) => resolve(code))),
  };
  let setupDone = false;
  let turnOpen = false;
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>;
    if (!setupDone) {
      if (!message.setup)
        return ws.close(1007, 'Request contains an invalid argument: setup must come first.');
      if (refused) return ws.close(refused.code, refused.reason);
      setupDone = true;
      connection.setup = message.setup as Record<string, unknown>;
      connection.send({ setupComplete: {} });
      script.liveSetup?.(connection);
      return;
    }
    connection.messages.push(message);
    const input = message.realtimeInput as
      { audio?: { data?: string }; audioStreamEnd?: boolean } | undefined;
    if (input?.audio?.data) {
      const index = turnOpen ? connection.turns.length - 1 : connection.turns.push(Buffer.alloc(0)) - 1;
      turnOpen = true;
      connection.turns[index] = Buffer.concat([
        connection.turns[index] as Buffer,
        Buffer.from(input.audio.data, 'base64'),
      ]);
    }
    if (input?.audioStreamEnd) turnOpen = false;
    script.live?.(connection, message);
  });
  return connection;
}

type Part = { functionCall?: unknown; functionResponse?: unknown };

/**
 * What the service refuses in a contents history, in its words: roles other than user and model,
 * and a turn of function calls that is not followed at once by a user turn with as many function
 * responses. Undefined when the history is acceptable.
 */
function contentsProblem(contents: unknown): string | undefined {
  if (!Array.isArray(contents) || contents.length === 0) return '* contents: contents is not specified';
  const turns = contents as Array<{ role?: string; parts?: Part[] }>;
  for (const [index, turn] of turns.entries()) {
    if (turn.role !== 'user' && turn.role !== 'model')
      return `Please use a valid role: user, model. (contents[${index}].role: ${String(turn.role)})`;
    const calls = (turn.parts ?? []).filter((part) => part.functionCall).length;
    if (calls === 0) continue;
    const next = turns[index + 1];
    const responses = (next?.parts ?? []).filter((part) => part.functionResponse).length;
    if (next === undefined || next.role !== 'user' || responses !== calls) {
      return 'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.';
    }
  }
  return undefined;
}

/** A Google API error body, as the real service shapes it. */
export function googleError(code: number, status: string, message: string, details?: unknown[]): unknown {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}
