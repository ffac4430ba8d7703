// A fake of OpenAI's HTTP API on 127.0.0.1 (speech and chat completions) for tests and benchmarks.
// It checks what the real SDK sends (path, key, body shape) and answers as the API does, or with
// scripted faults: 429 with retry-after, 429 insufficient_quota, 5xx, a body cut mid-way, a hang.
// Self-contained (node built-ins only) so that benchmarks can load it with Node's type stripping.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the fake received it. */
export interface FakeRequest {
  index: number;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body. */
  body: Record<string, unknown>;
}

/** How the fake answers one request. */
export type FakeAction =
  | { type: 'json'; status?: number; body: unknown; headers?: Record<string, string>; delayMs?: number }
  | { type: 'bytes'; body: Buffer; contentType: string; delayMs?: number }
  /** Send the headers and the first half of the body, then destroy the socket. */
  | { type: 'drop'; body: Buffer; contentType: string }
  /** Never answer. */
  | { type: 'hang' };

/** A running fake. */
export interface OpenAIHttpFake {
  /** Base URL for the SDK, e.g. http://127.0.0.1:1234/v1 */
  baseURL: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

/** The key the fake accepts; anything else is a 401 as the API answers it. */
export const FAKE_KEY = 'sk-test-fake-key-0123456789abcdef';

/** Starts the fake; `respond` decides every answer after the fake checked the path and the key. */
export async function startOpenAIHttpFake(
  respond: (request: FakeRequest) => FakeAction | Promise<FakeAction>,
): Promise<OpenAIHttpFake> {
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return send(response, apiError(400, 'invalid_request_error', 'the body is not JSON'));
    }
    const request: FakeRequest = {
      index: requests.length,
      method: incoming.method ?? '',
      path: new URL(incoming.url ?? '/', 'http://x').pathname,
      headers: incoming.headers,
      body,
    };
    requests.push(request);
    if (incoming.headers.authorization !== `Bearer ${FAKE_KEY}`) {
      return send(
        response,
        apiError(
          401,
          'invalid_request_error',
          'Incorrect API key provided: sk-wron*****************1234.',
          'invalid_api_key',
        ),
      );
    }
    send(response, await respond(request));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, action: FakeAction): void {
  if (action.type === 'hang') return;
  if (action.type === 'drop') {
    response.writeHead(200, {
      'content-type': action.contentType,
      'content-length': String(action.body.length),
    });
    response.write(action.body.subarray(0, Math.floor(action.body.length / 2)), () =>
      response.socket?.destroy(),
    );
    return;
  }
  const write = () => {
    if (action.type === 'bytes') {
      response.writeHead(200, {
        'content-type': action.contentType,
        'content-length': String(action.body.length),
      });
      response.end(action.body);
    } else {
      const text = JSON.stringify(action.body);
      response.writeHead(action.status ?? 200, { 'content-type': 'application/json', ...action.headers });
      response.end(text);
    }
  };
  if (action.delayMs) setTimeout(write, action.delayMs);
  else write();
}

/** An error answer in the API's shape: `{error: {message, type, code}}`. */
export function apiError(
  status: number,
  type: string,
  message: string,
  code: string | null = null,
  headers: Record<string, string> = {},
): FakeAction {
  return { type: 'json', status, body: { error: { message, type, code, param: null } }, headers };
}

/** 429 rate limit, as the API sends it, with a retry-after-ms header. */
export function rateLimited(retryAfterMs: number): FakeAction {
  return apiError(429, 'requests', 'Rate limit reached for requests', 'rate_limit_exceeded', {
    'retry-after-ms': String(retryAfterMs),
  });
}

/** 429 insufficient_quota: no retry can help. */
export function quotaExceeded(): FakeAction {
  return apiError(429, 'insufficient_quota', 'You exceeded your current quota.', 'insufficient_quota');
}

/** Speech as the API makes it for `response_format: pcm`: s16le mono at 24 kHz, 0.1 s per word here. */
export function speechPcm(input: string): Buffer {
  const samples = input.split(/\s+/).filter(Boolean).length * 2400;
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++)
    pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / 24000)), i * 2);
  return pcm;
}

/** Checks a speech request as the API would; returns the problem, or undefined when it is well formed. */
export function speechProblem(request: FakeRequest): string | undefined {
  const { body } = request;
  if (request.method !== 'POST' || request.path !== '/v1/audio/speech')
    return `unexpected ${request.method} ${request.path}`;
  if (typeof body.input !== 'string' || body.input === '') return 'input is missing';
  if (typeof body.model !== 'string' || typeof body.voice !== 'string') return 'model and voice are required';
  if (body.response_format !== 'pcm')
    return `expected response_format pcm, got ${String(body.response_format)}`;
  if (body.instructions !== undefined && String(body.model).startsWith('tts-1'))
    return 'instructions are not supported';
  return undefined;
}

