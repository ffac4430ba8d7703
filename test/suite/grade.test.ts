import { describe, expect, it } from 'vitest';
import type { ToolCall, TurnResult } from '../../src/core/types.js';
import { gradeReport } from '../../src/suite/grade.js';
import { loadSuite } from '../../src/suite/load.js';
import type { SuiteRun } from '../../src/suite/types.js';
import { project } from '../fixtures/project.js';
import { scenarioResult, suiteResult } from '../fixtures/suite-result.js';

const FILES = {
  'russo.config.yaml': 'defaults:\n  runs: 2\n',
  'scenarios/book.yaml':
    'name: book\nprompts: [Book a table for two]\nexpect:\n  - name: book_table\n    arguments: { party_size: 2 }\n',
  'tools.json': '[]',
};

const two: ToolCall = { name: 'book_table', arguments: { party_size: 2 } };
const three: ToolCall = { name: 'book_table', arguments: { party_size: 3 } };

/** A recorded run of `book` as a report holds it: the agent's answer, graded by whatever held then. */
function recorded(runIndex: number, calls: ToolCall[] | 'error', extra: Partial<SuiteRun> = {}): SuiteRun {
  return {
    id: `book/p0/kal16/default/r${runIndex}`,
    prompt: 'Book a table for two',
    promptIndex: 0,
    runIndex,
    voice: 'kal16',
    latencyMs: 900 + runIndex,
    ...(calls === 'error'
      ? { status: 'error', error: 'agent: timed out after 60 s' }
      : { status: 'failed', response: { toolCalls: calls, transcript: 'book a table for two' } }),
    ...extra,
  };
}

const CONVERSATION_FILES = {
  'scenarios/talk.yaml':
    'name: talk\nturns:\n  - say: I would like a table\n    expect: []\n  - say: For two at seven\n    reply: { contains: R-18 }\n',
};

/** A recorded conversation of `talk`: no call, then a booking, with the agent's replies. */
function recordedConversation(replies: [string, string]): SuiteRun {
  const says = ['I would like a table', 'For two at seven'];
  const calls = [[], [two]];
  const turns: TurnResult[] = says.map((say, index) => ({
    index,
    say,
    status: 'passed',
    response: { toolCalls: calls[index]!, text: replies[index]!, transcript: say.toLowerCase() },
    latencyMs: 500,
  }));
  return {
    id: 'talk/p0/kal16/default/r0',
    prompt: says[0]!,
    promptIndex: 0,
    runIndex: 0,
    voice: 'kal16',
    status: 'passed',
    response: { toolCalls: [two], text: replies[1] },
    latencyMs: 1000,
    turns,
  };
}

async function load() {
  const suite = await loadSuite(undefined, { cwd: project(FILES) });
  return { suite, book: suite.scenarios[0]! };
}

