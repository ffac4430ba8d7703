import { Agent as HttpsAgent } from 'node:https';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { respondWith } from '../../src/core/tool-call.js';
import {
  openAIRealtimeAgentProvider,
  OpenAIRealtimeAgent,
  type OpenAIRealtimeOptions,
} from '../../src/agents/openai-realtime.js';
import { resample } from '../../src/audio/resample.js';
import { AgentError, FatalProviderError } from '../../src/core/errors.js';
import { runConcurrent } from '../../src/core/pipeline.js';
import { RetriesExhaustedError } from '../../src/core/retry.js';
import { createProviderStats } from '../../src/core/provider.js';
import type { Audio, ToolDefinition } from '../../src/core/types.js';
import { ToolCallEvaluator } from '../../src/evaluate/index.js';
import {
  REALTIME_FAKE_KEY,
  startRealtimeFake,
  type ConversationItem,
  type RealtimeFake,
  type RealtimeFakeOptions,
} from '../fakes/openai-realtime.js';
import { waitFor } from '../wait-for.js';
import { BOOKED, respond, speakTurns } from './booking-dialog.js';

let fake: RealtimeFake | undefined;
const agents: OpenAIRealtimeAgent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.close();
  await fake?.close();
  fake = undefined;
});

const tools: ToolDefinition[] = [
  {
    name: 'book_table',
    description: 'Books a table',
    parameters: { type: 'object', properties: { party_size: { type: 'integer' }, time: { type: 'string' } } },
  },
  { name: 'get_menu', parameters: { type: 'object', properties: {} } },
];
/** One second of a 16 kHz tone: the agent must send it as 24 000 samples. */
const second16k: Audio = {
  pcm: new Int16Array(16000).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 300 * i) / 16000))),
  sampleRate: 16000,
};
const fast = { baseDelayMs: 5, maxDelayMs: 20 };

async function setUp(options: RealtimeFakeOptions, agentOptions: OpenAIRealtimeOptions = {}) {
  fake = await startRealtimeFake(options);
  const agent = new OpenAIRealtimeAgent({
    apiKey: REALTIME_FAKE_KEY,
    baseURL: fake.baseURL,
    socketOptions: { ca: fake.ca },
    tools,
    instructions: 'You take restaurant bookings.',
    retry: fast,
    ...agentOptions,
  });
  agents.push(agent);
  return { fake, agent };
}

