import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpAgent, httpAgentProvider } from '../../src/agents/http.js';
import { resample } from '../../src/audio/resample.js';
import { decodeWav, encodeWav } from '../../src/audio/wav.js';
import { AgentError, FatalProviderError, RussoError, TimeoutError } from '../../src/core/errors.js';
import { run } from '../../src/core/pipeline.js';
import type { ProviderContext } from '../../src/core/provider.js';
import type { Audio, Evaluator } from '../../src/core/types.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import { sendJson, startHttpServer, type FakeHttpServer } from '../fakes/http-server.js';

let audio: Audio;
let server: FakeHttpServer | undefined;

beforeAll(async () => {
  audio = await new FliteSynthesizer({ voice: 'kal16' }).synthesize('Book a table for two at seven');
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function context(env: NodeJS.ProcessEnv = {}): ProviderContext {
  return { baseDir: process.cwd(), env, tools: [], concurrency: 1 };
}

async function agentFor(options: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  return httpAgentProvider.create({ url: `${server?.url}/voice`, ...options }, context(env));
}

describe('http agent: what it sends', () => {
  it('POSTs the real WAV as base64 JSON with format and rate, and secret headers from the environment', async () => {
    server = await startHttpServer((_request, response) =>
      sendJson(response, 200, {
        result: { tool_calls: [{ name: 'book_table', arguments: '{"party_size":2}' }] },
      }),
    );
    const agent = await agentFor(
      {
        headers: { Authorization: 'Bearer ${AGENT_TOKEN}', 'X-Team': 'voice' },
        tool_calls_path: 'result.tool_calls',
      },
      { AGENT_TOKEN: 'tok-123' },
    );
    const response = await agent.run(audio);
    expect(response.toolCalls).toEqual([{ name: 'book_table', arguments: { party_size: 2 } }]);

    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/voice');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe('Bearer tok-123');
    expect(request?.headers['x-team']).toBe('voice');
    const body = JSON.parse(request?.body.toString() ?? '') as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['audio', 'format', 'sample_rate']);
    expect(body.format).toBe('wav');
    expect(body.sample_rate).toBe(16000);
    const sent = decodeWav(Buffer.from(body.audio as string, 'base64'));
    expect(sent.sampleRate).toBe(audio.sampleRate);
    expect(sent.pcm).toEqual(audio.pcm);
    // The prompt text never travels: only audio.
    expect(request?.body.toString()).not.toMatch(/table/i);
  });

  it('renames the fields, sends raw PCM with extra fields, and reads OpenAI-shaped calls', async () => {
    server = await startHttpServer((_request, response) =>
      sendJson(response, 200, {
        choices: [
          {
            message: {
              tool_calls: [{ function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
              content: 'Checking.',
            },
          },
        ],
        heard: 'what is the weather in paris',
      }),
    );
    const agent = await agentFor({
      audio_encoding: 'pcm16',
      fields: { audio: 'speech', format: 'encoding', sample_rate: 'rate' },
      extra_fields: { session: 'abc', format: 'ignored: the audio fields win' },
      tool_calls_path: 'choices[0].message.tool_calls',
      name_key: 'function.name',
      arguments_key: 'function.arguments',
      transcript_path: 'heard',
      text_path: 'choices.0.message.content',
    });
    const response = await agent.run(audio);
    expect(response).toEqual({
      toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
      transcript: 'what is the weather in paris',
      text: 'Checking.',
    });
    const body = JSON.parse(server.requests[0]?.body.toString() ?? '') as Record<string, unknown>;
    expect(body).toMatchObject({
      session: 'abc',
      format: 'ignored: the audio fields win',
      encoding: 'pcm16',
      rate: 16000,
    });
    const pcm = Buffer.from(body.speech as string, 'base64');
    expect(pcm.length).toBe(audio.pcm.length * 2);
    expect(new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2)).toEqual(audio.pcm);
  });

  it('sends a raw audio/wav body when body is wav', async () => {
    server = await startHttpServer((_request, response) => sendJson(response, 200, { tool_calls: [] }));
    const agent = await agentFor({ body: 'wav' });
    expect(await agent.run(audio)).toEqual({ toolCalls: [] });
    expect(server.requests[0]?.headers['content-type']).toBe('audio/wav');
    expect(server.requests[0]?.body.equals(encodeWav(audio))).toBe(true);
  });

  it('resamples to the rate the endpoint wants', async () => {
    server = await startHttpServer((_request, response) => sendJson(response, 200, { tool_calls: [] }));
    await (await agentFor({ sample_rate: 24000 })).run(audio);
    const body = JSON.parse(server.requests[0]?.body.toString() ?? '') as {
      audio: string;
      sample_rate: number;
    };
    expect(body.sample_rate).toBe(24000);
    const sent = decodeWav(Buffer.from(body.audio, 'base64'));
    expect(sent.sampleRate).toBe(24000);
    expect(sent.pcm).toEqual(resample(audio, 24000).pcm);
  });

  it('refuses to start when a header names an unset variable, without printing any value', async () => {
    server = await startHttpServer((_request, response) => sendJson(response, 200, { tool_calls: [] }));
    await expect(
      agentFor({ headers: { Authorization: 'Bearer ${AGENT_TOKEN}' } }, { OTHER: 'x' }),
    ).rejects.toThrow(/agent\.headers\.Authorization .*\$\{AGENT_TOKEN\}.*AGENT_TOKEN is not set/);
    await expect(agentFor({ url: '${AGENT_URL}/voice' })).rejects.toThrow(/AGENT_URL is not set/);
  });

  it('rejects a malformed path when it is built', async () => {
    server = await startHttpServer((_request, response) => sendJson(response, 200, {}));
    await expect(agentFor({ tool_calls_path: 'result..calls' })).rejects.toThrow(
      /malformed path "result\.\.calls"/,
    );
  });
});

describe('http agent: broken, slow and malformed endpoints', () => {
  it('a 500 is a run error quoting the body', async () => {
    server = await startHttpServer((_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('Traceback: KeyError "audio"\n' + 'x'.repeat(500));
    });
    const agent = await agentFor({ max_attempts: 1 });
    const error = await agent.run(audio).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RussoError);
    expect((error as Error).message).toMatch(
      /\/voice answered HTTP 500 Internal Server Error: Traceback: KeyError "audio"/,
    );
    expect((error as Error).message.length).toBeLessThan(400);
  });

  it('retries a 503 and a 429 (honouring retry-after), then reads the answer', async () => {
    server = await startHttpServer((_request, response, index) => {
      if (index === 0) return sendJson(response, 503, { error: 'warming up' });
      if (index === 1) return sendJson(response, 429, { error: 'slow down' }, { 'retry-after': '0' });
      sendJson(response, 200, { tool_calls: [{ name: 'hang_up', arguments: {} }] });
    });
    const agent = await agentFor({});
    expect((await agent.run(audio)).toolCalls).toEqual([{ name: 'hang_up', arguments: {} }]);
    expect(server.requests).toHaveLength(3);
  });

  it('a 401 is fatal (it would fail every run) and is not retried', async () => {
    server = await startHttpServer((_request, response) => sendJson(response, 401, { error: 'bad token' }));
    const error = await (await agentFor({})).run(audio).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FatalProviderError);
    expect((error as Error).message).toMatch(/answered HTTP 401.*bad token/);
    expect(server.requests).toHaveLength(1);
  });

  it('a 404 fails the run without retrying and without stopping the suite', async () => {
    server = await startHttpServer((_request, response) => sendJson(response, 404, { error: 'no route' }));
    const error = await (await agentFor({})).run(audio).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AgentError);
    expect(error).not.toBeInstanceOf(FatalProviderError);
    expect(server.requests).toHaveLength(1);
  });

  it('a slow endpoint is cut off by the run timeout, and the connection is dropped', async () => {
    server = await startHttpServer(async (_request, response) => {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      if (!response.destroyed) sendJson(response, 200, { tool_calls: [] });
    });
    const agent = await agentFor({});
    const started = performance.now();
    const result = await run({
      prompt: 'Book a table for two at seven',
      synthesizer: { id: 'fixed', synthesize: async () => audio },
      agent,
      evaluator: neverCalled,
      expect: [],
      timeoutMs: 300,
    });
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/^agent: timed out after/);
    expect(performance.now() - started).toBeLessThan(2_000);
    await waitFor(() => server?.abortedByClient === 1);
  });

  it('an attempt slower than request_timeout_s is abandoned and tried again', async () => {
    server = await startHttpServer(async (_request, response, index) => {
      if (index === 0) await new Promise((resolve) => setTimeout(resolve, 2_000));
      if (!response.destroyed) sendJson(response, 200, { tool_calls: [{ name: 'hang_up', arguments: {} }] });
    });
    const started = performance.now();
    const agent = await agentFor({ request_timeout_s: 0.2 });
    expect((await agent.run(audio)).toolCalls).toEqual([{ name: 'hang_up', arguments: {} }]);
    expect(server.requests).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('the abort reason is what the agent throws when the signal fires mid-request', async () => {
    server = await startHttpServer(() => undefined);
    const agent = await agentFor({});
    const controller = new AbortController();
    setTimeout(() => controller.abort(new TimeoutError('timed out after 0.1 s')), 100);
    await expect(agent.run(audio, { signal: controller.signal })).rejects.toThrow(TimeoutError);
  });

  it('a connection cut in the middle of the body is a run error', async () => {
    server = await startHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('{"tool_calls": [{"name": "book_');
      setTimeout(() => response.destroy(), 20);
    });
    const error = await (await agentFor({ max_attempts: 1 })).run(audio).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/broke off its answer/);
  });

  it('an endpoint that is down is a run error that says so', async () => {
    server = await startHttpServer(() => undefined);
    const url = server.url;
    await server.close();
    server = undefined;
    const agent = new HttpAgent({ url: `${url}/voice`, retry: { maxAttempts: 2, baseDelayMs: 1 } });
    await expect(agent.run(audio)).rejects.toThrow(
      /failed after 2 attempts.*cannot reach .*\/voice.*ECONNREFUSED/,
    );
  });

  it('a body that is not JSON, or has no calls at the path, is a run error quoting it', async () => {
    server = await startHttpServer((_request, response, index) => {
      if (index === 0) {
        response.writeHead(200, { 'content-type': 'text/html' });
        return response.end('<html>Gateway login</html>');
      }
      if (index === 1) return sendJson(response, 200, { result: { text: 'ok' } });
      sendJson(response, 200, { result: { tool_calls: [{ arguments: { a: 1 } }] } });
    });
    const agent = await agentFor({ tool_calls_path: 'result.tool_calls' });
    await expect(agent.run(audio)).rejects.toThrow(/body that is not JSON: <html>Gateway login<\/html>/);
    await expect(agent.run(audio)).rejects.toThrow(
      /has no `result.tool_calls`: \{"result":\{"text":"ok"\}\}/,
    );
    await expect(agent.run(audio)).rejects.toThrow(/tool call 1 at `result.tool_calls` has no string "name"/);
  });

  it('arguments that are not a JSON object are graded, not thrown', async () => {
    server = await startHttpServer((_request, response) =>
      sendJson(response, 200, { tool_calls: [{ name: 'book_table', arguments: '{"party_size": 2' }] }),
    );
    const [call] = (await (await agentFor({})).run(audio)).toolCalls;
    expect(call?.name).toBe('book_table');
    expect(call?.arguments).toEqual({});
    expect(call?.argumentsError).toMatch(/not valid JSON/);
  });
});

const neverCalled: Evaluator = {
  evaluate: () => {
    throw new Error('the evaluator must not run after an agent error');
  },
};

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
