import { afterEach, describe, expect, it } from 'vitest';
import { respondWith } from '../../../src/core/tool-call.js';
import { openAIChatAgentProvider, OpenAIAudioChatAgent } from '../../../src/agents/openai-chat.js';
import { decodeWav } from '../../../src/audio/wav.js';
import { AgentError, FatalProviderError, SynthesisError } from '../../../src/core/errors.js';
import { RetriesExhaustedError } from '../../../src/core/retry.js';
import { createProviderStats } from '../../../src/core/provider.js';
import type { Audio, ToolDefinition } from '../../../src/core/types.js';
import { openAISynthesizerProvider, OpenAITTSSynthesizer } from '../../../src/synthesize/openai.js';
import {
  FAKE_KEY,
  apiError,
  chatAudio,
  chatReply,
  quotaExceeded,
  rateLimited,
  speech,
  speechPcm,
  startOpenAIHttpFake,
  type FakeAction,
  type FakeRequest,
  type OpenAIHttpFake,
} from '../../fakes/openai-http.js';

let fake: OpenAIHttpFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const tools: ToolDefinition[] = [
  {
    name: 'book_table',
    description: 'Books a table',
    parameters: { type: 'object', properties: { party_size: { type: 'integer' } }, required: ['party_size'] },
  },
  { name: 'get_menu', parameters: { type: 'object', properties: {} } },
];
const tone: Audio = {
  pcm: new Int16Array(1600).map((_, i) => Math.round(4000 * Math.sin(i / 5))),
  sampleRate: 16000,
};
const fast = { baseDelayMs: 5, maxDelayMs: 20 };

/** Starts a fake whose answers are `script` in turn, then `normal`. */
async function scripted(script: FakeAction[], normal: (request: FakeRequest) => FakeAction) {
  fake = await startOpenAIHttpFake((request) => script[request.index] ?? normal(request));
  return fake;
}

