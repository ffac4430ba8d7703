import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScenarioError, type Problem } from '../../src/scenarios/errors.js';
import { loadSuite } from '../../src/suite/load.js';
import { project } from '../fixtures/project.js';

const TOOLS = readFileSync('tools/restaurant.json', 'utf8');
const CONFIG = 'agent: { provider: module, module: agent.js, tools: tools.json }\n';
const JUDGE = 'judge: { provider: openai, model: gpt-4o-mini }\n';

/** The problems of loading `scenario` (one file) with the tools file and `config`; fails when it loads. */
async function problemsOf(scenario: string, config = CONFIG): Promise<Problem[]> {
  const cwd = project({ 'russo.config.yaml': config, 'tools.json': TOOLS, 'scenarios/s.yaml': scenario });
  try {
    await loadSuite(undefined, { cwd });
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).problems;
  }
  throw new Error('expected the suite to be rejected');
}

const where = (problems: Problem[]) => problems.map((problem) => [problem.line, problem.message]);

const BOOKING = `name: book over three turns
turns:
  - say: I'd like to book a table
    expect: []
    reply: { contains_any: [how many, people] }
  - say: Two people please
    reply:
      regex: 'what time|when'
      ignore_case: true
  - say: At seven tonight
    expect:
      - name: book_table
        arguments: { party_size: 2, time: { regex: '^19:00' } }
    forbid: [cancel_reservation]
    reply: { contains: R-17, not_contains: [sorry, error], judge: reads the reference back }
tool_results:
  book_table:
    - when: { party_size: { one_of: [1, 2, 3, 4] } }
      result: { confirmed: true, reference: R-17 }
    - error: no table free
runs: 4
timeout_s: 20
tags: [conversation]
`;

