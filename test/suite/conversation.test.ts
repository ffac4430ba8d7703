import { afterEach, describe, expect, it } from 'vitest';
import { FunctionAgent, type TurnFunction } from '../../src/agents/function.js';
import { AgentError } from '../../src/core/errors.js';
import type { ToolCall } from '../../src/core/types.js';
import { fromJsonReport, parseReport, renderJson } from '../../src/report/json.js';
import { mergeReports } from '../../src/report/merge.js';
import { ScenarioError } from '../../src/scenarios/errors.js';
import { compare } from '../../src/suite/compare.js';
import { expectationHash } from '../../src/suite/expectation.js';
import { loadSuite } from '../../src/suite/load.js';
import { planSuite } from '../../src/suite/plan.js';
import { missingSecrets } from '../../src/suite/providers.js';
import { runSuite } from '../../src/suite/run.js';
import type { SuiteResult } from '../../src/suite/types.js';
import { CachedSynthesizer } from '../../src/synthesize/cached.js';
import { FliteSynthesizer } from '../../src/synthesize/flite.js';
import {
  FAKE_KEY,
  startOpenAIHttpFake,
  type FakeRequest,
  type OpenAIHttpFake,
} from '../fakes/openai-http.js';
import { project } from '../fixtures/project.js';

// Real speech from Flite. The agents below cannot understand it, so they follow the dialog by the
// turn number; what they hear is checked to be a real clip of each line.
const voices = ['kal16', 'slt'].map((voice) => ({
  voice,
  synthesizer: new CachedSynthesizer(new FliteSynthesizer({ voice }), { dir: false }),
}));

const CONVERSATION = `name: book over three turns
turns:
  - say: I'd like to book a table
    expect: []
    reply: { contains_any: [how many, people] }
  - say: Two people please
    reply: { regex: 'what time', ignore_case: true }
  - say: At seven tonight
    expect:
      - name: book_table
        arguments: { party_size: 2, time: '19:00' }
    reply: { contains: R-17 }
tool_results:
  book_table:
    - when: { party_size: { one_of: [1, 2, 3, 4] } }
      result: { confirmed: true, reference: R-17 }
    - error: no table free
runs: 2
`;
const PROMPTS = `name: hours
prompts: [When are you open]
expect: [{ name: get_opening_hours }]
runs: 2
`;

/** Asks for the party size, then the time, then books `partySize` and reads back what russo answered. */
function booking(partySize: number): TurnFunction {
  return (audio, options, conversation) => {
    // Each line is a second or more of real speech.
    if (audio.pcm.length < audio.sampleRate) throw new Error('heard no speech');
    if (conversation.turn === 0) return { toolCalls: [], text: 'For how many people?' };
    if (conversation.turn === 1) return { toolCalls: [], text: 'At what time?' };
    const call: ToolCall = { name: 'book_table', arguments: { party_size: partySize, time: '19:00' } };
    const exchange = { call, outcome: options.respond?.(call) ?? { missing: 'no responder' } };
    const outcome = exchange.outcome;
    const text =
      'result' in outcome
        ? `Booked, reference ${(outcome.result as { reference: string }).reference}.`
        : `Sorry: ${JSON.stringify(outcome)}`;
    return { toolCalls: [call], toolResults: [exchange], text };
  };
}

const hours = () => [{ name: 'get_opening_hours', arguments: {} }];