/** The normal answer to a speech request, or a 400 naming what is wrong with it. */
export function speech(request: FakeRequest): FakeAction {
  const problem = speechProblem(request);
  if (problem) return apiError(400, 'invalid_request_error', problem);
  return { type: 'bytes', body: speechPcm(String(request.body.input)), contentType: 'audio/pcm' };
}

/** A call the fake chat model makes; `arguments` is sent as is (a JSON string, possibly malformed). */
export interface FakeChatCall {
  name: string;
  arguments: string;
}

/** A chat message as the fake reads it. */
interface ChatMessage {
  role: string;
  content: unknown;
  tool_calls?: Array<{ id: string }>;
  tool_call_id?: string;
}

/**
 * Checks a chat request with audio: every user message (one per caller turn of a conversation)
 * must carry one `input_audio` WAV part and no text (the agent hears audio only), and the history
 * must be one the API accepts: an assistant message with `tool_calls` followed by a tool message
 * for each of its calls, and no tool message anywhere else. Returns the problem, or undefined.
 */
export function chatProblem(request: FakeRequest): string | undefined {
  if (request.method !== 'POST' || request.path !== '/v1/chat/completions')
    return `unexpected ${request.method} ${request.path}`;
  const messages = (request.body.messages ?? []) as ChatMessage[];
  const users = messages.filter((message) => message.role === 'user');
  if (users.length === 0) return 'the request has no user message';
  for (const user of users) {
    const parts = Array.isArray(user.content) ? (user.content as Array<Record<string, unknown>>) : [];
    if (parts.length !== 1 || parts[0]?.type !== 'input_audio')
      return 'each user message must be one input_audio part';
    const audio = parts[0].input_audio as { data?: string; format?: string };
    if (audio.format !== 'wav') return `expected format wav, got ${String(audio.format)}`;
    const wav = Buffer.from(audio.data ?? '', 'base64');
    if (wav.subarray(0, 4).toString('ascii') !== 'RIFF' || wav.subarray(8, 12).toString('ascii') !== 'WAVE') {
      return 'input_audio data is not a WAV file';
    }
  }
  let waiting: string[] = [];
  for (const message of messages) {
    if (message.role === 'tool') {
      if (!waiting.includes(message.tool_call_id ?? ''))
        return "messages with role 'tool' must be a response to a preceding message with 'tool_calls'";
      waiting = waiting.filter((id) => id !== message.tool_call_id);
      continue;
    }
    if (waiting.length > 0) {
      return `an assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'; these had none: ${waiting.join(', ')}`;
    }
    if (message.role === 'assistant') waiting = (message.tool_calls ?? []).map((call) => call.id);
  }
  if (waiting.length > 0) return `the tool calls ${waiting.join(', ')} have no tool messages`;
  return undefined;
}

/** A chat completion answer with `calls` (and `text`), usage with audio tokens as the API reports them. */
export function chatReply(
  request: FakeRequest,
  calls: FakeChatCall[],
  text: string | null = null,
): FakeAction {
  const problem = chatProblem(request);
  if (problem) return apiError(400, 'invalid_request_error', problem);
  return {
    type: 'json',
    body: {
      id: `chatcmpl-${request.index}`,
      object: 'chat.completion',
      created: 0,
      model: request.body.model,
      choices: [
        {
          index: 0,
          finish_reason: calls.length ? 'tool_calls' : 'stop',
          message: {
            role: 'assistant',
            content: text,
            ...(calls.length
              ? {
                  tool_calls: calls.map((call, i) => ({
                    id: `call_${request.index}_${i}`,
                    type: 'function',
                    function: { name: call.name, arguments: call.arguments },
                  })),
                }
              : {}),
          },
        },
      ],
      usage: {
        prompt_tokens: 120,
        completion_tokens: 20,
        total_tokens: 140,
        prompt_tokens_details: { audio_tokens: 100, cached_tokens: 0 },
        completion_tokens_details: { audio_tokens: 0, reasoning_tokens: 0 },
      },
    },
  };
}

/** The WAV bytes of the audio of the `turn`-th user message (0: the first) in a chat request (after `chatProblem` passed). */
export function chatAudio(request: FakeRequest, turn = 0): Buffer {
  const messages = request.body.messages as Array<{
    role: string;
    content: Array<{ input_audio: { data: string } }>;
  }>;
  const user = messages.filter((message) => message.role === 'user')[turn];
  return Buffer.from(user?.content[0]?.input_audio.data ?? '', 'base64');
}