describe('loadSuite: conversations', () => {
  it('loads turns with the line of every say, expected call and reply check', async () => {
    const cwd = project({
      'russo.config.yaml': CONFIG + JUDGE,
      'tools.json': TOOLS,
      'scenarios/s.yaml': BOOKING,
    });
    const [scenario] = (await loadSuite(undefined, { cwd })).scenarios;
    const at = (line: number, column: number) => ({ file: 'scenarios/s.yaml', line, column });
    expect(scenario).toMatchObject({
      name: 'book over three turns',
      // The conversation is one run: its first say stands for it where prompts are listed.
      prompts: [{ text: "I'd like to book a table", location: at(3, 10) }],
      expect: [],
      forbid: [],
      runs: 4,
      timeoutMs: 20_000,
      tags: ['conversation'],
      toolResults: {
        book_table: [
          { when: { party_size: { one_of: [1, 2, 3, 4] } }, result: { confirmed: true, reference: 'R-17' } },
          { error: 'no table free' },
        ],
      },
    });
    expect(scenario?.turns).toEqual([
      {
        say: "I'd like to book a table",
        location: at(3, 10),
        expect: [],
        forbid: [],
        reply: { containsAny: ['how many', 'people'], location: at(5, 12) },
      },
      {
        say: 'Two people please',
        location: at(6, 10),
        forbid: [],
        reply: { regex: 'what time|when', ignoreCase: true, location: at(8, 7) },
      },
      {
        say: 'At seven tonight',
        location: at(10, 10),
        expect: [
          {
            name: 'book_table',
            arguments: { party_size: 2, time: { regex: '^19:00' } },
            location: at(12, 9),
          },
        ],
        forbid: ['cancel_reservation'],
        reply: {
          contains: ['R-17'],
          notContains: ['sorry', 'error'],
          judge: 'reads the reference back',
          location: at(15, 12),
        },
      },
    ]);
  });

  it('loads the repository examples', async () => {
    const suite = await loadSuite([
      'scenarios/conversations',
      'scenarios/failing/conversation-books-too-early.yaml',
    ]);
    expect(suite.scenarios.map((scenario) => scenario.turns?.length)).toEqual([3, 2, 3, 3]);
  });

  it('refuses a turn without say, with the line of the turn', async () => {
    const problems = await problemsOf('name: x\nturns:\n  - say: hello\n  - expect: []\n');
    expect(problems).toEqual([
      expect.objectContaining({
        line: 4,
        message: 'missing required key "say" in "turns.1"',
        hint: 'write what the caller says in this turn: `- say: ...`',
      }),
    ]);
  });

  it('refuses turns with prompts, or with a top-level expect or forbid', async () => {
    const problems = await problemsOf(
      'name: x\nprompts: [hi]\nturns:\n  - say: hello\nexpect: []\nforbid: [book_table]\n',
    );
    expect(where(problems)).toEqual([
      [2, '"prompts" cannot be used together with "turns"'],
      [5, '"expect" cannot be used together with "turns"'],
      [6, '"forbid" cannot be used together with "turns"'],
    ]);
    expect(problems[0]?.hint).toMatch(/either `prompts` and `expect`, or `turns`/);
  });

  it('refuses a scenario with neither prompts nor turns, and empty turns', async () => {
    const [missing] = await problemsOf('name: x\n');
    expect(missing?.hint).toMatch(/or `turns:` for a conversation/);
    const [empty] = await problemsOf('name: x\nturns: []\n');
    expect(empty).toMatchObject({
      line: 2,
      message: '"turns" is empty',
      hint: 'add at least one turn: `- say: ...`',
    });
  });

  it('refuses an unknown reply key with the nearest one, a check that checks nothing, a bad regex and a bad type', async () => {
    const problems = await problemsOf(
      [
        'name: x',
        'turns:',
        '  - say: one',
        '    reply: { contain: R-17 }',
        '  - say: two',
        '    reply: { ignore_case: true }',
        '  - say: three',
        "    reply: { regex: '(what' }",
        '  - say: four',
        '    reply: { contains: 5 }',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        line: 4,
        message: 'unknown key "contain" in "turns.0.reply"',
        hint: 'did you mean "contains"?',
      }),
      expect.objectContaining({
        line: 10,
        message: '"turns.3.reply.contains" must be a string or an array, got number 5',
      }),
    ]);
    // The checks the schema cannot make come once the file fits the schema.
    const semantic = await problemsOf(
      "name: x\nturns:\n  - say: two\n    reply: { ignore_case: true }\n  - say: three\n    reply: { regex: '(what' }\n",
    );
    expect(where(semantic)).toEqual([
      [4, 'the reply check checks nothing'],
      [6, expect.stringMatching(/^invalid regex: /)],
    ]);
  });

  it('refuses a judge check when the config names no judge', async () => {
    const problems = await problemsOf(
      'name: x\nturns:\n  - say: hi\n    reply:\n      judge: greets the caller\n',
    );
    expect(problems).toEqual([
      expect.objectContaining({
        line: 5,
        message: 'a judge check needs a judge, and russo.config.yaml names none',
        hint: expect.stringContaining('judge: {provider: openai, model: gpt-4o-mini}'),
      }),
    ]);
  });

  it('refuses a say over limits.max_prompt_chars, like a prompt', async () => {
    const problems = await problemsOf(
      `name: x\nturns:\n  - say: ok\n  - say: ${'word '.repeat(30)}\n`,
      `${CONFIG}limits: { max_prompt_chars: 100 }\n`,
    );
    expect(where(problems)).toEqual([
      [4, 'the say of turn 2 is 149 characters long, more than limits.max_prompt_chars (100)'],
    ]);
  });

  it('refuses a `when` that is not a valid matcher, a rule never picked and a list that is almost rules', async () => {
    const problems = await problemsOf(
      [
        'name: x',
        'turns: [{ say: hi }]',
        'tool_results:',
        '  book_table:',
        '    - when: { time: { regexp: "^19" } }',
        '      result: ok',
        '    - result: fallback',
        '    - when: { party_size: 2 }',
        '      result: never',
        '  cancel_reservation:',
        '    - when: { day: today }',
        '      reslt: cancelled',
        '',
      ].join('\n'),
    );
    expect(where(problems)).toEqual([
      [5, 'unknown matcher "regexp"'],
      [8, 'book_table: rule 3 can never be picked: rule 2 has no `when` and matches every call first'],
      [11, expect.stringContaining('item 1 is not a rule')],
    ]);
  });

  it("checks the turns' tools and the rules' `when` against the tools file", async () => {
    const problems = await problemsOf(
      [
        'name: x',
        'turns:',
        '  - say: hi',
        '    expect:',
        '      - name: book_tabel',
        '      - name: book_table',
        '        arguments: { party_size: two }',
        '    forbid: [cancel_reservaton]',
        'tool_results:',
        '  book_table:',
        '    - when: { party_size: 40 }',
        '      result: ok',
        '  open_hours: { open: noon }',
        '',
      ].join('\n'),
    );
    expect(where(problems)).toEqual([
      [5, 'unknown tool "book_tabel": tools.json defines no tool of that name'],
      [7, expect.stringMatching(/^book_table: party_size/)],
      [8, 'unknown tool "cancel_reservaton": tools.json defines no tool of that name'],
      [11, 'book_table: party_size must be <= 12, got 40 (tools.json)'],
      [13, 'unknown tool "open_hours": tools.json defines no tool of that name'],
    ]);
    expect(problems[0]?.hint).toBe('did you mean "book_table"?');
  });

  it('refuses a tool both expected and forbidden in one turn', async () => {
    const problems = await problemsOf(
      'name: x\nturns:\n  - say: hi\n    expect: [{ name: book_table }]\n    forbid: [book_table]\n',
    );
    expect(where(problems)).toEqual([[5, '"book_table" is both expected and forbidden']]);
  });
});