describe('OpenAIRealtimeAgent against a GA Realtime server', () => {
  it('configures the session, streams 24 kHz audio, commits, asks for a response and returns the call', async () => {
    const { fake, agent } = await setUp({
      respond: () => ({ calls: [{ name: 'book_table', arguments: '{"party_size":2,"time":"19:00"}' }] }),
    });
    const response = await agent.run(second16k);
    expect(response.toolCalls).toEqual([{ name: 'book_table', arguments: { party_size: 2, time: '19:00' } }]);
    const session = fake.sessions[0];
    expect(session?.problems).toEqual([]);
    expect(session?.model).toBe('gpt-realtime');
    expect(session?.session).toEqual({
      type: 'realtime',
      output_modalities: ['text'],
      audio: { input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: null } },
      instructions: 'You take restaurant bookings.',
      tools: tools.map((tool) => ({ type: 'function', ...tool })),
      tool_choice: 'auto',
    });
    // One second of audio at 24 kHz, in half-second chunks, then commit, then response.create.
    expect(session?.samples).toBe(24000);
    expect(session?.appends).toBe(2);
    const sent = Buffer.concat(session?.audio ?? []);
    const expected = resample(second16k, 24000).pcm;
    expect(sent.equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength))).toBe(true);
    expect(session?.events).toEqual([
      'session.update',
      'input_audio_buffer.append',
      'input_audio_buffer.append',
      'input_audio_buffer.commit',
      'response.create',
    ]);
    await waitFor(() => session?.closed === true);
    expect(response.latencyMs).toBeGreaterThanOrEqual(0);
    expect(response.usage).toMatchObject({
      input_audio_tokens: 10,
      input_text_tokens: 60,
      output_text_tokens: 10,
      turns: 1,
    });
    // gpt-realtime: 10 audio tokens at $32/M, 60 text in at $4/M, 10 text out at $16/M.
    expect(response.usage?.estimated_cost_usd).toBeCloseTo((10 * 32 + 60 * 4 + 10 * 16) / 1e6, 12);
  });

  it('resumes the TLS session of the first run in later sessions', async () => {
    const { fake, agent } = await setUp({
      respond: () => ({ calls: [{ name: 'get_menu', arguments: '{}' }] }),
    });
    await agent.run(second16k);
    await agent.run(second16k);
    const silence: Audio = { pcm: new Int16Array(16000), sampleRate: 16000 };
    await agent.run(silence);
    const [first, second, third] = fake.sessions.map((session) => Buffer.concat(session.audio));
    expect(second?.equals(first as Buffer)).toBe(true);
    expect(third?.equals(Buffer.alloc(48000))).toBe(true);
    expect(fake.sessions.map((session) => session.problems)).toEqual([[], [], []]);
    expect(fake.tlsResumptions).toBe(2);
  });

  it('keeps a socket agent of the caller', async () => {
    fake = await startRealtimeFake({ respond: () => ({ calls: [{ name: 'get_menu', arguments: '{}' }] }) });
    const agent = new OpenAIRealtimeAgent({
      apiKey: REALTIME_FAKE_KEY,
      baseURL: fake.baseURL,
      // An agent that caches no TLS sessions: every handshake is a full one.
      socketOptions: { agent: new HttpsAgent({ ca: fake.ca, maxCachedSessions: 0 }) },
    });
    await agent.run(second16k);
    await agent.run(second16k);
    expect(fake.sessions).toHaveLength(2);
    expect(fake.tlsResumptions).toBe(0);
  });

  it('collects several calls of one response once each, from the argument events and response.done', async () => {
    const { agent } = await setUp({
      respond: () => ({
        calls: [
          { name: 'get_menu', arguments: '{}' },
          { name: 'book_table', arguments: '{"party_size":4}' },
          { name: 'book_table', arguments: '{"party_size":4' },
        ],
        text: 'On it.',
      }),
    });
    const response = await agent.run(second16k);
    expect(response.toolCalls.map((call) => call.name)).toEqual(['get_menu', 'book_table', 'book_table']);
    expect(response.toolCalls[1]?.arguments).toEqual({ party_size: 4 });
    expect(response.toolCalls[2]?.argumentsError).toMatch(/not valid JSON/);
    expect(response.text).toBe('On it.');
  });

  it('reads calls that arrive only inside response.done', async () => {
    const { agent } = await setUp({
      respond: () => ({ calls: [{ name: 'get_menu', arguments: '{}' }], onlyInDone: true }),
    });
    const response = await agent.run(second16k);
    expect(response.toolCalls).toEqual([{ name: 'get_menu', arguments: {} }]);
  });

  it('answers each call with its mocked result and gathers the follow-up calls', async () => {
    const { fake, agent } = await setUp({
      respond: (_session, turn) =>
        turn === 0
          ? {
              calls: [
                { name: 'get_menu', arguments: '{}' },
                { name: 'check_hours', arguments: '{}' },
              ],
            }
          : turn === 1
            ? { calls: [{ name: 'book_table', arguments: '{"party_size":2}' }] }
            : { text: 'Done.' },
    });
    const response = await agent.run(second16k, {
      respond: respondWith({ get_menu: { dishes: ['soup'] }, book_table: { ok: true } }),
    });
    expect(response.toolCalls.map((call) => call.name)).toEqual(['get_menu', 'check_hours', 'book_table']);
    expect(response.text).toBe('Done.');
    expect(response.usage?.turns).toBe(3);
    const session = fake.sessions[0];
    expect(session?.problems).toEqual([]);
    expect(session?.toolOutputs).toEqual([
      { call_id: 'call_resp_0_0_0', output: '{"dishes":["soup"]}' },
      { call_id: 'call_resp_0_0_1', output: expect.stringMatching(/no result is mocked for check_hours/) },
      { call_id: 'call_resp_0_1_0', output: '{"ok":true}' },
    ]);
  });

  it('stops answering after max_turns follow-up responses', async () => {
    const { fake, agent } = await setUp(
      { respond: () => ({ calls: [{ name: 'get_menu', arguments: '{}' }] }) },
      { maxTurns: 2 },
    );
    const response = await agent.run(second16k, { respond: respondWith({ get_menu: [] }) });
    expect(response.toolCalls).toHaveLength(3);
    expect(fake.sessions[0]?.events.filter((type) => type === 'response.create')).toHaveLength(3);
  });

  it('makes an error event a run error with its code and message, and closes the socket', async () => {
    const { fake, agent } = await setUp({
      respond: () => ({
        error: { type: 'invalid_request_error', code: 'invalid_value', message: 'Tool schema is invalid.' },
      }),
    });
    const error = (await agent.run(second16k).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(AgentError);
    expect(error.message).toBe('the Realtime API sent an error (invalid_value): Tool schema is invalid.');
    expect(fake.sessions).toHaveLength(1);
    await waitFor(() => fake.sessions[0]?.closed === true);
  });

  it('makes a failed response a run error with its reason', async () => {
    const { agent } = await setUp({
      respond: () => ({
        failed: { type: 'server_error', code: 'server_error', message: 'The model crashed.' },
      }),
    });
    await expect(agent.run(second16k)).rejects.toThrow(
      'the Realtime response failed (server_error): The model crashed.',
    );
  });

  it('runs the session again when the socket drops mid-response, and counts the retry', async () => {
    const stats = createProviderStats();
    const { fake, agent } = await setUp(
      {
        respond: (session) =>
          session.index === 0 ? { drop: true } : { calls: [{ name: 'get_menu', arguments: '{}' }] },
      },
      { stats },
    );
    const response = await agent.run(second16k);
    expect(response.toolCalls).toEqual([{ name: 'get_menu', arguments: {} }]);
    expect(fake.sessions).toHaveLength(2);
    expect(stats).toMatchObject({ requests: 2, retries: 1, throttles: 0 });
  });

  it('gives up on a socket that always drops after the bounded attempts', async () => {
    const { fake, agent } = await setUp(
      { respond: () => ({ drop: true }) },
      { retry: { ...fast, maxAttempts: 3 } },
    );
    const error = (await agent.run(second16k).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.message).toMatch(/failed after 3 attempts.*socket closed unexpectedly/);
    expect(fake.sessions).toHaveLength(3);
  });

  it('gives a session that never finishes its response up at the request timeout, and tries again', async () => {
    // The timeout also bounds each attempt's TLS and WebSocket handshake: long enough that a loaded
    // machine still connects both sessions, far shorter than the answer that never comes.
    const { fake, agent } = await setUp(
      { latencyMs: 10_000, respond: () => ({}) },
      { requestTimeoutMs: 1_500, retry: { ...fast, maxAttempts: 2 } },
    );
    const error = (await agent.run(second16k).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.message).toMatch(/failed after 2 attempts.*no complete answer within 1.5 s/);
    expect(fake.sessions).toHaveLength(2);
    await waitFor(() => fake.sessions.every((session) => session.closed));
  });

  it('retries a handshake refused with 429 after its retry-after-ms, as a throttle', async () => {
    const stats = createProviderStats();
    const { fake, agent } = await setUp(
      {
        handshake: (index) =>
          index === 0
            ? { status: 429, headers: { 'retry-after-ms': '60' }, body: { error: { message: 'slow down' } } }
            : undefined,
        respond: () => ({ calls: [{ name: 'get_menu', arguments: '{}' }] }),
      },
      { stats },
    );
    const started = performance.now();
    const response = await agent.run(second16k);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(response.toolCalls).toHaveLength(1);
    expect(fake.handshakes).toBe(2);
    expect(stats).toMatchObject({ retries: 1, throttles: 1 });
  });

  it('stops at once on a handshake refused for no quota or a bad key, without showing the key', async () => {
    const { fake, agent } = await setUp({
      handshake: (index) =>
        index === 0
          ? {
              status: 429,
              body: { error: { message: 'You exceeded your current quota.', code: 'insufficient_quota' } },
            }
          : { status: 401, body: { error: { message: `Incorrect API key provided: ${REALTIME_FAKE_KEY}` } } },
      respond: () => ({}),
    });
    const quota = (await agent.run(second16k).catch((e: unknown) => e)) as FatalProviderError;
    expect(quota).toBeInstanceOf(FatalProviderError);
    expect(quota.hint).toMatch(/quota/);
    const badKey = (await agent.run(second16k).catch((e: unknown) => e)) as FatalProviderError;
    expect(badKey).toBeInstanceOf(FatalProviderError);
    expect(badKey.message).toMatch(/HTTP 401/);
    expect(badKey.message).not.toContain(REALTIME_FAKE_KEY);
    expect(fake.handshakes).toBe(2);
  });

  it('makes an invalid_api_key error event fatal', async () => {
    const { agent } = await setUp({ respond: () => ({}) }, { apiKey: 'sk-not-the-right-key-000000' });
    await expect(agent.run(second16k)).rejects.toBeInstanceOf(FatalProviderError);
  });

  it('closes the socket and throws the reason when the run is cancelled mid-response', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    // Cancelled when the fake starts its (slow) response: mid-response whatever the machine's load.
    const { fake, agent } = await setUp({
      latencyMs: 5000,
      respond: () => {
        controller.abort(reason);
        return {};
      },
    });
    await expect(agent.run(second16k, { signal: controller.signal })).rejects.toBe(reason);
    await waitFor(() => fake.sessions[0]?.closed === true);
  });

  it('is built by the registry with the tools, tool_choice and base URL from config', async () => {
    fake = await startRealtimeFake({ respond: () => ({ calls: [{ name: 'book_table', arguments: '{}' }] }) });
    const agent = await openAIRealtimeAgentProvider.create(
      {
        model: 'gpt-realtime-mini',
        base_url: fake.baseURL,
        tool_choice: 'book_table',
        instructions: 'Be brief.',
      },
      { baseDir: '.', env: { OPENAI_API_KEY: REALTIME_FAKE_KEY }, tools, concurrency: 1 },
    );
    expect(agent.id).toBe('openai-realtime:gpt-realtime-mini');
    // The config path has no socket options: an untrusted certificate stops the suite at once, with the fix.
    const error = (await agent.run(second16k).catch((e: unknown) => e)) as FatalProviderError;
    expect(error).toBeInstanceOf(FatalProviderError);
    expect(error.message).toMatch(/self[- ]signed certificate/i);
    expect(error.hint).toMatch(/NODE_EXTRA_CA_CERTS/);
    expect(fake.handshakes).toBe(0);
  });
});