describe('runSuite with conversations', () => {
  it('plays a turns scenario as one conversation per voice and run, beside a prompts scenario', async () => {
    const suite = await loadSuite(undefined, {
      cwd: project({ 'scenarios/a.yaml': CONVERSATION, 'scenarios/b.yaml': PROMPTS }),
    });
    let singles = 0;
    const agent = new FunctionAgent({
      run: () => {
        singles++;
        return hours();
      },
      turn: booking(2),
    });
    const result = await runSuite(suite, { agent, voices });
    const [conversation, prompts] = result.scenarios;
    expect(conversation?.runs.map((run) => run.id)).toEqual([
      'book over three turns/p0/kal16/default/r0',
      'book over three turns/p0/kal16/default/r1',
      'book over three turns/p0/slt/default/r0',
      'book over three turns/p0/slt/default/r1',
    ]);
    // A one-turn run of a prompts scenario keeps its shape: no turns, played with `run`.
    expect(prompts?.runs.map((run) => [run.id, run.turns])).toEqual([
      ['hours/p0/kal16/default/r0', undefined],
      ['hours/p0/kal16/default/r1', undefined],
      ['hours/p0/slt/default/r0', undefined],
      ['hours/p0/slt/default/r1', undefined],
    ]);
    expect(singles).toBe(4);
    expect(result.summary).toMatchObject({ total: 8, passed: 8 });
    const run = conversation?.runs[0];
    expect(run?.prompt).toBe("I'd like to book a table");
    expect(run?.turns?.map((turn) => [turn.status, turn.response?.text])).toEqual([
      ['passed', 'For how many people?'],
      ['passed', 'At what time?'],
      ['passed', 'Booked, reference R-17.'],
    ]);
    // The rule whose `when` matched answered, and the run keeps what it answered.
    expect(run?.response?.toolResults).toEqual([
      {
        call: { name: 'book_table', arguments: { party_size: 2, time: '19:00' } },
        outcome: { result: { confirmed: true, reference: 'R-17' } },
      },
    ]);
    // Each (line, voice) is spoken once; runs after the first reuse the audio.
    expect(result.providers?.synthesis).toEqual({ requests: 8, cacheHits: 8 });
  });

  it('fails the turn the fallback rule answers, at that turn, and goes on', async () => {
    const suite = await loadSuite(undefined, { cwd: project({ 'scenarios/a.yaml': CONVERSATION }) });
    const result = await runSuite(suite, { agent: new FunctionAgent({ turn: booking(12) }), voices });
    const run = result.scenarios[0]?.runs[0];
    expect(run?.status).toBe('failed');
    expect(run?.evalResult?.failures.map((failure) => [failure.turn, failure.kind, failure.message])).toEqual(
      [
        [2, 'wrong_arguments', 'turn 3: book_table: party_size expected 2, got 12'],
        [2, 'reply', 'turn 3: the reply does not contain "R-17": "Sorry: {\\"error\\":\\"no table free\\"}"'],
      ],
    );
    expect(run?.response?.toolResults?.[0]?.outcome).toEqual({ error: 'no table free' });
    // The failing turn's place in the file, for annotations: its say, its expected call, its reply.
    const turn = result.scenarios[0]?.scenario.turns?.[2];
    expect([turn?.location.line, turn?.expect?.[0]?.location.line, turn?.reply?.location.line]).toEqual([
      8, 10, 12,
    ]);
  });

  it('errors the run whose session dies in turn 2 with the turn number; the other runs go on', async () => {
    const suite = await loadSuite(undefined, { cwd: project({ 'scenarios/a.yaml': CONVERSATION }) });
    let conversations = 0;
    const agent = new FunctionAgent({
      turn(audio, options, conversation) {
        if (conversation.turn === 0) conversations++;
        if (conversation.id === 2 && conversation.turn === 1)
          throw new AgentError('the session ended: exit code 1');
        return booking(2)(audio, options, conversation);
      },
    });
    const result = await runSuite(suite, { agent, voices, overrides: { maxConcurrency: 1 } });
    expect(conversations).toBe(4);
    expect(result.scenarios[0]?.runs.map((run) => run.status)).toEqual([
      'passed',
      'error',
      'passed',
      'passed',
    ]);
    expect(result.scenarios[0]?.runs[1]?.error).toBe('turn 2: agent: the session ended: exit code 1');
    expect(result.errors).toEqual([{ message: 'turn 2: agent: the session ended: exit code 1', count: 1 }]);
  });

  it("refuses before anything runs when the agent cannot converse, at the scenario's line", async () => {
    const suite = await loadSuite(undefined, {
      cwd: project({ 'scenarios/a.yaml': CONVERSATION, 'scenarios/b.yaml': PROMPTS }),
    });
    let heard = 0;
    let closed = false;
    const agent = new FunctionAgent(() => {
      heard++;
      return hours();
    });
    Object.assign(agent, { close: async () => void (closed = true) });
    const error = await runSuite(suite, { agent, voices }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems).toEqual([
      {
        file: 'scenarios/a.yaml',
        line: 1,
        column: 1,
        message:
          '"book over three turns" is a conversation (turns), but the agent function:anonymous cannot hold one',
        hint: expect.stringContaining('docs/agents.md'),
      },
    ]);
    expect(heard).toBe(0);
    expect(closed).toBe(true);
  });

  it('counts a conversation as one run against limits.max_runs, whatever its turns', async () => {
    const cwd = project({
      'russo.config.yaml':
        'synthesizer: { provider: flite, voices: [kal16, slt] }\nlimits: { max_runs: 3 }\n',
      'scenarios/a.yaml': CONVERSATION,
    });
    const suite = await loadSuite(undefined, { cwd });
    expect(() => planSuite(suite)).toThrow(
      /the suite would make 4 runs: "book over three turns" makes 4 of them \(1 conversation of 3 turns × 2 voices × 2\)/,
    );
    expect(planSuite(suite, { runs: 1 }).totalRuns).toBe(2);
  });
});

