import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBundle, russo } from './bundle.js';
import { project } from '../fixtures/project.js';

// A module agent that holds conversations: it cannot understand speech, so it follows the dialog by
// the turn number it is given, and books with the result russo answers.
const AGENT = `export default {
  turn(audio, options, conversation) {
    if (audio.pcm.length < audio.sampleRate / 2) throw new Error('heard no speech');
    if (conversation.turn === 0) return { toolCalls: [], text: 'For how many people?' };
    if (conversation.turn === 1) return { toolCalls: [], text: 'At what time?' };
    const call = { name: 'book_table', arguments: { party_size: 2, time: '19:00' } };
    const outcome = options.respond(call);
    return { toolCalls: [call], toolResults: [{ call, outcome }], text: 'Booked, reference ' + outcome.result.reference };
  },
};
`;
const CONVERSATION = `name: book over three turns
turns:
  - say: I'd like to book a table
    expect: []
    reply: { contains_any: [how many, people] }
  - say: Two people please
    reply: { regex: 'what time' }
  - say: At seven tonight
    expect:
      - name: book_table
        arguments: { party_size: 2 }
    reply: { contains: R-17 }
tool_results:
  book_table:
    - when: { party_size: 2 }
      result: { reference: R-17 }
`;
const FILES = {
  'russo.config.yaml':
    'agent: { provider: module, module: agent.mjs }\nsynthesizer: { provider: flite, voices: [kal16] }\ndefaults: { runs: 2 }\n',
  'agent.mjs': AGENT,
  'scenarios/book.yaml': CONVERSATION,
};

beforeAll(ensureBundle, 180_000);

describe('russo run with conversations (bundled CLI)', () => {
  it('plays a conversation with a module agent that converses, and writes its turns to the report', async () => {
    const cwd = project(FILES);
    const { code, stdout } = await russo(cwd, 'run', '--json', 'report.json');
    expect(code).toBe(0);
    expect(stdout).toContain('gate passed: 2/2 runs passed');
    const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')) as {
      scenarios: Array<{ runs: Array<{ turns: Array<{ status: string; text: string }> }> }>;
    };
    expect(report.scenarios[0]?.runs[0]?.turns.map((turn) => [turn.status, turn.text])).toEqual([
      ['passed', 'For how many people?'],
      ['passed', 'At what time?'],
      ['passed', 'Booked, reference R-17'],
    ]);
  });

  it('exits 1 when a turn fails, naming the turn and what was wrong', async () => {
    const cwd = project({
      ...FILES,
      'scenarios/book.yaml': CONVERSATION.replace('R-17 }\ntool', 'R-18 }\ntool'),
    });
    const { code, stdout } = await russo(cwd, 'run');
    expect(code).toBe(1);
    // The failing turn, then its reason under it.
    expect(stdout).toMatch(
      /✗ turn 3 "At seven tonight"\n(?: {8}.*\n)*? {8}the reply does not contain "R-18": "Booked, reference R-17"/,
    );
  });

  it('exits 2 with file:line and a fix for every bad turn, before anything runs', async () => {
    const bad = [
      'name: bad conversation',
      'prompts: [hello]',
      'turns:',
      '  - expect: []',
      '  - say: hi',
      '    reply: { contians: yes }',
      'tool_results:',
      '  book_table:',
      '    - when: { party_size: { one_off: [1, 2] } }',
      '      result: ok',
      '',
    ].join('\n');
    const { code, stdout, stderr } = await russo(project({ ...FILES, 'scenarios/book.yaml': bad }), 'run');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('scenarios/book.yaml:2:1: "prompts" cannot be used together with "turns"');
    expect(stderr).toContain('scenarios/book.yaml:4:5: missing required key "say" in "turns.0"');
    expect(stderr).toContain('scenarios/book.yaml:6:14: unknown key "contians" in "turns.1.reply"');
    expect(stderr).toContain('fix: did you mean "contains"?');
    const when = await russo(
      project({
        ...FILES,
        'scenarios/book.yaml': CONVERSATION.replace(
          'when: { party_size: 2 }',
          'when: { party_size: { one_off: [2] } }',
        ),
      }),
      'run',
    );
    expect(when.code).toBe(2);
    expect(when.stderr).toContain('scenarios/book.yaml:15:38: unknown matcher "one_off"');
  });

  it("exits 2 at the scenario's line when the agent cannot hold a conversation", async () => {
    const cwd = project({ ...FILES, 'agent.mjs': 'export default () => [];\n' });
    const { code, stderr } = await russo(cwd, 'run');
    expect(code).toBe(2);
    expect(stderr).toContain(
      'scenarios/book.yaml:1:1: "book over three turns" is a conversation (turns), but the agent module:agent.mjs cannot hold one',
    );
  });
});
