import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { respondWith } from '../../src/core/tool-call.js';
import { GeminiLiveAgent, geminiLiveAgentProvider } from '../../src/agents/gemini-live.js';
import { resample } from '../../src/audio/resample.js';
import { withPrices } from '../../src/providers/cost.js';
import { AgentError, FatalProviderError, TimeoutError } from '../../src/core/errors.js';
import { createProviderStats } from '../../src/core/provider.js';
import type { Audio, ToolDefinition } from '../../src/core/types.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import {
  FAKE_GEMINI_KEY,
  startGeminiServer,
  type FakeGeminiServer,
  type LiveConnection,
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
    },
  },
  { name: 'check_availability', parameters: { type: 'object', properties: { time: { type: 'string' } } } },
];

let audio: Audio;
let server: FakeGeminiServer | undefined;

beforeAll(async () => {
  audio = await new FliteSynthesizer({ voice: 'kal16' }).synthesize('Book a table for two at seven');
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** True for the client's end-of-audio message. */
const isStreamEnd = (message: Record<string, unknown>) =>
  (message.realtimeInput as { audioStreamEnd?: boolean } | undefined)?.audioStreamEnd === true;

const toolCall = (...functionCalls: Array<{ id: string; name: string; args: Record<string, unknown> }>) => ({
  toolCall: { functionCalls },
});

function agent(options: Partial<ConstructorParameters<typeof GeminiLiveAgent>[0]> = {}) {
  return new GeminiLiveAgent({
    model: 'gemini-live-2.5-flash-preview',
    apiKey: FAKE_GEMINI_KEY,
    baseUrl: server?.baseUrl,
    tools,
    toolCallIdleMs: 150,
    ...options,
  });
}

describe('gemini-live agent', () => {
  it('counts spoken output as audio tokens and estimates the cost with the prices given', async () => {
    server = await startGeminiServer({
      live: (connection, message) => {
        if (!isStreamEnd(message)) return;
        connection.send(toolCall({ id: 'c1', name: 'book_table', args: { party_size: 2 } }));
        connection.send({
          serverContent: { turnComplete: true },
          // What a native-audio model reports: the response tokens, without a split by modality.
          usageMetadata: {
            promptTokenCount: 90,
            responseTokenCount: 30,
            promptTokensDetails: [{ modality: 'AUDIO', tokenCount: 80 }],
          },
        });
      },
    });
    const stats = createProviderStats();
    const prices = withPrices({
      'gemini-live-2.5-flash-preview': { text_input: 0.5, audio_input: 3, audio_output: 12 },
    });
    const response = await agent({ prices, stats }).run(audio);
    expect(response.usage).toMatchObject({
      input_text_tokens: 10,
      input_audio_tokens: 80,
      output_audio_tokens: 30,
    });
    const expected = (10 * 0.5 + 80 * 3 + 30 * 12) / 1e6;
    expect(response.usage?.estimated_cost_usd).toBeCloseTo(expected, 12);
    expect(stats.estimatedCostUsd).toBeCloseTo(expected, 12);
  });

  it('sets the session up, streams 16 kHz PCM then audioStreamEnd, and gathers every toolCall message', async () => {
    server = await startGeminiServer({
      live: (connection, message) => {
        if (!isStreamEnd(message)) return;
        connection.send({ serverContent: { inputTranscription: { text: 'book a table for two' } } });
        connection.send(toolCall({ id: 'c1', name: 'check_availability', args: { time: '19:00' } }));
        connection.send(toolCall({ id: 'c2', name: 'book_table', args: { party_size: 2, time: '19:00' } }));
      },
    });
    const live = agent({ instructions: 'You are a restaurant host.' });
    expect(live.id).toBe('gemini-live:gemini-live-2.5-flash-preview');
    const response = await live.run(audio);
    expect(response).toEqual({
      toolCalls: [
        { name: 'check_availability', arguments: { time: '19:00' } },
        { name: 'book_table', arguments: { party_size: 2, time: '19:00' } },
      ],
      transcript: 'book a table for two',
    });

    const [connection] = server.live as [LiveConnection];
    expect(connection.path).toContain('BidiGenerateContent?key=');
    expect(connection.setup).toEqual({
      model: 'models/gemini-live-2.5-flash-preview',
      generationConfig: { responseModalities: ['AUDIO'] },
      systemInstruction: { parts: [{ text: 'You are a restaurant host.' }], role: 'user' },
      tools: [
        {
          functionDeclarations: [
            {
              name: 'book_table',
              description: 'Book a table',
              parameters: {
                type: 'OBJECT',
                properties: { party_size: { type: 'INTEGER' }, time: { type: 'STRING' } },
                required: ['party_size'],
              },
            },
            {
              name: 'check_availability',
              parameters: { type: 'OBJECT', properties: { time: { type: 'STRING' } } },
            },
          ],
        },
      ],
      inputAudioTranscription: {},
      outputAudioTranscription: {},
    });
    const inputs = connection.messages.map((message) => message.realtimeInput as Record<string, unknown>);
    expect(inputs.at(-1)).toEqual({ audioStreamEnd: true });
    const chunks = inputs.slice(0, -1).map((input) => input.audio as { data: string; mimeType: string });
    expect(chunks).toHaveLength(Math.ceil(audio.pcm.length / 8000));
    expect(new Set(chunks.map((chunk) => chunk.mimeType))).toEqual(new Set(['audio/pcm;rate=16000']));
    const sent = Buffer.concat(chunks.map((chunk) => Buffer.from(chunk.data, 'base64')));
    expect(new Int16Array(sent.buffer, sent.byteOffset, sent.length / 2)).toEqual(audio.pcm);
    // No tool result was mocked, so none was sent back; the prompt text was never sent either.
    expect(connection.messages.some((message) => 'toolResponse' in message)).toBe(false);
    expect(JSON.stringify(connection.messages)).not.toMatch(/table for two/);
    await connection.closed;
  });

  it('resamples audio at another rate to 16 kHz before streaming it', async () => {
    server = await startGeminiServer({
      live: (connection, message) => {
        if (isStreamEnd(message)) connection.send({ serverContent: { turnComplete: true } });
      },
    });
    const at24k = resample(audio, 24_000);
    expect(await agent().run(at24k)).toEqual({ toolCalls: [] });
    const chunks = (server.live[0]?.messages ?? [])
      .map((message) => (message.realtimeInput as { audio?: { data: string; mimeType: string } }).audio)
      .filter((chunk) => chunk !== undefined);
    expect(chunks.every((chunk) => chunk.mimeType === 'audio/pcm;rate=16000')).toBe(true);
    const bytes = chunks.reduce((total, chunk) => total + Buffer.from(chunk.data, 'base64').length, 0);
    expect(bytes / 2).toBe(resample(at24k, 16_000).pcm.length);
    expect(Math.abs(bytes / 2 - audio.pcm.length)).toBeLessThanOrEqual(1);
  });

  it('answers calls with the mocked results and keeps gathering until the turn completes', async () => {
    server = await startGeminiServer({
      live: (connection, message) => {
        if (isStreamEnd(message)) {
          connection.send(toolCall({ id: 'c1', name: 'check_availability', args: { time: '19:00' } }));
        }
        const responses = (message.toolResponse as { functionResponses?: Array<{ id: string }> } | undefined)
          ?.functionResponses;
        if (responses?.[0]?.id === 'c1') {
          connection.send(toolCall({ id: 'c2', name: 'book_table', args: { party_size: 2 } }));
        }
        if (responses?.[0]?.id === 'c2') {
          connection.send({ serverContent: { modelTurn: { parts: [{ text: 'Booked for two.' }] } } });
          connection.send({
            serverContent: { turnComplete: true },
            usageMetadata: { promptTokenCount: 90, totalTokenCount: 100, responseTokenCount: 10 },
          });
        }
      },
    });
    const response = await agent({ responseModality: 'TEXT', toolCallIdleMs: 5_000 }).run(audio, {
      respond: respondWith({ check_availability: { available: true } }),
    });
    expect(response.toolCalls).toEqual([
      { name: 'check_availability', arguments: { time: '19:00' } },
      { name: 'book_table', arguments: { party_size: 2 } },
    ]);
    expect(response.text).toBe('Booked for two.');
    // A Live session reports its output as responseTokenCount.
    expect(response.usage).toMatchObject({ input_text_tokens: 90, output_text_tokens: 10 });

    const [connection] = server.live as [LiveConnection];
    expect(connection.setup.generationConfig).toEqual({ responseModalities: ['TEXT'] });
    expect(connection.setup).not.toHaveProperty('outputAudioTranscription');
    const answers = connection.messages.filter((message) => 'toolResponse' in message);
    expect(answers).toEqual([
      {
        toolResponse: {
          functionResponses: [
            { id: 'c1', name: 'check_availability', response: { output: { available: true } } },
          ],
        },
      },
      {
        toolResponse: {
          functionResponses: [
            {
              id: 'c2',
              name: 'book_table',
              response: {
                error: "no result is mocked for book_table: add it to the scenario's tool_results",
              },
            },
          ],
        },
      },
    ]);
  });

  it('a turn without calls gives no calls; a cancelled call is dropped', async () => {
    server = await startGeminiServer({
      live: (connection, message) => {
        if (!isStreamEnd(message)) return;
        connection.send(toolCall({ id: 'x', name: 'book_table', args: { party_size: 9 } }));
        connection.send({ toolCallCancellation: { ids: ['x'] } });
        connection.send({ serverContent: { outputTranscription: { text: 'For how many?' } } });
        connection.send({ serverContent: { turnComplete: true } });
      },
    });
    expect(await agent().run(audio)).toEqual({ toolCalls: [], text: 'For how many?' });
  });

  it('a model that never stops calling tools is stopped after max rounds', async () => {
    let next = 0;
    server = await startGeminiServer({
      live: (connection, message) => {
        if (isStreamEnd(message) || 'toolResponse' in message) {
          connection.send(toolCall({ id: `c${next++}`, name: 'check_availability', args: {} }));
        }
      },
    });
    await expect(agent({ maxToolRounds: 3 }).run(audio, { respond: respondWith({}) })).rejects.toThrow(
      /kept calling tools: more than 3 rounds/,
    );
  });

  it('a rejected key stops the suite, and the key from the socket URL is never in the message', async () => {
    server = await startGeminiServer({});
    const wrongKey = 'AIzaWRONG-key-00000000000000000000000';
    const error = await agent({ apiKey: wrongKey })
      .run(audio)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FatalProviderError);
    expect((error as Error).message).toMatch(/1008.*API key not valid/);
    expect((error as Error).message).not.toContain(wrongKey);
  });

  it('a session the server drops mid-turn is run again in a new session', async () => {
    server = await startGeminiServer({
      live: (connection, message) => {
        if (!isStreamEnd(message)) return;
        if (server?.live.length === 1) return connection.close(1011, 'Internal error occurred.');
        connection.send(toolCall({ id: 'c1', name: 'book_table', args: { party_size: 2 } }));
      },
    });
    const response = await agent({ retry: { baseDelayMs: 1 } }).run(audio);
    expect(response.toolCalls).toEqual([{ name: 'book_table', arguments: { party_size: 2 } }]);
    expect(server.live).toHaveLength(2);
  });

  it('a silent model is cut off by the run signal, and the session is closed', async () => {
    server = await startGeminiServer({});
    const controller = new AbortController();
    setTimeout(() => controller.abort(new TimeoutError('timed out after 0.3 s')), 300);
    await expect(agent().run(audio, { signal: controller.signal })).rejects.toThrow(TimeoutError);
    await server.live[0]?.closed;
  });

  it('is built from the config with the key from the environment', async () => {
    server = await startGeminiServer({
      live: (connection, message) => {
        if (isStreamEnd(message)) connection.send({ serverContent: { turnComplete: true } });
      },
    });
    const built = await geminiLiveAgentProvider.create(
      { model: 'gemini-live-2.5-flash-preview', base_url: server.baseUrl, tool_call_idle_ms: 100 },
      { baseDir: process.cwd(), env: { GOOGLE_API_KEY: FAKE_GEMINI_KEY }, tools: [], concurrency: 1 },
    );
    expect(await built.run(audio)).toEqual({ toolCalls: [] });
    expect(server.live[0]?.setup).not.toHaveProperty('tools');
  });
});

describe('gemini-live conversations: one session, context kept by the service', () => {
  let turns: Audio[];
  beforeAll(async () => {
    turns = await speakTurns('rms');
  });
  const responsesOf = (message: Record<string, unknown>) =>
    (message.toolResponse as { functionResponses?: unknown[] } | undefined)?.functionResponses;
  const spoken = (transcript: string) => [
    {
      serverContent: {
        modelTurn: { parts: [{ inlineData: { mimeType: 'audio/pcm;rate=24000', data: 'AAAA' } }] },
      },
    },
    { serverContent: { outputTranscription: { text: transcript } } },
  ];
  const done = {
    serverContent: { turnComplete: true },
    usageMetadata: { promptTokenCount: 50, responseTokenCount: 10 },
  };

  it('plays three turns on one session: audio then audioStreamEnd each, calls answered, a reply per turn', async () => {
    // The caller turns the service had heard when it answered each one.
    const heardBefore: number[] = [];
    server = await startGeminiServer({
      live: (connection, message) => {
        const send = (...messages: unknown[]) => messages.forEach((m) => connection.send(m));
        if (responsesOf(message)) return send(...spoken('Booked, your reference is R-17.'), done);
        if (!isStreamEnd(message)) return;
        heardBefore.push(connection.turns.length);
        if (connection.turns.length === 1) return send(...spoken('For how many people?'), done);
        if (connection.turns.length === 2) return send(...spoken('What time would you like?'), done);
        send(toolCall({ id: 'c1', name: 'book_table', args: { party_size: 2, time: '19:00' } }));
      },
    });
    const stats = createProviderStats();
    const prices = withPrices({ 'gemini-live-2.5-flash-preview': { text_input: 1, audio_output: 10 } });
    const conversation = await agent({ stats, prices }).converse();
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
    // Usage and cost per turn.
    for (const reply of replies)
      expect(reply.usage?.estimated_cost_usd).toBeCloseTo((50 + 10 * 10) / 1e6, 12);
    expect(stats.estimatedCostUsd).toBeCloseTo((3 * (50 + 10 * 10)) / 1e6, 12);

    // One session; each turn's audio went on it after the earlier turns' audio and answers.
    expect(server.live).toHaveLength(1);
    expect(heardBefore).toEqual([1, 2, 3]);
    const [connection] = server.live as [LiveConnection];
    expect(connection.turns).toHaveLength(3);
    for (const [index, turn] of turns.entries()) {
      const sent = connection.turns[index] as Buffer;
      expect(new Int16Array(sent.buffer, sent.byteOffset, sent.length / 2)).toEqual(turn.pcm);
    }
    expect(connection.messages.filter(isStreamEnd)).toHaveLength(3);
    expect(connection.messages.filter((message) => 'toolResponse' in message)).toEqual([
      {
        toolResponse: { functionResponses: [{ id: 'c1', name: 'book_table', response: { output: BOOKED } }] },
      },
    ]);
    // close() ended the session (the SDK closes without a code).
    await connection.closed;
  });

  it('flags a spoken reply without a transcript, and answers calls without a responder', async () => {
    server = await startGeminiServer({
      live: (connection, message) => {
        if (isStreamEnd(message))
          return connection.send(toolCall({ id: 'c1', name: 'book_table', args: {} }));
        if (responsesOf(message)) {
          connection.send(spoken('')[0]);
          connection.send(done);
        }
      },
    });
    const conversation = await agent().converse();
    const reply = await conversation.turn(turns[0]!);
    await conversation.close();
    expect(reply.replyAudioOnly).toBe(true);
    expect(reply.text).toBeUndefined();
    expect(reply.toolResults?.[0]?.outcome).toEqual({
      missing: "no result is mocked for book_table: add it to the scenario's tool_results",
    });
  });

  it('rejects the turn whose session closed, naming it, rejects later turns at once and opens no new session', async () => {
    server = await startGeminiServer({
      live: (connection, message) => {
        if (!isStreamEnd(message)) return;
        if (connection.turns.length === 2) return connection.close(1011, 'Internal error occurred.');
        connection.send(spoken('For how many people?')[1]);
        connection.send(done);
      },
    });
    const conversation = await agent({ retry: { baseDelayMs: 1 } }).converse();
    expect((await conversation.turn(turns[0]!, { respond })).text).toBe('For how many people?');
    const dropped = (await conversation.turn(turns[1]!, { respond }).catch((e: unknown) => e)) as Error;
    expect(dropped).toBeInstanceOf(AgentError);
    expect(dropped.message).toBe(
      'the Gemini Live session ended in turn 2: Gemini Live: the session closed unexpectedly (code 1011: Internal error occurred.)',
    );
    const later = (await conversation.turn(turns[2]!, { respond }).catch((e: unknown) => e)) as Error;
    expect(later).toBeInstanceOf(AgentError);
    expect(later.message).toMatch(/^the Gemini Live session ended in turn 2: .*; turn 3 was not played$/);
    await conversation.close();
    expect(server.live).toHaveLength(1);
  });

  it('closes the session when a turn is cancelled, and rejects the later turns', async () => {
    server = await startGeminiServer({
      live: (connection, message) => {
        if (!isStreamEnd(message) || connection.turns.length === 2) return;
        connection.send(done);
      },
    });
    const conversation = await agent().converse();
    await conversation.turn(turns[0]!, { respond });
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    const second = conversation.turn(turns[1]!, { respond, signal: controller.signal });
    const [connection] = server.live as [LiveConnection];
    await waitFor(() => connection.messages.filter(isStreamEnd).length === 2);
    controller.abort(reason);
    await expect(second).rejects.toBe(reason);
    await connection.closed;
    await expect(conversation.turn(turns[2]!, { respond })).rejects.toThrow(/turn 3 was not played/);
  });

  it('retries the opening of the session, and stops at once on a rejected key', async () => {
    const stats = createProviderStats();
    server = await startGeminiServer({
      liveRefuse: (index) => (index === 0 ? { code: 1011, reason: 'Internal error occurred.' } : undefined),
      live: (connection, message) => {
        if (isStreamEnd(message)) connection.send(done);
      },
    });
    const conversation = await agent({ stats, retry: { baseDelayMs: 1 } }).converse();
    expect((await conversation.turn(turns[0]!)).toolCalls).toEqual([]);
    await conversation.close();
    expect(server.live).toHaveLength(2);
    expect(stats).toMatchObject({ requests: 2, retries: 1 });
    await expect(
      agent({ apiKey: 'AIzaWRONG-key-00000000000000000000000' }).converse(),
    ).rejects.toBeInstanceOf(FatalProviderError);
  });
});