describe('OpenAITTSSynthesizer', () => {
  it('asks for 24 kHz PCM with the model, voice, speed and instructions, and returns it as Audio', async () => {
    const server = await scripted([], speech);
    const synthesizer = new OpenAITTSSynthesizer({
      apiKey: FAKE_KEY,
      baseURL: server.baseURL,
      voice: 'coral',
      speed: 1.25,
      instructions: 'Speak like a tired waiter.',
    });
    const audio = await synthesizer.synthesize('Book a table for two');
    expect(audio.sampleRate).toBe(24000);
    expect(Array.from(audio.pcm.subarray(0, 50))).toEqual(
      Array.from(new Int16Array(new Uint8Array(speechPcm('Book a table for two')).buffer).subarray(0, 50)),
    );
    expect(audio.pcm.length).toBe(5 * 2400);
    expect(server.requests[0]?.body).toEqual({
      model: 'gpt-4o-mini-tts',
      voice: 'coral',
      input: 'Book a table for two',
      response_format: 'pcm',
      speed: 1.25,
      instructions: 'Speak like a tired waiter.',
    });
  });

  it('has an id that names model, voice, speed and instructions (the audio cache keys on it)', () => {
    const make = (options: ConstructorParameters<typeof OpenAITTSSynthesizer>[0]) =>
      new OpenAITTSSynthesizer({ apiKey: FAKE_KEY, ...options }).id;
    expect(make({})).toBe('openai:gpt-4o-mini-tts:alloy');
    expect(make({ model: 'tts-1', voice: 'nova', speed: 1.5 })).toBe('openai:tts-1:nova:speed=1.5');
    const calm = make({ instructions: 'calm' });
    expect(calm).toMatch(/^openai:gpt-4o-mini-tts:alloy:instructions=[0-9a-f]{12}$/);
    expect(make({ instructions: 'angry' })).not.toBe(calm);
  });

  it('rejects instructions for tts-1 when it is built, with a fix', () => {
    const error = (() => {
      try {
        new OpenAITTSSynthesizer({ apiKey: FAKE_KEY, model: 'tts-1', instructions: 'cheerful' });
      } catch (e) {
        return e as SynthesisError;
      }
    })();
    expect(error).toBeInstanceOf(SynthesisError);
    expect(error?.message).toBe('tts-1 does not take instructions');
    expect(error?.hint).toMatch(/gpt-4o-mini-tts/);
  });

  it('is built by the registry from config, with the key and base URL from the context env', async () => {
    const server = await scripted([], speech);
    const stats = createProviderStats();
    const synthesizer = openAISynthesizerProvider.create({ model: 'tts-1', speed: 2 }, 'onyx', {
      baseDir: '.',
      env: { OPENAI_API_KEY: FAKE_KEY, OPENAI_BASE_URL: server.baseURL },
      tools: [],
      concurrency: 1,
      stats,
    });
    expect(synthesizer.id).toBe('openai:tts-1:onyx:speed=2');
    expect(synthesizer.voice).toBe('onyx');
    await synthesizer.synthesize('one two three');
    expect(server.requests[0]?.body).toMatchObject({ model: 'tts-1', voice: 'onyx', speed: 2 });
    // tts-1 is priced per character: 13 characters at $15 per million.
    expect(stats.estimatedCostUsd).toBeCloseTo((13 * 15) / 1e6, 12);
  });

  it('says which variable to set when there is no key, without reading process.env behind the context', () => {
    const build = () =>
      openAISynthesizerProvider.create({}, 'alloy', { baseDir: '.', env: {}, tools: [], concurrency: 1 });
    expect(build).toThrow(FatalProviderError);
    expect(build).toThrow(/OPENAI_API_KEY is not set/);
  });

  it('turns a body that is not PCM into a clear error', async () => {
    const server = await scripted(
      [{ type: 'bytes', body: Buffer.from('abc'), contentType: 'audio/pcm' }],
      speech,
    );
    const synthesizer = new OpenAITTSSynthesizer({ apiKey: FAKE_KEY, baseURL: server.baseURL });
    await expect(synthesizer.synthesize('hello')).rejects.toThrow(/returned 3 bytes, not 16-bit PCM audio/);
  });
});

