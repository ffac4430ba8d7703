import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { respondWith } from '../../src/core/tool-call.js';
import { GeminiAgent, geminiAgentProvider } from '../../src/agents/gemini.js';
import { decodeWav } from '../../src/audio/wav.js';
import { AgentError, FatalProviderError } from '../../src/core/errors.js';
import { createProviderStats } from '../../src/core/provider.js';
import { withPrices } from '../../src/providers/cost.js';
import type { ProviderContext } from '../../src/core/provider.js';
import type { Audio, ToolDefinition } from '../../src/core/types.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import {
  FAKE_GEMINI_KEY,
  googleError,
  startGeminiServer,
  type FakeGeminiServer,
  type GenerateRequest,
} from '../fakes/gemini-server.js';
import { waitFor } from '../wait-for.js';
import { BOOKED, respond, speakTurns } from './booking-dialog.js';

const tools: ToolDefinition[] = [
  {
    name: 'book_table',
    description: 'Book a table',
    parameters: {
      type: 'object',
      properties: { party_size: { type: 'integer' }, time: { type: 'string' } },
      required: ['party_size'],
      additionalProperties: false,
    },
  },
];

let audio: Audio;
let server: FakeGeminiServer | undefined;

beforeAll(async () => {
  audio = await new FliteSynthesizer({ voice: 'slt' }).synthesize('Book a table for two at seven');
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function context(env: NodeJS.ProcessEnv = { GEMINI_API_KEY: FAKE_GEMINI_KEY }): ProviderContext {
  return { baseDir: process.cwd(), env, tools, concurrency: 1 };
}

const callPart = (name: string, args: Record<string, unknown>) => ({ functionCall: { name, args } });
const answer = (candidates: unknown[], extra: Record<string, unknown> = {}) => ({
  body: { candidates, ...extra },
});

describe('gemini agent (generateContent)', () => {
  it('sends only the WAV audio, with the system instruction, the tools as JSON Schema and the tool choice', async () => {
    server = await startGeminiServer({
      generate: () =>
        answer([{ content: { role: 'model', parts: [callPart('book_table', { party_size: 2 })] } }]),
    });
    const agent = await geminiAgentProvider.create(
      {
        model: 'gemini-2.5-flash',
        instructions: 'You are a restaurant host.',
        temperature: 0.2,
        tool_choice: 'any',
        base_url: server.baseUrl,
      },
      context(),
    );
    expect(agent.id).toBe('gemini:gemini-2.5-flash');
    expect((await agent.run(audio)).toolCalls).toEqual([
      { name: 'book_table', arguments: { party_size: 2 } },
    ]);

    const [request] = server.requests;
    expect(request?.model).toBe('gemini-2.5-flash');
    expect(request?.headers['x-goog-api-key']).toBe(FAKE_GEMINI_KEY);
    const body = request?.body as {
      contents: Array<{ role: string; parts: Array<Record<string, { mimeType: string; data: string }>> }>;
      systemInstruction: unknown;
      tools: unknown;
      toolConfig: unknown;
      generationConfig: unknown;
    };
    expect(body.contents).toHaveLength(1);
    expect(body.contents[0]?.role).toBe('user');
    expect(body.contents[0]?.parts).toHaveLength(1);
    const inline = body.contents[0]?.parts[0]?.inlineData;
    expect(inline?.mimeType).toBe('audio/wav');
    const sent = decodeWav(Buffer.from(inline?.data ?? '', 'base64'));
    expect(sent.sampleRate).toBe(16000);
    expect(sent.pcm).toEqual(audio.pcm);
    expect(JSON.stringify(body)).not.toMatch(/table for two/i);
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'You are a restaurant host.' }], role: 'user' });
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'book_table', description: 'Book a table', parametersJsonSchema: tools[0]?.parameters },
        ],
      },
    ]);
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(body.generationConfig).toEqual({ temperature: 0.2 });
  });

  it('gathers the calls of every candidate and part, the text and the usage', async () => {
    server = await startGeminiServer({
      generate: () =>
        answer(
          [
            {
              content: {
                parts: [
                  { text: 'thinking...', thought: true },
                  { text: 'Booking now. ' },
                  callPart('book_table', { party_size: 2, time: '19:00' }),
                  callPart('send_sms', { to: 'guest' }),
                ],
              },
            },
            { content: { parts: [callPart('book_table', { party_size: 3 })] } },
          ],
          {
            usageMetadata: {
              promptTokenCount: 120,
              candidatesTokenCount: 30,
              totalTokenCount: 150,
              promptTokensDetails: [
                { modality: 'AUDIO', tokenCount: 100 },
                { modality: 'TEXT', tokenCount: 20 },
              ],
            },
          },
        ),
    });
    const agent = new GeminiAgent({ model: 'm', apiKey: FAKE_GEMINI_KEY, baseUrl: server.baseUrl });
    expect(await agent.run(audio)).toEqual({
      toolCalls: [
        { name: 'book_table', arguments: { party_size: 2, time: '19:00' } },
        { name: 'send_sms', arguments: { to: 'guest' } },
        { name: 'book_table', arguments: { party_size: 3 } },
      ],
      text: 'Booking now. ',
      // In the names of every agent's usage: 100 audio and 20 text tokens in, 30 text tokens out.
      usage: {
        input_text_tokens: 20,
        input_audio_tokens: 100,
        cached_text_tokens: 0,
        cached_audio_tokens: 0,
        output_text_tokens: 30,
        output_audio_tokens: 0,
      },
    });
  });

  it('answers the calls with the mocked results and gathers the calls that follow', async () => {
    const usageMetadata = { promptTokenCount: 100, candidatesTokenCount: 10, totalTokenCount: 110 };
    server = await startGeminiServer({
      generate: (_request, index) =>
        [
          answer(
            [
              {
                content: {
                  role: 'model',
                  parts: [{ functionCall: { id: 'c1', name: 'book_table', args: { party_size: 2 } } }],
                },
              },
            ],
            { usageMetadata },
          ),
          answer([{ content: { role: 'model', parts: [callPart('send_sms', { to: 'guest' })] } }], {
            usageMetadata,
          }),
          answer([{ content: { role: 'model', parts: [{ text: 'Booked, and the guest is told.' }] } }], {
            usageMetadata,
          }),
        ][index] ?? { status: 500, body: {} },
    });
    const agent = new GeminiAgent({ model: 'm', apiKey: FAKE_GEMINI_KEY, baseUrl: server.baseUrl });
    const response = await agent.run(audio, { respond: respondWith({ book_table: { confirmed: true } }) });
    expect(response).toEqual({
      toolCalls: [
        { name: 'book_table', arguments: { party_size: 2 } },
        { name: 'send_sms', arguments: { to: 'guest' } },
      ],
      text: 'Booked, and the guest is told.',
      // What russo answered, in order: the mocked result, then the message that none is mocked.
      toolResults: [
        {
          call: { name: 'book_table', arguments: { party_size: 2 } },
          outcome: { result: { confirmed: true } },
        },
        {
          call: { name: 'send_sms', arguments: { to: 'guest' } },
          outcome: { missing: "no result is mocked for send_sms: add it to the scenario's tool_results" },
        },
      ],
      usage: {
        input_text_tokens: 300,
        input_audio_tokens: 0,
        cached_text_tokens: 0,
        cached_audio_tokens: 0,
        output_text_tokens: 30,
        output_audio_tokens: 0,
        turns: 3,
      },
    });
    expect(server.requests).toHaveLength(3);
    // Each request carries the conversation so far: the audio, the model's turn, the results.
    const [, second, third] = server.requests.map((request) => request.body.contents as unknown[]);
    expect(second?.slice(1)).toEqual([
      { role: 'model', parts: [{ functionCall: { id: 'c1', name: 'book_table', args: { party_size: 2 } } }] },
      {
        role: 'user',
        parts: [
          { functionResponse: { id: 'c1', name: 'book_table', response: { output: { confirmed: true } } } },
        ],
      },
    ]);
    expect(third?.slice(3)).toEqual([
      { role: 'model', parts: [callPart('send_sms', { to: 'guest' })] },
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              name: 'send_sms',
              response: { error: "no result is mocked for send_sms: add it to the scenario's tool_results" },
            },
          },
        ],
      },
    ]);
  });

  it('stops answering after max_tool_rounds rounds, and never answers without tool_results', async () => {
    server = await startGeminiServer({
      generate: () =>
        answer([{ content: { role: 'model', parts: [callPart('book_table', { party_size: 2 })] } }]),
    });
    const agent = await geminiAgentProvider.create(
      { model: 'm', base_url: server.baseUrl, max_tool_rounds: 2 },
      context(),
    );
    const looping = await agent.run(audio, { respond: respondWith({ book_table: { confirmed: true } }) });
    expect(looping.toolCalls).toHaveLength(3);
    expect(server.requests).toHaveLength(3);
    const once = await agent.run(audio);
    expect(once.toolCalls).toHaveLength(1);
    expect(server.requests).toHaveLength(4);
  });

  it('estimates the cost of a run with the prices of the config, and none without', async () => {
    server = await startGeminiServer({
      generate: () =>
        answer([{ content: { role: 'model', parts: [callPart('book_table', { party_size: 2 })] } }], {
          usageMetadata: {
            promptTokenCount: 120,
            candidatesTokenCount: 10,
            thoughtsTokenCount: 40,
            promptTokensDetails: [{ modality: 'AUDIO', tokenCount: 100 }],
          },
        }),
    });
    const stats = createProviderStats();
    const priced = await geminiAgentProvider.create(
      {
        model: 'gemini-2.5-flash',
        base_url: server.baseUrl,
        prices: { text_input: 0.3, audio_input: 1, text_output: 2.5 },
      },
      { ...context(), stats },
    );
    const response = await priced.run(audio);
    // 20 text and 100 audio tokens in; 10 answer and 40 thinking tokens out, billed as output.
    const expected = (20 * 0.3 + 100 * 1 + 50 * 2.5) / 1e6;
    expect(response.usage?.output_text_tokens).toBe(50);
    expect(response.usage?.estimated_cost_usd).toBeCloseTo(expected, 12);
    expect(stats.estimatedCostUsd).toBeCloseTo(expected, 12);
    const unpriced = await geminiAgentProvider.create(
      { model: 'gemini-2.5-flash', base_url: server.baseUrl },
      context(),
    );
    expect((await unpriced.run(audio)).usage).not.toHaveProperty('estimated_cost_usd');
  });

  it('retries a 429 after the delay its RetryInfo asks for, and a 503', async () => {
    server = await startGeminiServer({
      generate: (_request, index) => {
        if (index === 0) {
          return {
            status: 429,
            body: googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [
              { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.2s' },
            ]),
          };
        }
        if (index === 1)
          return { status: 503, body: googleError(503, 'UNAVAILABLE', 'The model is overloaded.') };
        return answer([{ content: { parts: [callPart('hang_up', {})] } }]);
      },
    });
    const stats = createProviderStats();
    const agent = new GeminiAgent({
      model: 'm',
      apiKey: FAKE_GEMINI_KEY,
      baseUrl: server.baseUrl,
      stats,
      retry: { baseDelayMs: 1 },
    });
    const started = performance.now();
    expect((await agent.run(audio)).toolCalls).toEqual([{ name: 'hang_up', arguments: {} }]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    expect(stats).toMatchObject({ requests: 3, retries: 2, throttles: 1 });
  });

  it('stops the suite on a spent daily quota and on a rejected key, without retrying', async () => {
    server = await startGeminiServer({
      generate: () => ({
        status: 429,
        body: googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.', [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }],
          },
        ]),
      }),
    });
    const quota = new GeminiAgent({ model: 'm', apiKey: FAKE_GEMINI_KEY, baseUrl: server.baseUrl });
    const quotaError = await quota.run(audio).catch((error: unknown) => error);
    expect(quotaError).toBeInstanceOf(FatalProviderError);
    expect((quotaError as FatalProviderError).hint).toMatch(/daily quota/);
    expect(server.requests).toHaveLength(1);

    const badKey = 'AIzaWRONG-key-000000000000000000000';
    const wrong = new GeminiAgent({ model: 'm', apiKey: badKey, baseUrl: server.baseUrl });
    const keyError = await wrong.run(audio).catch((error: unknown) => error);
    expect(keyError).toBeInstanceOf(FatalProviderError);
    expect((keyError as Error).message).toMatch(/API key not valid/);
    expect((keyError as Error).message).not.toContain(badKey);
  });

  it('a 400 about the request fails the run only; a 5xx that lasts gives up after the attempts', async () => {
    server = await startGeminiServer({
      generate: (request) =>
        request.model === 'bad'
          ? { status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.') }
          : { status: 500, body: googleError(500, 'INTERNAL', 'An internal error has occurred.') },
    });
    const bad = new GeminiAgent({ model: 'bad', apiKey: FAKE_GEMINI_KEY, baseUrl: server.baseUrl });
    const badError = await bad.run(audio).catch((error: unknown) => error);
    expect(badError).toBeInstanceOf(AgentError);
    expect((badError as Error).message).toMatch(/Invalid JSON payload/);

    const flaky = new GeminiAgent({
      model: 'm',
      apiKey: FAKE_GEMINI_KEY,
      baseUrl: server.baseUrl,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    await expect(flaky.run(audio)).rejects.toThrow(/failed after 2 attempts.*internal error/);
  });

  it('an answer slower than the request timeout is a retryable failure', async () => {
    server = await startGeminiServer({ generate: () => ({ ...answer([]), delayMs: 2_000 }) });
    const agent = new GeminiAgent({
      model: 'm',
      apiKey: FAKE_GEMINI_KEY,
      baseUrl: server.baseUrl,
      requestTimeoutMs: 150,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    await expect(agent.run(audio)).rejects.toThrow(
      /failed after 2 attempts.*no complete answer within 0.15 s/,
    );
  });

  it('a blocked prompt is a run error that says why', async () => {
    server = await startGeminiServer({
      generate: () => answer([], { promptFeedback: { blockReason: 'SAFETY' } }),
    });
    const agent = new GeminiAgent({ model: 'm', apiKey: FAKE_GEMINI_KEY, baseUrl: server.baseUrl });
    await expect(agent.run(audio)).rejects.toThrow(/Gemini blocked the audio \(SAFETY\)/);
  });

  it('needs a key from GEMINI_API_KEY or GOOGLE_API_KEY, and names them when both are missing', async () => {
    server = await startGeminiServer({ generate: () => answer([{ content: { parts: [] } }]) });
    const viaGoogle = await geminiAgentProvider.create(
      { model: 'm', base_url: server.baseUrl },
      context({ GOOGLE_API_KEY: FAKE_GEMINI_KEY }),
    );
    expect(await viaGoogle.run(audio)).toEqual({ toolCalls: [] });
    expect(() => geminiAgentProvider.create({ model: 'm' }, context({}))).toThrow(
      /needs an API key and neither GEMINI_API_KEY nor GOOGLE_API_KEY is set/,
    );
  });
});

describe('the Gemini key', () => {
  it('does not show when a Gemini provider is logged or serialised', async () => {
    const { inspect } = await import('node:util');
    const { GeminiLiveAgent } = await import('../../src/agents/gemini-live.js');
    const { GeminiTTSSynthesizer } = await import('../../src/synthesize/gemini.js');
    const providers = [
      new GeminiAgent({ model: 'm', apiKey: FAKE_GEMINI_KEY }),
      new GeminiLiveAgent({ model: 'm', apiKey: FAKE_GEMINI_KEY }),
      new GeminiTTSSynthesizer({ apiKey: FAKE_GEMINI_KEY }),
    ];
    for (const provider of providers) {
      expect(inspect(provider, { depth: 10, showHidden: true })).not.toContain(FAKE_GEMINI_KEY);
      expect(JSON.stringify(provider)).not.toContain(FAKE_GEMINI_KEY);
    }
  });
});

describe('gemini conversations: the contents history travels with each request', () => {
  let turns: Audio[];
  beforeAll(async () => {
    turns = await speakTurns('awb');
  });
  type Turn = { role: string; parts: Array<Record<string, unknown>> };
  const contentsOf = (request: GenerateRequest | undefined) => (request?.body.contents ?? []) as Turn[];
  /** The caller turns in a request: user turns with audio. */
  const callerTurns = (request: GenerateRequest) =>
    contentsOf(request).filter((turn) => turn.parts.some((part) => part.inlineData)).length;
  const say = (text: string) =>
    answer([{ content: { role: 'model', parts: [{ text }] } }], { usageMetadata });
  const usageMetadata = { promptTokenCount: 100, candidatesTokenCount: 10 };
  /** The slot-filling dialog of the tests: asks for the party size, then the time, then books. */
  const host = (request: GenerateRequest) => {
    const last = contentsOf(request).at(-1);
    if (last?.parts.some((part) => part.functionResponse)) return say('Booked, your reference is R-17.');
    if (callerTurns(request) === 1) return say('For how many people?');
    if (callerTurns(request) === 2) return say('What time would you like?');
    return answer([
      { content: { role: 'model', parts: [callPart('book_table', { party_size: 2, time: '19:00' })] } },
    ]);
  };
  const agentOf = (extra: Partial<ConstructorParameters<typeof GeminiAgent>[0]> = {}) =>
    new GeminiAgent({
      model: 'gemini-2.5-flash',
      apiKey: FAKE_GEMINI_KEY,
      baseUrl: server?.baseUrl,
      tools,
      retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 2 },
      ...extra,
    });

  it('sends each turn the whole history: earlier audio, the model turns, calls and function responses', async () => {
    server = await startGeminiServer({ generate: host });
    const prices = withPrices({ 'gemini-2.5-flash': { text_input: 1, text_output: 10 } });
    const conversation = await agentOf({ prices }).converse();
    const replies = [];
    for (const turn of turns) replies.push(await conversation.turn(turn, { respond }));
    await conversation.close();
    await conversation.close();

    expect(replies.map((reply) => reply.text)).toEqual([
      'For how many people?',
      'What time would you like?',
      'Booked, your reference is R-17.',
    ]);
    const booking = { name: 'book_table', arguments: { party_size: 2, time: '19:00' } };
    expect(replies.map((reply) => reply.toolCalls)).toEqual([[], [], [booking]]);
    expect(replies[2]?.toolResults).toEqual([{ call: booking, outcome: { result: BOOKED } }]);
    expect(replies[0]?.usage?.estimated_cost_usd).toBeCloseTo((100 * 1 + 10 * 10) / 1e6, 12);

    const [, second, , fourth] = server.requests;
    // The second turn's request carries the first turn: its audio and the model's reply.
    expect(contentsOf(second).map((turn) => [turn.role, Object.keys(turn.parts[0] ?? {})[0]])).toEqual([
      ['user', 'inlineData'],
      ['model', 'text'],
      ['user', 'inlineData'],
    ]);
    expect(contentsOf(second)[1]?.parts).toEqual([{ text: 'For how many people?' }]);
    expect(contentsOf(fourth).map((turn) => turn.role)).toEqual([
      'user',
      'model',
      'user',
      'model',
      'user',
      'model',
      'user',
    ]);
    expect(contentsOf(fourth).at(-1)?.parts).toEqual([
      { functionResponse: { name: 'book_table', response: { output: BOOKED } } },
    ]);
    const heard = contentsOf(fourth)
      .filter((turn) => turn.parts[0]?.inlineData)
      .map(
        (turn) => decodeWav(Buffer.from((turn.parts[0]?.inlineData as { data: string }).data, 'base64')).pcm,
      );
    expect(heard).toEqual(turns.map((turn) => turn.pcm));
  });

  it('rejects the turn whose requests fail, naming it, and rejects later turns without a request', async () => {
    server = await startGeminiServer({
      generate: (request) =>
        callerTurns(request) === 2
          ? { status: 503, body: googleError(503, 'UNAVAILABLE', 'overloaded') }
          : host(request),
    });
    const conversation = await agentOf().converse();
    expect((await conversation.turn(turns[0]!, { respond })).text).toBe('For how many people?');
    const failed = (await conversation.turn(turns[1]!, { respond }).catch((e: unknown) => e)) as Error;
    expect(failed).toBeInstanceOf(AgentError);
    expect(failed.message).toMatch(
      /^the conversation ended in turn 2: Gemini generateContent .* failed after 2 attempts/,
    );
    const later = (await conversation.turn(turns[2]!, { respond }).catch((e: unknown) => e)) as Error;
    expect(later.message).toMatch(/^the conversation ended in turn 2: .*; turn 3 was not played$/);
    expect(server.requests).toHaveLength(3);
  });

  it('stops the request of a cancelled turn and ends the conversation', async () => {
    server = await startGeminiServer({
      generate: (request) =>
        callerTurns(request) === 2 ? { ...say('late'), delayMs: 60_000 } : host(request),
    });
    const conversation = await agentOf().converse();
    await conversation.turn(turns[0]!, { respond });
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    const second = conversation.turn(turns[1]!, { respond, signal: controller.signal });
    await waitFor(() => server?.requests.length === 2);
    controller.abort(reason);
    await expect(second).rejects.toBe(reason);
    await expect(conversation.turn(turns[2]!, { respond })).rejects.toThrow(/turn 3 was not played/);
  });

  it('answers calls without a responder, and ends the turn when the model keeps calling past max_tool_rounds', async () => {
    server = await startGeminiServer({
      generate: () =>
        answer([{ content: { role: 'model', parts: [callPart('book_table', { party_size: 2 })] } }]),
    });
    const conversation = await agentOf({ maxToolRounds: 1 }).converse();
    await expect(conversation.turn(turns[0]!)).rejects.toThrow(
      'the conversation ended in turn 1: the model kept calling tools: more than 1 rounds in one turn',
    );
    // The one round it answered told the model that no result is mocked.
    expect(contentsOf(server.requests[1]).at(-1)?.parts).toEqual([
      {
        functionResponse: {
          name: 'book_table',
          response: { error: "no result is mocked for book_table: add it to the scenario's tool_results" },
        },
      },
    ]);
  });
});