describe('the JSON report of conversations', () => {
  let result: SuiteResult;
  const load = () =>
    loadSuite(undefined, { cwd: project({ 'scenarios/a.yaml': CONVERSATION, 'scenarios/b.yaml': PROMPTS }) });

  it('carries the turns asked and played, every tool result, and reads back the same', async () => {
    const suite = await load();
    result = await runSuite(suite, {
      agent: new FunctionAgent({ run: hours, turn: booking(12) }),
      voices,
    });
    const text = renderJson(result);
    const report = parseReport(text);
    const [conversation, prompts] = report.scenarios;
    expect(
      conversation?.turns?.map((turn) => [turn.say, turn.location.line, turn.expect?.length ?? null]),
    ).toEqual([
      ["I'd like to book a table", 3, 0],
      ['Two people please', 6, null],
      ['At seven tonight', 8, 1],
    ]);
    expect(conversation?.turns?.[2]?.reply).toEqual({
      contains: ['R-17'],
      location: { file: 'scenarios/a.yaml', line: 12, column: 12 },
    });
    expect(conversation?.toolResults).toEqual(suite.scenarios[0]?.toolResults);
    expect(prompts?.turns).toBeNull();
    expect(prompts?.runs[0]?.turns).toBeNull();
    const run = conversation?.runs[0];
    expect(
      run?.turns?.map((turn) => [turn.index, turn.say, turn.status, turn.text, turn.toolResults.length]),
    ).toEqual([
      [0, "I'd like to book a table", 'passed', 'For how many people?', 0],
      [1, 'Two people please', 'passed', 'At what time?', 0],
      [2, 'At seven tonight', 'failed', 'Sorry: {"error":"no table free"}', 1],
    ]);
    expect(run?.toolResults).toEqual([
      {
        call: { name: 'book_table', arguments: { party_size: 12, time: '19:00' } },
        outcome: { error: 'no table free' },
      },
    ]);
    expect(run?.evalResult?.failures[0]).toMatchObject({ turn: 2, kind: 'wrong_arguments' });
    // Read back, it renders the same report, with the same expectation hash as the loaded scenario.
    const back = fromJsonReport(report);
    expect(renderJson(back)).toBe(text);
    expect(back.scenarios[0]?.expectationHash).toBe(expectationHash(suite.scenarios[0]!));
    expect(expectationHash(back.scenarios[0]!.scenario)).toBe(expectationHash(suite.scenarios[0]!));
  });

  it('merges the shards of a conversation suite and compares it with a baseline', async () => {
    const split = (voice: string): SuiteResult => ({
      ...result,
      voices: [voice],
      scenarios: result.scenarios.map((scenario) => ({
        ...scenario,
        runs: scenario.runs.filter((run) => run.voice === voice),
      })),
    });
    const merged = mergeReports([
      parseReport(renderJson(split('kal16'))),
      parseReport(renderJson(split('slt'))),
    ]);
    expect(merged.scenarios[0]?.runs.map((run) => run.id)).toEqual(
      result.scenarios[0]?.runs.map((run) => run.id),
    );
    expect(merged.scenarios[0]?.runs[3]?.turns).toEqual(
      parseReport(renderJson(result)).scenarios[0]?.runs[3]?.turns,
    );
    const comparison = compare(fromJsonReport(merged), result);
    expect(comparison.scenarios.map((scenario) => scenario.status)).toEqual(['compared', 'compared']);
  });

  it('hashes the turns and the tool results: changing either changes the hash', async () => {
    const [scenario] = (await load()).scenarios;
    const hash = expectationHash(scenario!);
    const turns = scenario!.turns!;
    expect(expectationHash({ ...scenario!, toolResults: { book_table: { reference: 'R-1' } } })).not.toBe(
      hash,
    );
    expect(expectationHash({ ...scenario!, turns: [turns[0]!, turns[1]!] })).not.toBe(hash);
    expect(
      expectationHash({
        ...scenario!,
        turns: turns.map((turn, i) => (i === 1 ? { ...turn, expect: [] } : turn)),
      }),
    ).not.toBe(hash);
    // Where a turn is written is not what it asks.
    expect(
      expectationHash({
        ...scenario!,
        turns: turns.map((turn) => ({ ...turn, location: { file: 'x.yaml', line: 99, column: 1 } })),
      }),
    ).toBe(hash);
  });
});