describe('gradeReport', () => {
  it('grades each recorded answer with the current expectation and keeps everything else of the run', async () => {
    const { suite, book } = await load();
    const runs = [recorded(0, [two]), recorded(1, [three]), recorded(2, 'error')];
    const result = gradeReport(suite, suiteResult([scenarioResult(book, runs)]), { source: 'old.json' });
    const [graded] = result.scenarios;
    expect(graded!.runs.map((run) => run.status)).toEqual(['passed', 'failed', 'error']);
    expect(graded!.runs[1]!.evalResult!.failures[0]!.message).toBe(
      'book_table: party_size expected 2, got 3',
    );
    expect(graded!.runs[0]).toMatchObject({
      id: 'book/p0/kal16/default/r0',
      latencyMs: 900,
      response: { toolCalls: [two] },
    });
    // The errored run recorded no answer: it stays an error, and the gate counts it.
    expect(graded!.runs[2]).toEqual(runs[2]);
    expect(result.gate.failures.map((failure) => failure.kind)).toEqual(['scenario_pass_rate', 'errors']);
    expect(result.replay).toEqual({ source: 'old.json', regraded: 2, notReplayable: [] });
  });

  it('does not grade a run whose prompt changed, nor one of a scenario whose mocked tool results changed', async () => {
    const { suite, book } = await load();
    const moved = { ...recorded(1, [two]), prompt: 'Book a table for 2' };
    const result = gradeReport(suite, suiteResult([scenarioResult(book, [recorded(0, [two]), moved])]), {
      source: 'old.json',
    });
    expect(result.replay!.notReplayable).toEqual([
      { id: 'book/p0/kal16/default/r1', scenario: 'book', reason: 'its prompt changed' },
    ]);
    const mocked = { ...book, toolResults: { book_table: { reference: 'R-1' } } };
    const again = gradeReport(suite, suiteResult([scenarioResult(mocked, [recorded(0, [two])])]), {
      source: 'old.json',
    });
    expect(again.replay!.notReplayable.map((run) => run.reason)).toEqual([
      'its mocked tool results changed: the agent was answered differently',
    ]);
    expect(again.scenarios).toEqual([]);
  });

  it('grades each turn of a recorded conversation with the current turns, and merges the verdict', async () => {
    const suite = await loadSuite(undefined, { cwd: project(CONVERSATION_FILES) });
    const [talk] = suite.scenarios;
    const conversation = recordedConversation(['For how many people?', 'Booked, reference R-17']);
    const graded = gradeReport(suite, suiteResult([scenarioResult(talk!, [conversation])]), {
      source: 'old.json',
    });
    const [run] = graded.scenarios[0]!.runs;
    expect(run!.turns!.map((turn) => turn.status)).toEqual(['passed', 'failed']);
    expect(run!.status).toBe('failed');
    expect(run!.evalResult!.failures.map((failure) => failure.message)).toEqual([
      'turn 2: the reply does not contain "R-18": "Booked, reference R-17"',
    ]);
    expect(run!.turns![1]!.response).toEqual(conversation.turns![1]!.response);
    expect(graded.replay).toEqual({ source: 'old.json', regraded: 1, notReplayable: [] });
  });

  it('does not grade a conversation whose turns changed, or whose reply checks need the judge', async () => {
    const suite = await loadSuite(undefined, { cwd: project(CONVERSATION_FILES) });
    const [talk] = suite.scenarios;
    const conversation = recordedConversation(['For how many people?', 'Booked, reference R-18']);
    const said = {
      ...conversation,
      turns: conversation.turns!.map((turn) => ({ ...turn, say: `${turn.say}!` })),
    };
    const shorter = {
      ...conversation,
      runIndex: 1,
      id: 'talk/p0/kal16/default/r1',
      turns: conversation.turns!.slice(0, 1),
    };
    const result = gradeReport(suite, suiteResult([scenarioResult(talk!, [said, shorter])]), {
      source: 'old.json',
    });
    expect(result.replay!.notReplayable.map((run) => run.reason)).toEqual([
      'its turns changed',
      'its turns changed',
    ]);

    const judged = {
      ...suite,
      scenarios: [
        {
          ...talk!,
          turns: talk!.turns!.map((turn) => ({
            ...turn,
            reply: { judge: 'is polite', location: talk!.location },
          })),
        },
      ],
    };
    const again = gradeReport(judged, suiteResult([scenarioResult(talk!, [conversation])]), {
      source: 'old.json',
    });
    expect(again.replay!.notReplayable.map((run) => run.reason)).toEqual([
      'its reply checks ask the judge model, and grade calls no model',
    ]);
    // A conversation recorded for a scenario that is now a single prompt, and the other way round.
    const { suite: single, book } = await load();
    const crossed = gradeReport(
      single,
      suiteResult([scenarioResult(book, [{ ...conversation, id: 'book/p0/kal16/default/r0' }])]),
      {
        source: 'old.json',
      },
    );
    expect(crossed.replay!.notReplayable.map((run) => run.reason)).toEqual([
      'it was a conversation, and its scenario is no longer one',
    ]);
  });

  it('judges with the current thresholds and the options it is given', async () => {
    const { suite, book } = await load();
    const runs = [recorded(0, [two], { status: 'passed' }), recorded(1, [three])];
    const old = suiteResult([scenarioResult({ ...book, minPassRate: 0.5 }, runs)]);
    expect(old.gate.passed).toBe(true);
    // The file now asks for 80% (the default): 1 of 2 fails it.
    const result = gradeReport(suite, old, { source: 'old.json', minPassRate: 0.4, judging: { passK: 1 } });
    expect(result.gate.failures.map((failure) => failure.kind)).toEqual(['scenario_pass_rate']);
    expect(result.gate.minPassRate).toBe(0.4);
    expect(result.consistency.scenarios[0]).toMatchObject({ k: 1, passHatK: 0.5 });
  });
});
