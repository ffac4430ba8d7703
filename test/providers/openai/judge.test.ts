import { afterEach, describe, expect, it } from 'vitest';
import { FatalProviderError, RussoError } from '../../../src/core/errors.js';
import { createProviderStats } from '../../../src/core/provider.js';
import type { JudgeRequest } from '../../../src/core/types.js';
import { OpenAIJudge, openAIJudgeProvider } from '../../../src/providers/openai/judge.js';
import {
  FAKE_KEY,
  apiError,
  rateLimited,
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

const fast = { baseDelayMs: 5, maxDelayMs: 20 };
const request: JudgeRequest = {
  criterion: 'asks for the party size',
  reply: 'For how many people?',
  said: "I'd like to book a table",
  toolResults: [
    { call: { name: 'check_tables', arguments: { day: 'today' } }, outcome: { result: { free: 3 } } },
  ],
};

/** A chat completion whose message is `content`, as the API answers a structured-output request. */
function completion(req: FakeRequest, content: string | null, refusal: string | null = null): FakeAction {
  return {
    type: 'json',
    body: {
      id: `chatcmpl-${req.index}`,
      object: 'chat.completion',
      created: 0,
      model: req.body.model,
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content, refusal } }],
      usage: {
        prompt_tokens: 1000,
        completion_tokens: 100,
        total_tokens: 1100,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    },
  };
}

/** A fake judge model: it passes replies that hold a question mark. */
function verdict(req: FakeRequest): FakeAction {
  if (req.path !== '/v1/chat/completions') return apiError(404, 'invalid_request_error', 'not found');
  const messages = req.body.messages as Array<{ role: string; content: string }>;
  const turn = JSON.parse(messages[1]?.content ?? '{}') as { agent_reply: string };
  const pass = turn.agent_reply.includes('?');
  return completion(req, JSON.stringify({ pass, reason: pass ? 'it asks a question' : 'it asks nothing' }));
}

describe('OpenAIJudge', () => {
  it('asks for a structured verdict with the turn as JSON, and returns it', async () => {
    fake = await startOpenAIHttpFake(verdict);
    const judge = new OpenAIJudge({ apiKey: FAKE_KEY, baseURL: fake.baseURL });
    expect(judge.id).toBe('openai:gpt-4o-mini');
    await expect(judge.judge(request)).resolves.toEqual({ pass: true, reason: 'it asks a question' });
    await expect(judge.judge({ ...request, reply: 'Booked.' })).resolves.toEqual({
      pass: false,
      reason: 'it asks nothing',
    });
    const [first] = fake.requests;
    expect(first?.body).toMatchObject({
      model: 'gpt-4o-mini',
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'verdict',
          strict: true,
          schema: { required: ['pass', 'reason'], additionalProperties: false },
        },
      },
    });
    const messages = first?.body.messages as Array<{ role: string; content: string }>;
    expect(messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(JSON.parse(messages[1]?.content ?? '')).toEqual({
      caller_said: "I'd like to book a table",
      tool_calls: [{ name: 'check_tables', arguments: { day: 'today' }, result: { free: 3 } }],
      agent_reply: 'For how many people?',
      criterion: 'asks for the party size',
    });
  });

  it('retries a throttled request through the retry layer, and counts the requests and the cost', async () => {
    let calls = 0;
    fake = await startOpenAIHttpFake((req) => (calls++ === 0 ? rateLimited(10) : verdict(req)));
    const stats = createProviderStats();
    const judge = new OpenAIJudge({ apiKey: FAKE_KEY, baseURL: fake.baseURL, stats, retry: fast });
    await expect(judge.judge(request)).resolves.toMatchObject({ pass: true });
    expect(stats).toMatchObject({ requests: 2, retries: 1, throttles: 1 });
    // gpt-4o-mini list prices: 1000 input tokens at $0.15/M, 100 output tokens at $0.60/M.
    expect(stats.estimatedCostUsd).toBeCloseTo((1000 * 0.15 + 100 * 0.6) / 1e6, 12);
  });

  it('is an error, never a verdict, when the model answers something else', async () => {
    const answers = ['not json', JSON.stringify({ pass: 'yes' }), null];
    fake = await startOpenAIHttpFake((req) =>
      req.index < answers.length
        ? completion(req, answers[req.index] ?? null)
        : completion(req, null, 'I cannot'),
    );
    const judge = new OpenAIJudge({ apiKey: FAKE_KEY, baseURL: fake.baseURL });
    await expect(judge.judge(request)).rejects.toThrow(/answered no verdict: "not json"/);
    await expect(judge.judge(request)).rejects.toThrow(/answered \{"pass":"yes"\}, not \{pass, reason\}/);
    await expect(judge.judge(request)).rejects.toThrow(RussoError);
    await expect(judge.judge(request)).rejects.toThrow('the OpenAI judge refused: I cannot');
  });

  it('stops the suite on a refused key, without the key in the message', async () => {
    fake = await startOpenAIHttpFake(verdict);
    const judge = new OpenAIJudge({ apiKey: 'sk-wrong-key-000000000000', baseURL: fake.baseURL });
    const error = await judge.judge(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FatalProviderError);
    expect(String((error as Error).message)).not.toContain('sk-wrong-key-000000000000');
  });

  it('refuses to start without a key, naming the variable', () => {
    expect(() => new OpenAIJudge({ apiKey: '' })).toThrow(
      /OpenAI judge needs an API key and OPENAI_API_KEY is not set/,
    );
  });

  it('is built from the config: model, base URL and retry keys, the key from the env', async () => {
    fake = await startOpenAIHttpFake(verdict);
    const judge = openAIJudgeProvider.create(
      { model: 'gpt-4.1-mini', base_url: fake.baseURL, max_attempts: 2 },
      { baseDir: '.', env: { OPENAI_API_KEY: FAKE_KEY }, tools: [], concurrency: 1 },
    );
    expect(judge.id).toBe('openai:gpt-4.1-mini');
    await expect(judge.judge(request)).resolves.toMatchObject({ pass: true });
    expect(fake.requests[0]?.body.model).toBe('gpt-4.1-mini');
  });
});
