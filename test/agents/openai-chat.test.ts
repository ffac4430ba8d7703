import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIAudioChatAgent, type OpenAIAudioChatOptions } from '../../src/agents/openai-chat.js';
import { decodeWav } from '../../src/audio/wav.js';
import { AgentError } from '../../src/core/errors.js';
import { createProviderStats } from '../../src/core/provider.js';
import type { Audio, ToolDefinition } from '../../src/core/types.js';
import {
  FAKE_KEY,
  chatAudio,
  chatProblem,
  chatReply,
  startOpenAIHttpFake,
  type FakeAction,
  type FakeRequest,
  type OpenAIHttpFake,
} from '../fakes/openai-http.js';
import { waitFor } from '../wait-for.js';
import { BOOKED, respond, speakTurns } from './booking-dialog.js';

// Conversations of the audio chat agent against the fake chat completions API, with the real SDK
// as client and the real Flite audio of each caller turn.
const tools: ToolDefinition[] = [
  {
    name: 'book_table',
    parameters: { type: 'object', properties: { party_size: { type: 'integer' }, time: { type: 'string' } } },
  },
];

let turns: Audio[];
let fake: OpenAIHttpFake | undefined;

beforeAll(async () => {
  turns = await speakTurns('slt');
});

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setUp(
  answer: (request: FakeRequest) => FakeAction,
  options: Partial<OpenAIAudioChatOptions> = {},
) {
  fake = await startOpenAIHttpFake(answer);
  const agent = new OpenAIAudioChatAgent({
    apiKey: FAKE_KEY,
    baseURL: fake.baseURL,
    instructions: 'You take restaurant bookings.',
    tools,
    retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 2 },
    ...options,
  });
  return { fake, agent };
}

type Message = { role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string };
const messagesOf = (request: FakeRequest | undefined) => (request?.body.messages ?? []) as Message[];
/** The caller turns so far in a request: its user messages. */
const userTurns = (request: FakeRequest) => messagesOf(request).filter((m) => m.role === 'user').length;

/** The slot-filling dialog of the tests: asks for the party size, then the time, then books. */
function host(request: FakeRequest): FakeAction {
  const last = messagesOf(request).at(-1);
  if (last?.role === 'tool') return chatReply(request, [], 'Booked, your reference is R-17.');
  if (userTurns(request) === 1) return chatReply(request, [], 'For how many people?');
  if (userTurns(request) === 2) return chatReply(request, [], 'What time would you like?');
  return chatReply(request, [{ name: 'book_table', arguments: '{"party_size":2,"time":"19:00"}' }]);
}

describe('openai-chat conversations: the message history travels with each request', () => {
  it('sends each turn the whole history: earlier audio, replies, tool calls and their results', async () => {
    const { fake, agent } = await setUp(host);
    const conversation = await agent.converse();
    const replies = [];
    for (const audio of turns) replies.push(await conversation.turn(audio, { respond }));
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
    expect(replies[0]?.toolResults).toBeUndefined();
    // Usage and cost per turn: one completion in turns 1 and 2, two in turn 3.
    expect(replies.map((reply) => reply.usage?.input_audio_tokens)).toEqual([100, 100, 200]);
    expect(replies[0]?.usage?.estimated_cost_usd).toBeCloseTo((100 * 32 + 20 * 2.5 + 20 * 10) / 1e6, 12);

    expect(fake.requests.map(chatProblem)).toEqual([undefined, undefined, undefined, undefined]);
    const [, second, , fourth] = fake.requests;
    // The second turn's request carries the first turn: its audio and the assistant's reply.
    expect(messagesOf(second)).toMatchObject([
      { role: 'system', content: 'You take restaurant bookings.' },
      { role: 'user' },
      { role: 'assistant', content: 'For how many people?' },
      { role: 'user' },
    ]);
    expect(messagesOf(fourth).map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
      'tool',
    ]);
    expect(messagesOf(fourth).at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_2_0',
      content: JSON.stringify(BOOKED),
    });
    // Each user message is that turn's audio, as a WAV file, in order.
    for (const [index, audio] of turns.entries()) {
      expect(decodeWav(chatAudio(fourth as FakeRequest, index)).pcm).toEqual(audio.pcm);
    }
  });

  it('answers calls without a responder with the missing-mock message, so the history stays valid', async () => {
    const { fake, agent } = await setUp((request) =>
      messagesOf(request).at(-1)?.role === 'tool'
        ? chatReply(request, [], 'I cannot book right now.')
        : chatReply(request, [{ name: 'book_table', arguments: '{"party_size":2}' }]),
    );
    const conversation = await agent.converse();
    const first = await conversation.turn(turns[0]!);
    await conversation.turn(turns[1]!);
    expect(first.toolResults?.[0]?.outcome).toEqual({
      missing: "no result is mocked for book_table: add it to the scenario's tool_results",
    });
    expect(first.text).toBe('I cannot book right now.');
    expect(fake.requests.map(chatProblem)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('rejects the turn whose requests fail, naming it, and rejects later turns without a request', async () => {
    const stats = createProviderStats();
    const { fake, agent } = await setUp(
      (request) =>
        userTurns(request) === 2
          ? { type: 'drop', body: Buffer.from('{"choices": []}'), contentType: 'application/json' }
          : host(request),
      { stats },
    );
    const conversation = await agent.converse();
    expect((await conversation.turn(turns[0]!, { respond })).text).toBe('For how many people?');
    const failed = (await conversation.turn(turns[1]!, { respond }).catch((e: unknown) => e)) as Error;
    expect(failed).toBeInstanceOf(AgentError);
    expect(failed.message).toMatch(
      /^the conversation ended in turn 2: OpenAI chat completion failed after 2 attempts/,
    );
    // Each attempt of turn 2 carried the first turn: a retried request loses no context.
    expect(fake.requests.slice(1).map(userTurns)).toEqual([2, 2]);
    const later = (await conversation.turn(turns[2]!, { respond }).catch((e: unknown) => e)) as Error;
    expect(later).toBeInstanceOf(AgentError);
    expect(later.message).toMatch(/^the conversation ended in turn 2: .*; turn 3 was not played$/);
    expect(fake.requests).toHaveLength(3);
    expect(stats).toMatchObject({ requests: 3, retries: 1 });
    await conversation.close();
  });

  it('stops the request of a cancelled turn and ends the conversation', async () => {
    const { fake, agent } = await setUp((request) =>
      userTurns(request) === 2 ? { type: 'hang' } : host(request),
    );
    const conversation = await agent.converse();
    await conversation.turn(turns[0]!, { respond });
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    const second = conversation.turn(turns[1]!, { respond, signal: controller.signal });
    await waitFor(() => fake.requests.length === 2);
    controller.abort(reason);
    await expect(second).rejects.toBe(reason);
    await expect(conversation.turn(turns[2]!, { respond })).rejects.toThrow(/turn 3 was not played/);
    expect(fake.requests).toHaveLength(2);
  });

  it('ends the turn with an error when the model keeps calling past max_turns', async () => {
    const { agent } = await setUp(
      (request) => chatReply(request, [{ name: 'book_table', arguments: '{"party_size":2}' }]),
      { maxTurns: 1 },
    );
    const conversation = await agent.converse();
    await expect(conversation.turn(turns[0]!, { respond })).rejects.toThrow(
      'the conversation ended in turn 1: the model kept calling tools: more than 1 rounds of results in one turn',
    );
  });
});