describe('OpenAIAudioChatAgent', () => {
  it('sends the audio as a WAV input_audio part with tools and tool_choice, and returns the calls', async () => {
    const server = await scripted([], (request) =>
      chatReply(request, [{ name: 'book_table', arguments: '{"party_size": 2}' }]),
    );
    const agent = new OpenAIAudioChatAgent({
      apiKey: FAKE_KEY,
      baseURL: server.baseURL,
      instructions: 'You take restaurant bookings.',
      tools,
      toolChoice: { name: 'book_table' },
    });
    const response = await agent.run(tone);
    expect(response.toolCalls).toEqual([{ name: 'book_table', arguments: { party_size: 2 } }]);
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body.model).toBe('gpt-audio');
    expect(body.modalities).toEqual(['text']);
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'book_table' } });
    expect(body.tools).toEqual(tools.map((tool) => ({ type: 'function', function: tool })));
    expect(body.messages).toMatchObject([
      { role: 'system', content: 'You take restaurant bookings.' },
      { role: 'user' },
    ]);
    // The model hears exactly the audio that was played, as a WAV file.
    const heard = decodeWav(chatAudio(server.requests[0] as FakeRequest));
    expect(heard.sampleRate).toBe(16000);
    expect(Array.from(heard.pcm)).toEqual(Array.from(tone.pcm));
    expect(response.usage).toMatchObject({
      input_audio_tokens: 100,
      input_text_tokens: 20,
      output_text_tokens: 20,
    });
    // gpt-audio: 100 audio tokens at $32/M, 20 text in at $2.50/M, 20 text out at $10/M.
    expect(response.usage?.estimated_cost_usd).toBeCloseTo((100 * 32 + 20 * 2.5 + 20 * 10) / 1e6, 12);
  });

  it('keeps a call whose arguments are malformed JSON, marked, instead of failing the run', async () => {
    const server = await scripted([], (request) =>
      chatReply(request, [
        { name: 'book_table', arguments: '{"party_size": 2' },
        { name: 'get_menu', arguments: '{}' },
      ]),
    );
    const agent = new OpenAIAudioChatAgent({ apiKey: FAKE_KEY, baseURL: server.baseURL, tools });
    const response = await agent.run(tone);
    expect(response.toolCalls[0]).toMatchObject({ name: 'book_table', arguments: {} });
    expect(response.toolCalls[0]?.argumentsError).toMatch(/not valid JSON/);
    expect(response.toolCalls[1]).toEqual({ name: 'get_menu', arguments: {} });
  });

  it('answers calls with the mocked tool results and gathers the follow-up calls', async () => {
    const server = await scripted([], (request) => {
      const messages = request.body.messages as Array<Record<string, unknown>>;
      const toolMessage = messages.find((message) => message.role === 'tool');
      if (!toolMessage) return chatReply(request, [{ name: 'get_menu', arguments: '{}' }]);
      return chatReply(request, [{ name: 'book_table', arguments: '{"party_size": 2}' }], 'Booked.');
    });
    const agent = new OpenAIAudioChatAgent({ apiKey: FAKE_KEY, baseURL: server.baseURL, tools, maxTurns: 1 });
    const response = await agent.run(tone, { respond: respondWith({ get_menu: { dishes: ['soup'] } }) });
    expect(response.toolCalls.map((call) => call.name)).toEqual(['get_menu', 'book_table']);
    expect(response.text).toBe('Booked.');
    const second = server.requests[1]?.body.messages as Array<Record<string, unknown>>;
    expect(second.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_0_0', type: 'function', function: { name: 'get_menu', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'call_0_0', content: '{"dishes":["soup"]}' },
    ]);
    // max_turns 1: the follow-up call is not answered again.
    expect(server.requests).toHaveLength(2);
  });

  it('makes one request when the scenario has no tool results', async () => {
    const server = await scripted([], (request) =>
      chatReply(request, [{ name: 'get_menu', arguments: '{}' }]),
    );
    const agent = new OpenAIAudioChatAgent({ apiKey: FAKE_KEY, baseURL: server.baseURL, tools });
    await agent.run(tone);
    expect(server.requests).toHaveLength(1);
  });

  it('is built by the registry with tool_choice checked against the tools', async () => {
    const context = { baseDir: '.', env: { OPENAI_API_KEY: FAKE_KEY }, tools, concurrency: 1 };
    const agent = await openAIChatAgentProvider.create(
      { model: 'gpt-4o-audio-preview', tool_choice: 'required' },
      context,
    );
    expect(agent.id).toBe('openai-chat:gpt-4o-audio-preview');
    await expect(openAIChatAgentProvider.create({ tool_choice: 'book_tabel' }, context)).rejects.toThrow(
      expect.objectContaining({ hint: 'did you mean "book_table"?' }),
    );
  });
});

// The same resilience for both HTTP providers: one retry layer (russo's), the SDK's own retries off.
const clients = [
  {
    name: 'speech',
    answer: speech,
    call: (baseURL: string, extra = {}, signal?: AbortSignal) =>
      new OpenAITTSSynthesizer({ apiKey: FAKE_KEY, baseURL, retry: fast, ...extra }).synthesize(
        'hello there',
        signal,
      ),
    ErrorKind: SynthesisError,
  },
  {
    name: 'chat',
    answer: (request: FakeRequest) => chatReply(request, [{ name: 'get_menu', arguments: '{}' }]),
    call: (baseURL: string, extra = {}, signal?: AbortSignal) =>
      new OpenAIAudioChatAgent({ apiKey: FAKE_KEY, baseURL, tools, retry: fast, ...extra }).run(tone, {
        signal,
      }),
    ErrorKind: AgentError,
  },
];