describe('OpenAIRealtimeAgent in a batch: sessions opened ahead', () => {
  const getMenu = () => ({ calls: [{ name: 'get_menu', arguments: '{}' }] });
  /** `runs` runs of one prompt, one at a time unless `concurrency` says otherwise. */
  function batch(
    agent: OpenAIRealtimeAgent,
    runs: number,
    extra: { concurrency?: number; signal?: AbortSignal } = {},
  ) {
    return runConcurrent({
      prompts: ['what is on the menu'],
      runs,
      maxConcurrency: extra.concurrency ?? 1,
      synthesizer: { id: 'tone', synthesize: async () => second16k },
      agent,
      evaluator: new ToolCallEvaluator(),
      expect: [{ name: 'get_menu' }],
      ...(extra.signal ? { signal: extra.signal } : {}),
    });
  }

  it("opens the next run's session while a run waits for the model, one session per run and none left over", async () => {
    // The session of run 3 opens halfway through run 2's wait: 200 ms before its answer.
    const { fake, agent } = await setUp({ latencyMs: 400, respond: getMenu });
    const result = await batch(agent, 3);
    expect(result.summary.passed).toBe(3);
    // Session n+1 was open before session n had its answer; no session was opened for a fourth run.
    const [first, second, third] = fake.sessions;
    expect(second?.openedAt).toBeLessThan(first?.answeredAt ?? 0);
    expect(third?.openedAt).toBeLessThan(second?.answeredAt ?? 0);
    expect(fake.sessions).toHaveLength(3);
    // Each session served one run from its own session.update on, and was closed.
    for (const session of fake.sessions) {
      expect(session.problems).toEqual([]);
      expect(session.events.filter((type) => type === 'response.create')).toHaveLength(1);
    }
    await waitFor(() => fake.sessions.every((session) => session.closed));
  });

  it('opens each session when its run starts with preconnect: false', async () => {
    const { fake, agent } = await setUp({ latencyMs: 100, respond: getMenu }, { preconnect: false });
    expect((await batch(agent, 3)).summary.passed).toBe(3);
    const [first, second, third] = fake.sessions;
    expect(second?.openedAt).toBeGreaterThan(first?.answeredAt ?? Infinity);
    expect(third?.openedAt).toBeGreaterThan(second?.answeredAt ?? Infinity);
  });

  it('drops a session opened ahead whose handshake is refused, counts the throttle, and the run opens its own', async () => {
    const stats = createProviderStats();
    const { fake, agent } = await setUp(
      {
        latencyMs: 200,
        // Handshake 1 is the session opened ahead for the second run, while the first one waits.
        handshake: (index) =>
          index === 1 ? { status: 429, headers: { 'retry-after-ms': '20' }, body: {} } : undefined,
        respond: getMenu,
      },
      { stats },
    );
    const result = await batch(agent, 3);
    expect(result.summary.passed).toBe(3);
    expect(fake.handshakes).toBe(4);
    expect(fake.sessions).toHaveLength(3);
    // The refused session was no run's attempt: no run was retried, but the request and throttle count.
    expect(stats).toMatchObject({ requests: 4, retries: 0, throttles: 1 });
  });

  it('closes the sessions opened ahead when the batch is cancelled', async () => {
    const { fake, agent } = await setUp({ latencyMs: 1000, respond: getMenu });
    const controller = new AbortController();
    const running = batch(agent, 20, { concurrency: 4, signal: controller.signal });
    // The first runs open the sessions of the next ones at once (no answer time known yet).
    await waitFor(() => fake.sessions.length === 8);
    controller.abort(new Error('cancelled by the test'));
    const result = await running;
    expect(result.cancelled).toBe(true);
    // Four runs in flight and four sessions opened ahead: every one of them closed.
    expect(fake.sessions).toHaveLength(8);
    await waitFor(() => fake.sessions.every((session) => session.closed));
  });
});