describe('the judge in a suite', () => {
  let fake: OpenAIHttpFake | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  const JUDGED = `name: judged
turns:
  - say: I'd like to book a table
    reply: { judge: asks for the party size }
  - say: Two people please
    reply: { judge: asks for the party size }
runs: 1
`;

  /** The fake judge passes a reply that says "how many". */
  function verdict(request: FakeRequest) {
    const messages = request.body.messages as Array<{ content: string }>;
    const turn = JSON.parse(messages[1]?.content ?? '{}') as { agent_reply: string; caller_said: string };
    const pass = turn.agent_reply.includes('how many');
    return {
      type: 'json' as const,
      body: {
        id: 'x',
        object: 'chat.completion',
        created: 0,
        model: request.body.model,
        choices: [
          {
            index: 0,
            finish_reason: 'stop',
            message: {
              role: 'assistant',
              content: JSON.stringify({
                pass,
                reason: pass ? 'it asks' : `"${turn.caller_said}" got no question`,
              }),
            },
          },
        ],
        usage: { prompt_tokens: 200, completion_tokens: 20, total_tokens: 220 },
      },
    };
  }

  it('grades judge checks through the configured judge, counted in requests and cost', async () => {
    fake = await startOpenAIHttpFake(verdict);
    const cwd = project({
      'russo.config.yaml': `judge: { provider: openai, base_url: '${fake.baseURL}' }\n`,
      'scenarios/j.yaml': JUDGED,
    });
    const suite = await loadSuite(undefined, { cwd });
    expect(missingSecrets(suite, {})).toEqual(['OPENAI_API_KEY']);
    expect(missingSecrets(suite, { OPENAI_API_KEY: FAKE_KEY })).toEqual([]);
    const result = await runSuite(suite, {
      agent: new FunctionAgent({ turn: booking(2) }),
      voices: voices.slice(0, 1),
      env: { OPENAI_API_KEY: FAKE_KEY },
    });
    const run = result.scenarios[0]?.runs[0];
    expect(run?.turns?.map((turn) => turn.status)).toEqual(['passed', 'failed']);
    expect(run?.evalResult?.failures.map((failure) => failure.message)).toEqual([
      'turn 2: the reply does not meet "asks for the party size" (judge: "Two people please" got no question): "At what time?"',
    ]);
    expect(fake.requests).toHaveLength(2);
    expect(result.providers).toMatchObject({ requests: 2, retries: 0 });
    expect(result.providers?.estimatedCostUsd).toBeCloseTo(2 * ((200 * 0.15 + 20 * 0.6) / 1e6), 12);
  });

  it('needs no key when no scenario has a judge check, and builds no judge', async () => {
    const cwd = project({
      'russo.config.yaml': 'judge: { provider: openai }\n',
      'scenarios/a.yaml': CONVERSATION,
    });
    const suite = await loadSuite(undefined, { cwd });
    expect(missingSecrets(suite, {})).toEqual([]);
    const result = await runSuite(suite, {
      agent: new FunctionAgent({ turn: booking(2) }),
      voices: voices.slice(0, 1),
      env: {},
      overrides: { runs: 1 },
    });
    expect(result.summary.passed).toBe(1);
  });

  it('stops the suite when the judge has no key, as any provider without one', async () => {
    const cwd = project({ 'russo.config.yaml': 'judge: { provider: openai }\n', 'scenarios/j.yaml': JUDGED });
    const suite = await loadSuite(undefined, { cwd });
    const error = await runSuite(suite, {
      agent: new FunctionAgent({ turn: booking(2) }),
      voices,
      env: {},
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems[0]).toMatchObject({
      file: 'russo.config.yaml',
      line: 1,
      message: expect.stringContaining('OpenAI judge needs an API key and OPENAI_API_KEY is not set'),
    });
  });
});
