import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionAgent } from '../src/agents/function.js';
import { MatcherSpecError } from '../src/evaluate/index.js';
import { ScenarioError } from '../src/scenarios/errors.js';
import type { Audio, ToolCall } from '../src/core/types.js';
import {
  ConversationExpectationError,
  expectConversation,
  expectToolCalls,
  ToolCallExpectationError,
} from '../src/vitest.js';

let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'russo-vitest-'));
  await writeFile(
    join(project, 'russo.config.yaml'),
    [
      'synthesizer: { provider: flite, voices: [kal16] }',
      'max_concurrency: 4',
      'defaults: { runs: 2, min_pass_rate: 1 }',
      'cache: { enabled: false }',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

/** An agent whose n-th answer is `answers[n % length]`; it records the audio it heard. */
function scripted(...answers: ToolCall[][]) {
  const heard: Audio[] = [];
  let next = 0;
  const agent = new FunctionAgent((audio) => {
    heard.push(audio);
    return answers[next++ % answers.length] ?? [];
  }, 'scripted');
  return { agent, heard };
}

const booking = (party_size: number): ToolCall => ({
  name: 'book_table',
  arguments: { party_size, time: '19:00' },
});

describe('expectToolCalls', () => {
  it('passes when the pass rate is reached, with the project synthesizer speaking each prompt', async () => {
    const { agent, heard } = scripted([booking(2)], [booking(2)], [booking(3)]);
    const result = await expectToolCalls({
      cwd: project,
      agent,
      prompts: ['Book a table for two at seven', 'A table for 2 at 7pm please'],
      expect: [{ name: 'book_table', arguments: { party_size: 2, time: { regex: '^19:' } } }],
      runs: 3,
      minPassRate: 0.6,
    });
    expect(result.summary).toMatchObject({ total: 6, passed: 4, failed: 2, errored: 0 });
    expect(result.scenario.name).toBe(
      'expectToolCalls > passes when the pass rate is reached, with the project synthesizer speaking each prompt',
    );
    expect(result.scenario.location.file).toBe(join('test', 'vitest.test.ts'));
    expect(heard).toHaveLength(6);
    expect(heard.every((audio) => audio.sampleRate === 16000 && audio.pcm.length > 8000)).toBe(true);
  });

  it('fails under the pass rate with the per-call diff of every failing run', async () => {
    const { agent } = scripted([booking(2)], [booking(3), { name: 'cancel_reservation', arguments: {} }]);
    const error = await expectToolCalls({
      cwd: project,
      agent,
      name: 'book a table',
      prompt: 'Book a table for two at seven',
      expect: [{ name: 'book_table', arguments: { party_size: 2 } }],
      forbid: ['cancel_reservation'],
      runs: 4,
      minPassRate: 0.8,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ToolCallExpectationError);
    const message = (error as Error).message;
    expect(message).toMatch(/^book a table: 50% passed \(2\/4\), needs 80%\n/);
    expect(message).toContain('expected: book_table({party_size: 2}); never cancel_reservation');
    // Only the two failing runs are listed (which run index failed depends on scheduling).
    expect(message.match(/^✗ "Book a table for two at seven" · run \d · kal16$/gm)).toHaveLength(2);
    expect(message.match(/^ {2}forbidden call cancel_reservation\(\{\}\)$/gm)).toHaveLength(2);
    expect(message.match(/^ {2}book_table: party_size expected 2, got 3$/gm)).toHaveLength(2);
    expect(message).toContain('    actual:   book_table({party_size: 3, time: "19:00"})');
    expect((error as ToolCallExpectationError).result.summary).toMatchObject({ passed: 2, failed: 2 });
  });

  it('fails when a run errors, even at a full pass rate of the runs that completed', async () => {
    let calls = 0;
    const agent = new FunctionAgent(() => {
      if (calls++ === 0) throw new Error('agent crashed');
      return [booking(2)];
    });
    const error = await expectToolCalls({
      cwd: project,
      agent,
      prompt: 'Book a table for two at seven',
      expect: [{ name: 'book_table' }],
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ToolCallExpectationError);
    expect((error as Error).message).toMatch(/100% passed \(1\/1\), needs 100%, 1 run errored/);
    expect((error as Error).message).toContain('error: agent: agent crashed');
  });

  it('`expect: []` passes only when the agent calls nothing', async () => {
    await expect(
      expectToolCalls({ cwd: project, agent: scripted([]).agent, prompt: 'Hello there', expect: [] }),
    ).resolves.toMatchObject({ summary: { passed: 2 } });
    await expect(
      expectToolCalls({
        cwd: project,
        agent: scripted([booking(2)]).agent,
        prompt: 'Hello there',
        expect: [],
      }),
    ).rejects.toThrow(/0% passed \(0\/2\)/);
  });

  it('rejects a bad expectation or config before anything runs', async () => {
    const { agent, heard } = scripted([booking(2)]);
    await expect(
      expectToolCalls({
        cwd: project,
        agent,
        prompt: 'Hi',
        expect: [{ name: 'x', arguments: { a: { regex: '(' } } }],
      }),
    ).rejects.toThrow(MatcherSpecError);
    await expect(expectToolCalls({ cwd: project, agent, expect: [] })).rejects.toThrow(
      /needs what the user says/,
    );
    await expect(
      expectToolCalls({ cwd: project, agent, prompt: 'Hi', expect: [], config: 'missing.yaml' }),
    ).rejects.toThrow(ScenarioError);
    await expect(expectToolCalls({ cwd: project, prompt: 'Hi', expect: [] })).rejects.toThrow(
      /no agent is configured/,
    );
    await expect(
      expectToolCalls({ cwd: project, agent, prompt: 'Hi '.repeat(1_000), expect: [] }),
    ).rejects.toThrow(/the prompt is 3,000 characters long, more than limits.max_prompt_chars \(2,000\)/);
    await expect(
      expectToolCalls({ cwd: project, agent, prompt: 'Hi', expect: [], runs: 1e9 }),
    ).rejects.toThrow(/the suite would make 1,000,000,000 runs.*the limit is 100,000 \(limits.max_runs\)/);
    expect(heard).toHaveLength(0);
  });
});

describe('expectToolCalls with a tools file', () => {
  let withTools: string;

  beforeAll(async () => {
    withTools = await mkdtemp(join(tmpdir(), 'russo-vitest-tools-'));
    await writeFile(join(withTools, 'tools.json'), await readFile('tools/restaurant.json', 'utf8'));
    await writeFile(
      join(withTools, 'russo.config.yaml'),
      [
        'agent: { provider: module, module: unused.js, tools: tools.json }',
        'synthesizer: { provider: flite, voices: [kal16] }',
        'defaults: { runs: 1, min_pass_rate: 1 }',
        'cache: { enabled: false }',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await rm(withTools, { recursive: true, force: true });
  });

  const options = () => ({
    cwd: withTools,
    agent: scripted([{ name: 'book_table', arguments: { party_size: 2, time: '7pm' } }]).agent,
    prompt: 'Book a table for two at seven',
    expect: [{ name: 'book_table', arguments: { party_size: 2 } }],
  });

  it('fails a call that breaks its schema, with the schema error in the message', async () => {
    const error = await expectToolCalls(options()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ToolCallExpectationError);
    expect((error as Error).message).toContain(
      '  invalid arguments for book_table: time must match pattern "^([01][0-9]|2[0-3]):[0-5][0-9]$", got "7pm"',
    );
  });

  it('passes the same call with match: {validateArguments: false}', async () => {
    const result = await expectToolCalls({ ...options(), match: { validateArguments: false } });
    expect(result.summary).toMatchObject({ total: 1, passed: 1 });
  });
});

describe('expectConversation', () => {
  // The agent follows the dialog by the turn number (it cannot understand speech) and books with
  // the party size it is built with, reading back the reference russo answered.
  const dialog = (partySize: number) =>
    new FunctionAgent({
      turn(audio, options, conversation) {
        if (audio.pcm.length < audio.sampleRate / 2) throw new Error('heard no speech');
        if (conversation.turn === 0)
          return { toolCalls: [], text: 'For how many people?', transcript: 'one' };
        const call = { name: 'book_table', arguments: { party_size: partySize, time: '19:00' } };
        const outcome = options.respond?.(call) ?? { missing: '' };
        const text = 'result' in outcome ? `Booked, ${String(outcome.result)}` : 'Sorry, no table.';
        return { toolCalls: [call], toolResults: [{ call, outcome }], text, transcript: 'two' };
      },
    });
  const conversation = {
    turns: [
      { say: "I'd like to book a table", expect: [], reply: { containsAny: ['how many', 'people'] } },
      {
        say: 'Two people at seven please',
        expect: [{ name: 'book_table', arguments: { party_size: 2 } }],
        reply: { contains: 'R-17', notContains: ['Sorry'] },
      },
    ],
    toolResults: {
      book_table: [{ when: { party_size: { one_of: [1, 2, 3, 4] } }, result: 'R-17' }, { error: 'full' }],
    },
  };

  it('passes a conversation that holds in every run', async () => {
    const result = await expectConversation({ cwd: project, agent: dialog(2), ...conversation });
    expect(result.summary).toMatchObject({ total: 2, passed: 2 });
    expect(result.scenario.turns?.map((turn) => turn.say)).toEqual([
      "I'd like to book a table",
      'Two people at seven please',
    ]);
    expect(result.runs[0]?.turns?.[1]?.response?.text).toBe('Booked, R-17');
  });

  it('fails with the transcript of each failing run and why its turn failed', async () => {
    const error = await expectConversation({
      cwd: project,
      agent: dialog(6),
      name: 'book',
      ...conversation,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConversationExpectationError);
    const message = (error as Error).message;
    expect(message).toMatch(/^book: 0% passed \(0\/2\), needs 100%\n/);
    expect(message).toContain(
      [
        '✗ run 1 · kal16',
        `  turn 1 ✓ "I'd like to book a table" (heard "one") → "For how many people?"`,
        '  turn 2 ✗ "Two people at seven please" (heard "two") → "Sorry, no table."',
        '    book_table: party_size expected 2, got 6',
        '      expected: book_table({party_size: 2})',
        '      actual:   book_table({party_size: 6, time: "19:00"})',
        '    the reply does not contain "R-17": "Sorry, no table."',
        '    the reply contains "Sorry": "Sorry, no table."',
      ].join('\n'),
    );
  });

  it('checks the turns as a scenario file is checked, before anything runs', async () => {
    const { agent, heard } = scripted([]);
    const error = await expectConversation({
      cwd: project,
      agent,
      turns: [{ say: 'Hi', reply: { regex: '(' } }],
      toolResults: { book_table: [{ when: { party_size: { regexp: '2' } }, result: 1 }] },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^invalid regex/),
      'unknown matcher "regexp"',
    ]);
    await expect(
      expectConversation({ cwd: project, agent, turns: [{ say: 'Hi', reply: { judge: 'is polite' } }] }),
    ).rejects.toThrow(/a judge check needs a judge/);
    await expect(expectConversation({ cwd: project, agent, turns: [] })).rejects.toThrow(/"turns" is empty/);
    expect(heard).toHaveLength(0);
  });
});
