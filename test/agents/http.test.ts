import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpAgent, httpAgentProvider } from '../../src/agents/http.js';
import { resample } from '../../src/audio/resample.js';
import { decodeWav, encodeWav } from '../../src/audio/wav.js';
import { AgentError, FatalProviderError, RussoError, TimeoutError } from '../../src/core/errors.js';
import { run } from '../../src/core/pipeline.js';
import type { ProviderContext } from '../../src/core/provider.js';
import type { Audio, Evaluator } from '../../src/core/types.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import type { ServerResponse } from 'node:http';
import {
  jsonBody,
  sendJson,
  startHttpServer,
  type FakeHttpServer,
  type RecordedRequest,
} from '../fakes/http-server.js';
import { waitFor } from '../wait-for.js';
import { BOOKED, respond, speakTurns } from './booking-dialog.js';

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
    // A server that never answers: without the run's timeout this would wait until the test's own.
    expect(performance.now() - started).toBeLessThan(10_000);
    await waitFor(() => server?.abortedByClient === 1);
  });

  it('an attempt slower than request_timeout_s is abandoned and tried again', async () => {
    // The first attempt is never answered: only abandoning it lets the run end.
    server = await startHttpServer((_request, response, index) => {
      if (index > 0) sendJson(response, 200, { tool_calls: [{ name: 'hang_up', arguments: {} }] });
    });
    const agent = await agentFor({ request_timeout_s: 0.2 });
    expect((await agent.run(audio)).toolCalls).toEqual([{ name: 'hang_up', arguments: {} }]);
    expect(server.requests).toHaveLength(2);
  });

  it('the abort reason is what the agent throws when the signal fires mid-request', async () => {
    const controller = new AbortController();
    // Aborted once the request has arrived, which the server never answers.
    server = await startHttpServer(() => controller.abort(new TimeoutError('timed out after 0.1 s')));
    const agent = await agentFor({});
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

describe('http agent: conversations', () => {
  let turns: Audio[];
  beforeAll(async () => {
    turns = await speakTurns('slt');
  });

  /**
   * A slot-filling agent that keeps each conversation by its id: it asks for the party size, then
   * the time, then books, and reads the reference from the tool result back. The field names are
   * the defaults unless given.
   */
  function host(
    names = {
      conversation: 'conversation',
      turn: 'turn',
      results: 'tool_results',
      result: 'result',
      error: 'error',
    },
  ) {
    const heard = new Map<unknown, number[]>();
    return (request: RecordedRequest, response: ServerResponse) => {
      const body = jsonBody(request);
      const results = body[names.results] as Array<Record<string, unknown>> | undefined;
      if (results) {
        const [answer] = results;
        const text = answer?.[names.result]
          ? `Booked, your reference is ${(answer[names.result] as { reference: string }).reference}.`
          : `I could not book: ${String(answer?.[names.error])}`;
        return sendJson(response, 200, { tool_calls: [], text });
      }
      const turns = heard.get(body[names.conversation]) ?? [];
      heard.set(body[names.conversation], [...turns, body[names.turn] as number]);
      if (turns.length === 0)
        return sendJson(response, 200, { tool_calls: [], text: 'For how many people?' });
      if (turns.length === 1)
        return sendJson(response, 200, { tool_calls: [], text: 'What time would you like?' });
      sendJson(response, 200, {
        tool_calls: [{ id: 't1', name: 'book_table', arguments: { party_size: 2, time: '19:00' } }],
        text: 'One moment.',
        heard: 'at seven tonight',
      });
    };
  }

  it('sends the conversation id and the turn with each request, and the tool results in another POST of the turn', async () => {
    server = await startHttpServer(host());
    const agent = await agentFor({
      extra_fields: { agent: 'host' },
      transcript_path: 'heard',
      text_path: 'text',
    });
    const conversation = await agent.converse!();
    const replies = [];
    for (const turn of turns) replies.push(await conversation.turn(turn, { respond }));
    await conversation.close();
    await conversation.close();

    expect(replies.map((reply) => reply.text)).toEqual([
      'For how many people?',
      'What time would you like?',
      'One moment.\nBooked, your reference is R-17.',
    ]);
    const booking = { name: 'book_table', arguments: { party_size: 2, time: '19:00' } };
    expect(replies.map((reply) => reply.toolCalls)).toEqual([[], [], [booking]]);
    expect(replies[2]?.toolResults).toEqual([{ call: booking, outcome: { result: BOOKED } }]);
    expect(replies[2]?.transcript).toBe('at seven tonight');

    const bodies = server.requests.map(jsonBody);
    expect(bodies).toHaveLength(4);
    const [id] = bodies.map((body) => body.conversation);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(bodies.map((body) => [body.conversation, body.turn, body.agent])).toEqual([
      [id, 0, 'host'],
      [id, 1, 'host'],
      [id, 2, 'host'],
      [id, 2, 'host'],
    ]);
    for (const [index, audio] of turns.entries()) {
      expect(decodeWav(Buffer.from(bodies[index]?.audio as string, 'base64')).pcm).toEqual(audio.pcm);
    }
    // The follow-up carries the results, with the call's id, and no audio.
    expect(bodies[3]).toEqual({
      agent: 'host',
      conversation: id,
      turn: 2,
      tool_results: [{ id: 't1', name: 'book_table', arguments: booking.arguments, result: BOOKED }],
    });
    // Another conversation has another id; a one-turn run sends today's request.
    const other = await agent.converse!();
    await other.turn(turns[0]!);
    expect(jsonBody(server.requests[4]!).conversation).not.toBe(id);
    await agent.run(turns[0]!);
    expect(Object.keys(jsonBody(server.requests[5]!)).sort()).toEqual([
      'agent',
      'audio',
      'format',
      'sample_rate',
    ]);
  });

  it('names the fields as configured, and tells the agent when no result is mocked', async () => {
    server = await startHttpServer(
      host({
        conversation: 'session_id',
        turn: 'step',
        results: 'results',
        result: 'output',
        error: 'failure',
      }),
    );
    const agent = await agentFor({
      conversation_fields: { conversation: 'session_id', turn: 'step', tool_results: 'results' },
      tool_result_fields: { id: 'call_id', result: 'output', error: 'failure' },
      id_key: 'id',
      text_path: 'text',
    });
    const conversation = await agent.converse!();
    await conversation.turn(turns[0]!, { respond });
    await conversation.turn(turns[1]!, { respond });
    const third = await conversation.turn(turns[2]!);
    const bodies = server.requests.map(jsonBody);
    expect(bodies.map((body) => body.step)).toEqual([0, 1, 2, 2]);
    expect(bodies[3]?.results).toEqual([
      {
        call_id: 't1',
        name: 'book_table',
        arguments: { party_size: 2, time: '19:00' },
        failure: "no result is mocked for book_table: add it to the scenario's tool_results",
      },
    ]);
    expect(third.text).toBe(
      "One moment.\nI could not book: no result is mocked for book_table: add it to the scenario's tool_results",
    );
  });

  it('rejects the turn whose requests fail, naming it, and rejects later turns without a request', async () => {
    server = await startHttpServer((request, response) =>
      jsonBody(request).turn === 1 ? response.socket?.destroy() : host()(request, response),
    );
    const agent = await agentFor({ max_attempts: 2, text_path: 'text' });
    const conversation = await agent.converse!();
    expect((await conversation.turn(turns[0]!, { respond })).text).toBe('For how many people?');
    const failed = (await conversation.turn(turns[1]!, { respond }).catch((e: unknown) => e)) as Error;
    expect(failed).toBeInstanceOf(AgentError);
    expect(failed.message).toMatch(
      /^the conversation ended in turn 2: the HTTP agent at .* failed after 2 attempts/,
    );
    const later = (await conversation.turn(turns[2]!, { respond }).catch((e: unknown) => e)) as Error;
    expect(later.message).toMatch(/^the conversation ended in turn 2: .*; turn 3 was not played$/);
    expect(server.requests.map((request) => jsonBody(request).turn)).toEqual([0, 1, 1]);
  });

  it('drops the request of a cancelled turn and ends the conversation', async () => {
    server = await startHttpServer((request, response) => {
      if (jsonBody(request).turn !== 1) return host()(request, response);
    });
    const agent = await agentFor({});
    const conversation = await agent.converse!();
    await conversation.turn(turns[0]!, { respond });
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    const second = conversation.turn(turns[1]!, { respond, signal: controller.signal });
    await waitFor(() => server?.requests.length === 2);
    controller.abort(reason);
    await expect(second).rejects.toBe(reason);
    await waitFor(() => server?.abortedByClient === 1);
    await expect(conversation.turn(turns[2]!, { respond })).rejects.toThrow(/turn 3 was not played/);
  });

  it('ends a turn whose agent keeps calling past max_tool_rounds, and needs JSON bodies', async () => {
    server = await startHttpServer((_request, response) =>
      sendJson(response, 200, { tool_calls: [{ name: 'book_table', arguments: {} }] }),
    );
    const conversation = await (await agentFor({ max_tool_rounds: 2 })).converse!();
    await expect(conversation.turn(turns[0]!, { respond })).rejects.toThrow(
      'the conversation ended in turn 1: the agent kept calling tools: more than 2 rounds of results in one turn',
    );
    expect(server.requests).toHaveLength(3);
    await expect((await agentFor({ body: 'wav' })).converse!()).rejects.toThrow(/JSON bodies only/);
  });
});