describe.each(clients)('$name over HTTP: retries and failures', ({ answer, call, ErrorKind }) => {
  it('waits out a 429 with retry-after, then succeeds; counts the retry and the throttle', async () => {
    const server = await scripted([rateLimited(80)], answer);
    const stats = createProviderStats();
    const started = performance.now();
    await expect(call(server.baseURL, { stats })).resolves.toBeTruthy();
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(server.requests).toHaveLength(2);
    expect(stats).toMatchObject({ requests: 2, retries: 1, throttles: 1 });
  });

  it('stops at once on 429 insufficient_quota with a fatal error that says to add credit', async () => {
    const server = await scripted([quotaExceeded()], answer);
    const error = await call(server.baseURL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FatalProviderError);
    expect((error as FatalProviderError).hint).toMatch(/quota/);
    expect(server.requests).toHaveLength(1);
  });

  it('stops at once on a rejected key, and never shows the key', async () => {
    const server = await scripted([], answer);
    const error = (await call(server.baseURL, { apiKey: 'sk-wrong-key-abcdefghijklmnop' }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(FatalProviderError);
    expect(error.message).toMatch(/401/);
    expect(error.message).not.toMatch(/sk-wr/);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a 500, then succeeds', async () => {
    const server = await scripted([apiError(500, 'server_error', 'The server had an error')], answer);
    await expect(call(server.baseURL)).resolves.toBeTruthy();
    expect(server.requests).toHaveLength(2);
  });

  it('retries when the socket drops in the middle of the body', async () => {
    const body = Buffer.from(JSON.stringify({ padding: 'x'.repeat(4000) }));
    const server = await scripted([{ type: 'drop', body, contentType: 'audio/pcm' }], answer);
    await expect(call(server.baseURL)).resolves.toBeTruthy();
    expect(server.requests).toHaveLength(2);
  });

  it('gives up on a server that hangs past the request timeout, then retries it', async () => {
    const server = await scripted([{ type: 'hang' }], answer);
    const started = performance.now();
    await expect(call(server.baseURL, { requestTimeoutMs: 300 })).resolves.toBeTruthy();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after the bounded attempts with a typed error that names them', async () => {
    const server = await scripted([], () => apiError(503, 'server_error', 'overloaded'));
    const error = (await call(server.baseURL, { retry: { ...fast, maxAttempts: 3 } }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.message).toMatch(/failed after 3 attempts.*503 overloaded/);
    expect(server.requests).toHaveLength(3);
  });

  it('reports a 422 as a run error of its kind, without retrying', async () => {
    const server = await scripted([apiError(422, 'invalid_request_error', 'unprocessable')], answer);
    await expect(call(server.baseURL)).rejects.toBeInstanceOf(ErrorKind);
    expect(server.requests).toHaveLength(1);
  });

  it('stops a retry wait as soon as the run is cancelled', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    // Cancelled just after the 429 goes out, while the client waits the 10 s it asks for.
    const server = await scripted([], (request) => {
      setTimeout(() => controller.abort(reason), 50);
      return request.index === 0 ? rateLimited(10_000) : answer(request);
    });
    const started = performance.now();
    await expect(call(server.baseURL, {}, controller.signal)).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(5_000); // not the 10 s the server asked for
    expect(server.requests).toHaveLength(1);
  });
});

describe('the key', () => {
  it('does not show when a provider is logged or serialised', async () => {
    const { inspect } = await import('node:util');
    const providers = [
      new OpenAITTSSynthesizer({ apiKey: FAKE_KEY }),
      new OpenAIAudioChatAgent({ apiKey: FAKE_KEY }),
      new (await import('../../../src/agents/openai-realtime.js')).OpenAIRealtimeAgent({ apiKey: FAKE_KEY }),
    ];
    for (const provider of providers) {
      expect(inspect(provider, { depth: 10, showHidden: true })).not.toContain(FAKE_KEY);
      expect(JSON.stringify(provider)).not.toContain(FAKE_KEY);
    }
  });
});