describe('OpenAIRealtimeAgent conversations: one session, context kept by the server', () => {
  let turns: Audio[];
  beforeAll(async () => {
    turns = await speakTurns('kal16');
  });
  const samplesAt24k = (audio: Audio) => resample(audio, 24000).pcm.length;

  it('plays three turns on one session: each turn appends, commits and asks once; calls answered; a reply per turn', async () => {
    // What the server's conversation held when it answered each response.
    const seen: ConversationItem[][] = [];
    const { fake, agent } = await setUp({
      respond: (session, response) => {
        seen.push(structuredClone(session.items));
        if (session.commits === 1) return { transcript: 'For how many people?' };
        if (session.commits === 2) return { text: 'What time would you like?' };
        return response === 2
          ? { calls: [{ name: 'book_table', arguments: '{"party_size":2,"time":"19:00"}' }] }
          : { transcript: 'Booked, your reference is R-17.' };
      },
    });
    const conversation = await agent.converse();
    const first = await conversation.turn(turns[0]!, { respond });
    const second = await conversation.turn(turns[1]!, { respond });
    const third = await conversation.turn(turns[2]!, { respond });
    await conversation.close();
    await conversation.close();

    expect([first.text, second.text, third.text]).toEqual([
      'For how many people?',
      'What time would you like?',
      'Booked, your reference is R-17.',
    ]);
    expect(first.toolCalls).toEqual([]);
    expect(first.replyAudioOnly).toBeUndefined();
    const booking = { name: 'book_table', arguments: { party_size: 2, time: '19:00' } };
    expect(third.toolCalls).toEqual([booking]);
    expect(third.toolResults).toEqual([{ call: booking, outcome: { result: BOOKED } }]);
    expect(third.usage?.turns).toBe(2);
    // Each turn's usage and cost are its own (the fake bills the whole conversation's audio per response).
    expect(first.usage?.estimated_cost_usd).toBeGreaterThan(0);
    expect(third.usage?.input_text_tokens).toBe(120);

    expect(fake.sessions).toHaveLength(1);
    const [session] = fake.sessions;
    expect(session?.problems).toEqual([]);
    const [a, b, c] = turns.map(samplesAt24k);
    // The second turn was answered with the first one's audio and reply in the conversation.
    expect(seen[1]).toEqual([
      { type: 'input_audio', samples: a },
      { type: 'message', transcript: 'For how many people?', audio: true },
      { type: 'input_audio', samples: b },
    ]);
    expect(session?.items).toEqual([
      { type: 'input_audio', samples: a },
      { type: 'message', transcript: 'For how many people?', audio: true },
      { type: 'input_audio', samples: b },
      { type: 'message', text: 'What time would you like?' },
      { type: 'input_audio', samples: c },
      {
        type: 'function_call',
        call_id: 'call_resp_0_2_0',
        name: 'book_table',
        arguments: expect.any(String),
      },
      { type: 'function_call_output', call_id: 'call_resp_0_2_0', output: JSON.stringify(BOOKED) },
      { type: 'message', transcript: 'Booked, your reference is R-17.', audio: true },
    ]);
    const creates = session?.events.filter((type) => type === 'response.create');
    expect(creates).toHaveLength(4);
    expect(session?.events.filter((type) => type === 'session.update')).toHaveLength(1);
    await waitFor(() => session?.closed === true);
  });

  it('tells the model that no result is mocked when a turn has no responder, and flags a reply in audio only', async () => {
    const { fake, agent } = await setUp({
      respond: (session, response) =>
        response === 0 ? { calls: [{ name: 'get_menu', arguments: '{}' }] } : { audioOnly: true },
    });
    const conversation = await agent.converse();
    const response = await conversation.turn(turns[0]!);
    await conversation.close();
    expect(response.toolResults).toEqual([
      {
        call: { name: 'get_menu', arguments: {} },
        outcome: { missing: "no result is mocked for get_menu: add it to the scenario's tool_results" },
      },
    ]);
    expect(response.replyAudioOnly).toBe(true);
    expect(response.text).toBeUndefined();
    expect(fake.sessions[0]?.toolOutputs[0]?.output).toMatch(/no result is mocked for get_menu/);
  });

  it('rejects the turn whose session dropped, naming it, rejects later turns at once and opens no new session', async () => {
    const stats = createProviderStats();
    const { fake, agent } = await setUp(
      { respond: (session) => (session.commits === 2 ? { drop: true } : { text: 'For how many people?' }) },
      { stats },
    );
    const conversation = await agent.converse();
    expect((await conversation.turn(turns[0]!, { respond })).text).toBe('For how many people?');
    const dropped = (await conversation.turn(turns[1]!, { respond }).catch((e: unknown) => e)) as Error;
    expect(dropped).toBeInstanceOf(AgentError);
    expect(dropped.message).toMatch(
      /^the Realtime session ended in turn 2: the Realtime socket closed unexpectedly \(code 1006/,
    );
    const later = (await conversation.turn(turns[2]!, { respond }).catch((e: unknown) => e)) as Error;
    expect(later).toBeInstanceOf(AgentError);
    expect(later.message).toMatch(/^the Realtime session ended in turn 2: .*; turn 3 was not played$/);
    await conversation.close();
    expect(fake.sessions).toHaveLength(1);
    expect(stats).toMatchObject({ requests: 1, retries: 0 });
  });

  it('says so at the next turn when the session dropped between turns', async () => {
    const { fake, agent } = await setUp({ respond: () => ({ text: 'Yes?' }) });
    const conversation = await agent.converse();
    await conversation.turn(turns[0]!, { respond });
    fake.sessions[0]?.drop();
    // The client sees the drop as a closed socket; wait for the fake to see it too.
    await waitFor(() => fake.sessions[0]?.closed === true);
    await expect(conversation.turn(turns[1]!, { respond })).rejects.toThrow(
      /^the Realtime session ended after turn 1: the Realtime socket closed unexpectedly .*; turn 2 was not played$/,
    );
    await conversation.close();
  });

  it('closes the session when a turn is cancelled, and rejects the later turns', async () => {
    const { fake, agent } = await setUp({
      respond: (session) => (session.commits === 2 ? { hang: true } : { text: 'For how many people?' }),
    });
    const conversation = await agent.converse();
    await conversation.turn(turns[0]!, { respond });
    const controller = new AbortController();
    const reason = new Error('cancelled by the test');
    const second = conversation.turn(turns[1]!, { respond, signal: controller.signal });
    await waitFor(() => fake.sessions[0]?.events.filter((type) => type === 'response.create').length === 2);
    controller.abort(reason);
    await expect(second).rejects.toBe(reason);
    await waitFor(() => fake.sessions[0]?.closed === true);
    await expect(conversation.turn(turns[2]!, { respond })).rejects.toThrow(/turn 3 was not played/);
    await conversation.close();
  });

  it('fails a turn that times out, and the conversation with it', async () => {
    const { fake, agent } = await setUp({ respond: () => ({ hang: true }) }, { requestTimeoutMs: 300 });
    const conversation = await agent.converse();
    await expect(conversation.turn(turns[0]!, { respond })).rejects.toThrow(
      'the Realtime session ended in turn 1: no complete answer within 0.3 s',
    );
    await waitFor(() => fake.sessions[0]?.closed === true);
    expect(fake.sessions).toHaveLength(1);
  });

  it('ends the turn with an error when the model keeps calling past max_turns', async () => {
    const { agent } = await setUp(
      { respond: () => ({ calls: [{ name: 'get_menu', arguments: '{}' }] }) },
      { maxTurns: 1 },
    );
    const conversation = await agent.converse();
    await expect(conversation.turn(turns[0]!, { respond })).rejects.toThrow(
      /ended in turn 1: the model kept calling tools: more than 1 follow-up responses in one turn/,
    );
    await conversation.close();
  });

  it('retries the opening of the session like a run, and stops at once on a refused key', async () => {
    const stats = createProviderStats();
    const { fake, agent } = await setUp(
      {
        handshake: (index) =>
          index === 0 ? { status: 503, body: { error: { message: 'busy' } } } : undefined,
        respond: () => ({ text: 'Hello.' }),
      },
      { stats },
    );
    const conversation = await agent.converse();
    expect((await conversation.turn(turns[0]!)).text).toBe('Hello.');
    await conversation.close();
    expect(fake.handshakes).toBe(2);
    expect(stats).toMatchObject({ requests: 2, retries: 1 });

    const refused = new OpenAIRealtimeAgent({
      apiKey: 'sk-not-the-right-key-000000',
      baseURL: fake.baseURL,
      socketOptions: { ca: fake.ca },
      retry: fast,
    });
    agents.push(refused);
    await expect(refused.converse()).rejects.toBeInstanceOf(FatalProviderError);
  });
});
