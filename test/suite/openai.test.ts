import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIAudioChatAgent } from '../../src/agents/openai-chat.js';
import { decodeWav } from '../../src/audio/wav.js';
import { AdaptiveLimit } from '../../src/core/adaptive-limit.js';
import { runConcurrent } from '../../src/core/pipeline.js';
import { createProviderStats } from '../../src/core/provider.js';
import { ToolCallEvaluator } from '../../src/evaluate/index.js';
import { loadSuite } from '../../src/suite/load.js';
import { runSuite } from '../../src/suite/run.js';
import { OpenAITTSSynthesizer } from '../../src/synthesize/openai.js';
import {
  FAKE_KEY,
  chatAudio,
  chatProblem,
  chatReply,
  quotaExceeded,
  rateLimited,
  speech,
  startOpenAIHttpFake,
  type FakeRequest,
  type OpenAIHttpFake,
} from '../fakes/openai-http.js';
import { project } from '../fixtures/project.js';

let fake: OpenAIHttpFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const PROMPTS = ['menu please', 'what is on the menu', 'show me the menu today', 'the menu'];
const tools = [{ name: 'heard', parameters: { type: 'object', properties: { words: { type: 'integer' } } } }];

/** The fake model "understands" the audio by its length: the fake TTS speaks 0.1 s per word. */
function understand(request: FakeRequest) {
  if (chatProblem(request)) return chatReply(request, []);
  const audio = decodeWav(chatAudio(request));
  const words = Math.round(audio.pcm.length / audio.sampleRate / 0.1);
  return chatReply(request, [{ name: 'heard', arguments: JSON.stringify({ words }) }]);
}

function providers(baseURL: string) {
  const stats = createProviderStats();
  const limiter = new AdaptiveLimit({ max: 8 });
  // Every other request of the whole suite is throttled, so one call may draw several 429s in a row
  // (about 1 call in 256 draws 8): 20 attempts keep the runs from giving up by chance.
  const retry = { baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 20 };
  const shared = { apiKey: FAKE_KEY, baseURL, stats, limiter, retry };
  return {
    stats,
    limiter,
    synthesizer: new OpenAITTSSynthesizer({ ...shared, voice: 'alloy' }),
    agent: new OpenAIAudioChatAgent({ ...shared, tools }),
  };
}

describe('a suite against OpenAI that throttles', () => {
  it('accounts for every run when half the requests are throttled', async () => {
    let throttled = 0;
    fake = await startOpenAIHttpFake((request) => {
      if (request.index % 2 === 0) {
        throttled++;
        return rateLimited(5);
      }
      return request.path === '/v1/audio/speech' ? speech(request) : understand(request);
    });
    const { stats, limiter, synthesizer, agent } = providers(fake.baseURL);
    const batch = await runConcurrent({
      prompts: PROMPTS,
      runs: 5,
      maxConcurrency: 8,
      limiter,
      synthesizer,
      agent,
      evaluator: new ToolCallEvaluator({ order: 'any' }),
      expect: [{ name: 'heard' }],
    });
    expect(batch.runs).toHaveLength(PROMPTS.length * 5);
    expect(batch.cancelled).toBe(false);
    expect(batch.summary).toMatchObject({ total: 20, passed: 20, failed: 0, errored: 0 });
    for (const run of batch.runs) {
      const words = run.prompt.split(' ').length;
      expect(run.response?.toolCalls).toEqual([{ name: 'heard', arguments: { words } }]);
    }
    // Every 429 the server sent was counted and retried; every request was counted.
    expect(stats.throttles).toBe(throttled);
    expect(stats.retries).toBe(throttled);
    expect(stats.requests).toBe(fake.requests.length);
    expect(throttled).toBe(fake.requests.length / 2);
    expect(stats.estimatedCostUsd).toBeGreaterThan(0);
  });

  it('counts and slows down for the throttles of providers built from the config', async () => {
    // The first 40 requests are all refused: sustained throttling, which must lower the runs in flight.
    fake = await startOpenAIHttpFake((request) => {
      if (request.index < 40) return rateLimited(5);
      return request.path === '/v1/audio/speech' ? speech(request) : understand(request);
    });
    const providerKeys = `  base_url: ${fake.baseURL}\n  max_attempts: 30\n`;
    const cwd = project({
      'russo.config.yaml':
        `synthesizer:\n  provider: openai\n  voices: [alloy]\n${providerKeys}` +
        `agent:\n  provider: openai-chat\n  tools: tools.json\n${providerKeys}` +
        'max_concurrency: 8\ndefaults:\n  runs: 5\ncache:\n  enabled: false\n',
      'tools.json': JSON.stringify(tools),
      'scenarios/menu.yaml': `name: menu\nprompts: [${PROMPTS.join(', ')}]\nexpect:\n  - name: heard\n`,
    });
    const suite = await loadSuite(undefined, { cwd });
    const result = await runSuite(suite, { env: { OPENAI_API_KEY: FAKE_KEY } });
    expect(result.summary).toMatchObject({ total: 20, passed: 20, errored: 0 });
    expect(result.providers).toMatchObject({
      requests: fake.requests.length,
      retries: 40,
      throttles: 40,
      synthesis: { requests: 4, cacheHits: 16 },
    });
    expect(result.providers?.concurrency.lowest).toBeLessThan(8);
    expect(result.providers?.estimatedCostUsd).toBeGreaterThan(0);
  });

  it('stops the suite on insufficient_quota and keeps every run that finished', async () => {
    fake = await startOpenAIHttpFake((request) => {
      if (request.index >= 12) return quotaExceeded();
      return request.path === '/v1/audio/speech' ? speech(request) : understand(request);
    });
    const { synthesizer, agent } = providers(fake.baseURL);
    const batch = await runConcurrent({
      prompts: PROMPTS,
      runs: 10,
      maxConcurrency: 2,
      synthesizer,
      agent,
      evaluator: new ToolCallEvaluator(),
      expect: [{ name: 'heard' }],
    });
    expect(batch.cancelled).toBe(true);
    expect(batch.stoppedBy).toMatch(/refused: 429 You exceeded your current quota/);
    expect(batch.runs.length).toBeLessThan(40);
    expect(batch.summary.passed).toBeGreaterThanOrEqual(5);
    expect(batch.runs.some((run) => run.fatal)).toBe(true);
    // No request after the suite stopped beyond the runs already in flight.
    expect(fake.requests.length).toBeLessThan(12 + 4);
  });
});
