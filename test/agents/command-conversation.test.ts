import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandAgent, type CommandAgentOptions } from '../../src/agents/command.js';
import { encodeWav } from '../../src/audio/wav.js';
import { AgentError } from '../../src/core/errors.js';
import type {
  AgentConversation,
  AgentResponse,
  Audio,
  ToolCall,
  ToolResponder,
} from '../../src/core/types.js';
import { expectGone, readPids } from '../fixtures/command-agent-processes.js';
import { BOOKED, speakTurns } from './booking-dialog.js';

// The conversation protocol of the command agent, against a fixture program that speaks it (or
// breaks it) and the real Flite audio of each turn.
const FIXTURE = resolve('test/fixtures/command-agent-conversation.mjs');

let turns: Audio[];
let dir: string;

beforeAll(async () => {
  turns = await speakTurns('slt');
  dir = await mkdtemp(join(tmpdir(), 'russo-conversation-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function fixtureAgent(behaviour: string, options: Partial<CommandAgentOptions> = {}): CommandAgent {
  return new CommandAgent({ command: [process.execPath, FIXTURE, behaviour], ...options });
}

/** The fixture's report of one turn: the arguments of its `heard` call. */
function heard(response: AgentResponse): Record<string, unknown> {
  expect(response.toolCalls.map((call) => call.name)).toEqual(['heard']);
  return response.toolCalls[0]?.arguments ?? {};
}

/** Plays every turn of `turns` in order and returns the reports. */
async function playAll(conversation: AgentConversation): Promise<Array<Record<string, unknown>>> {
  const reports = [];
  for (const audio of turns) reports.push(heard(await conversation.turn(audio)));
  return reports;
}

async function rejection(promise: Promise<unknown>): Promise<AgentError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AgentError);
  return error as AgentError;
}

const respond: ToolResponder = (call) =>
  call.name === 'book_table'
    ? { result: BOOKED }
    : call.name === 'get_opening_hours'
      ? { error: 'the hours service is down' }
      : { missing: `no result is mocked for ${call.name}` };

describe.each(['serve', 'spawn'] as const)('CommandAgent conversations, %s mode', (mode) => {
  it('plays every turn to one process, with the conversation id and the turn number', async () => {
    const agent = fixtureAgent('echo', { mode, processes: 2 });
    const [first, second] = await Promise.all([agent.converse(), agent.converse()]);
    const [a, b] = await Promise.all([playAll(first!), playAll(second!)]);
    await Promise.all([first!.close(), second!.close()]);
    for (const reports of [a!, b!]) {
      expect(reports.map((report) => report.turn)).toEqual([0, 1, 2]);
      // The process remembers the conversation: every earlier turn, and no other conversation's.
      expect(reports.map((report) => report.turns_heard)).toEqual([[0], [0, 1], [0, 1, 2]]);
      expect(new Set(reports.map((report) => report.pid)).size).toBe(1);
      expect(new Set(reports.map((report) => report.conversation)).size).toBe(1);
      expect(reports.map((report) => report.samples)).toEqual(turns.map((audio) => audio.pcm.length));
      expect(reports[0]).toMatchObject({
        keys: ['audio', 'conversation', 'id', 'turn'],
        mode: mode === 'serve' ? 'serve' : 'conversation',
        riff: true,
        sha256: createHash('sha256').update(encodeWav(turns[0]!)).digest('hex'),
      });
    }
    expect(a![0]?.conversation).not.toBe(b![0]?.conversation);
    expect(a![0]?.pid).not.toBe(b![0]?.pid);
    if (mode === 'serve') {
      // A closed conversation gives its process back: the next one reuses it.
      const third = await agent.converse();
      const report = heard(await third.turn(turns[0]!));
      expect([a![0]?.pid, b![0]?.pid]).toContain(report.pid);
      expect(report.turns_heard).toEqual([0]);
      await third.close();
      // A one-turn run still sends today's request: an id and the audio.
      expect(heard(await agent.run(turns[0]!)).keys).toEqual(['audio', 'id']);
    } else {
      // Closing a spawn-mode conversation ends its process.
      await expectGone([a![0]?.pid, b![0]?.pid] as number[]);
    }
    await agent.close();
  });

  it('answers reported tool calls with the mocked outcomes and records them', async () => {
    const agent = fixtureAgent('tools', { mode });
    const conversation = await agent.converse();
    const response = await conversation.turn(turns[0]!, { respond });
    const unanswered = await conversation.turn(turns[1]!);
    await conversation.close();
    await agent.close();
    const calls: ToolCall[] = [
      { name: 'book_table', arguments: { party_size: 2 } },
      { name: 'get_opening_hours', arguments: { day: 'sunday' } },
    ];
    expect(response.toolCalls).toEqual(calls);
    expect(response.toolResults).toEqual([
      { call: calls[0], outcome: { result: BOOKED } },
      { call: calls[1], outcome: { error: 'the hours service is down' } },
    ]);
    // What the program read back: the call_id it gave, the result or the error.
    expect(JSON.parse(response.text ?? '')).toEqual({
      answers: [
        { id: expect.any(String), call_id: 't0', tool_result: BOOKED },
        { id: expect.any(String), tool_error: 'the hours service is down' },
      ],
    });
    expect(response.transcript).toBe('turn 0');
    // Without a responder each call is told that no result is mocked.
    const told = JSON.parse(unanswered.text ?? '') as { answers: Array<{ tool_error: string }> };
    expect(told.answers.map((answer) => answer.tool_error)).toEqual([
      "no result is mocked for book_table: add it to the scenario's tool_results",
      "no result is mocked for get_opening_hours: add it to the scenario's tool_results",
    ]);
    expect(unanswered.toolResults?.map((exchange) => exchange.outcome)).toEqual([
      { missing: "no result is mocked for book_table: add it to the scenario's tool_results" },
      { missing: "no result is mocked for get_opening_hours: add it to the scenario's tool_results" },
    ]);
  });

  it("takes the answer's tool_calls when it lists them, and still records the answered calls", async () => {
    const agent = fixtureAgent('listed', { mode });
    const conversation = await agent.converse();
    const response = await conversation.turn(turns[0]!, { respond });
    await conversation.close();
    await agent.close();
    expect(response.toolCalls).toEqual([{ name: 'cancel_reservation', arguments: {} }]);
    expect(response.toolResults).toEqual([
      { call: { name: 'book_table', arguments: { party_size: 2 } }, outcome: { result: BOOKED } },
    ]);
  });

  it('ignores log lines, plain or JSON without an id', async () => {
    const agent = fixtureAgent('logs', { mode });
    const conversation = await agent.converse();
    const reports = await playAll(conversation);
    await conversation.close();
    await agent.close();
    expect(reports.map((report) => report.turn)).toEqual([0, 1, 2]);
  });

  it.each([
    [
      'unknown-id',
      /^the agent answered request "someone-else", but the request in flight is "\d+": \{"id":"someone-else","tool_calls":\[\],"text":"not yours"\}/,
    ],
    ['malformed', /^the agent printed a line that is not valid JSON: \{"id": "\d+", "tool_calls": \[/],
    ['no-id', /^the agent printed a message without an "id": \{"tool_calls":\[\],"text":"forgot the id"\}/],
    [
      'bad-tool-call',
      /^the agent reported a "tool_call" without a "name": \{"id":"\d+","tool_call":\{"arguments"/,
    ],
  ])(
    'fails the turn at once on a line that breaks the protocol (%s), quoting it',
    async (behaviour, message) => {
      const agent = fixtureAgent(behaviour, { mode });
      const conversation = await agent.converse();
      // No timeout: the turn must end by itself, with the line in the error.
      const error = await rejection(conversation.turn(turns[0]!, { respond }));
      expect(error.message).toMatch(message);
      expect(error.message).toContain('fixture: request 1, turn 0');
      expect(error.hint).toContain('one JSON object per line');
      // The process is in an unknown state: the conversation is over.
      expect((await rejection(conversation.turn(turns[1]!))).message).toBe(
        `the agent's session ended before turn 2: ${error.message}`,
      );
      await conversation.close();
      await agent.close();
    },
  );

  it('fails the turn in which the process dies, naming the turn and quoting stderr', async () => {
    const agent = fixtureAgent('die', { mode, env: { CRASH_TURN: '1' } });
    const conversation = await agent.converse();
    const first = heard(await conversation.turn(turns[0]!));
    const error = await rejection(conversation.turn(turns[1]!));
    expect(error.message).toMatch(/^the agent process exited with code 3 before answering turn 2; stderr:\n/);
    expect(error.message).toContain('fatal: lost the dialog state in turn 1');
    const later = await rejection(conversation.turn(turns[2]!));
    expect(later.message).toMatch(
      /^the agent's session ended before turn 3: the agent process exited with code 3 before answering turn 2; stderr:\n/,
    );
    await conversation.close();
    if (mode === 'serve') {
      // The pool replaces the process for the next conversation.
      const next = await agent.converse();
      const report = heard(await next.turn(turns[0]!));
      expect(report.pid).not.toBe(first.pid);
      expect(report.request).toBe(1);
      await next.close();
    }
    await agent.close();
  });

  it('fails the turn when the process dies waiting for a tool result', async () => {
    const agent = fixtureAgent('die-in-tool-call', { mode, env: { CRASH_TURN: '0' } });
    const conversation = await agent.converse();
    const error = await rejection(conversation.turn(turns[0]!, { respond }));
    expect(error.message).toMatch(/^the agent process exited with code 4 before answering turn 1; stderr:\n/);
    expect(error.message).toContain('fatal: the tool result made the agent crash');
    await conversation.close();
    await agent.close();
  });

  it('says the session ended when the process died between turns', async () => {
    const agent = fixtureAgent('die-after-answer', { mode, env: { CRASH_TURN: '0' } });
    const conversation = await agent.converse();
    expect(heard(await conversation.turn(turns[0]!)).turn).toBe(0);
    const error = await rejection(conversation.turn(turns[1]!));
    // Whether russo learns of the exit before or after it sends turn 2 is up to the scheduler.
    expect(error.message).toMatch(
      /^(the agent's session ended before turn 2: the agent process exited with code 5;|the agent process exited with code 5 before answering turn 2;)/,
    );
    expect(error.message).toContain('fatal: exiting between turns');
    await conversation.close();
    await agent.close();
  });

  it("kills the process group when the conversation's signal fires mid-turn, and only that conversation ends", async () => {
    const pidFile = join(dir, `${mode}-pids.json`);
    const agent = fixtureAgent('grandchild', { mode, env: { PID_FILE: pidFile, CRASH_TURN: '1' } });
    const controller = new AbortController();
    const conversation = await agent.converse({ signal: controller.signal });
    heard(await conversation.turn(turns[0]!));
    const pending = conversation.turn(turns[1]!);
    const pids = await readPids(pidFile);
    controller.abort(new Error('cancelled by the test'));
    await expect(pending).rejects.toThrow('cancelled by the test');
    await expectGone([pids.child, pids.grandchild]);
    expect((await rejection(conversation.turn(turns[2]!))).message).toMatch(/session ended before turn 3/);
    await conversation.close();
    await agent.close();
  });

  it('kills the process on a turn timeout', async () => {
    const pidFile = join(dir, `${mode}-timeout-pids.json`);
    const agent = fixtureAgent('grandchild', { mode, env: { PID_FILE: pidFile, CRASH_TURN: '0' } });
    const conversation = await agent.converse();
    const pending = conversation.turn(turns[0]!, { signal: AbortSignal.timeout(1000) });
    await expect(pending).rejects.toThrow(/timeout|aborted/i);
    await expectGone(Object.values(await readPids(pidFile)));
    await conversation.close();
    await agent.close();
  });
});

describe('CommandAgent conversations, the pool', () => {
  it('makes a conversation wait for a free process when every one is held', async () => {
    const agent = fixtureAgent('echo', { mode: 'serve', processes: 1 });
    const first = await agent.converse();
    const pid = heard(await first.turn(turns[0]!)).pid;
    let secondStarted = false;
    const second = agent.converse().then((conversation) => {
      secondStarted = true;
      return conversation;
    });
    // The only process is held by the first conversation until it closes.
    heard(await first.turn(turns[1]!));
    expect(secondStarted).toBe(false);
    await first.close();
    const conversation = await second;
    const report = heard(await conversation.turn(turns[0]!));
    expect(report.pid).toBe(pid);
    expect(report.turns_heard).toEqual([0]);
    await conversation.close();
    await agent.close();
  });

  it('kills a process whose conversation is closed during a turn, and replaces it', async () => {
    const pidFile = join(dir, 'closed-during-turn.json');
    const agent = fixtureAgent('grandchild', { mode: 'serve', env: { PID_FILE: pidFile, CRASH_TURN: '0' } });
    const conversation = await agent.converse();
    const pending = rejection(conversation.turn(turns[0]!));
    const pids = await readPids(pidFile);
    await conversation.close();
    expect((await pending).message).toMatch(/before answering turn 1/);
    await expectGone([pids.child, pids.grandchild]);
    await rm(pidFile);
    const next = await agent.converse();
    const turn = next.turn(turns[1]!);
    expect((await readPids(pidFile)).child).not.toBe(pids.child);
    await agent.close();
    await rejection(turn);
    await next.close();
  });

  it('refuses a conversation once the agent is closed', async () => {
    const agent = fixtureAgent('echo', { mode: 'serve' });
    await agent.close();
    await expect(agent.converse()).rejects.toThrow('the agent was closed');
  });
});

describe('CommandAgent conversations, spawn mode', () => {
  it('reminds a program that dies on its first turn that conversations speak JSON lines', async () => {
    const script =
      "process.stdin.once('data', () => { console.error('expected a WAV file'); process.exit(1); });";
    const agent = new CommandAgent({ command: [process.execPath, '-e', script] });
    const conversation = await agent.converse();
    const error = await rejection(conversation.turn(turns[0]!));
    expect(error.message).toMatch(
      /^the agent process exited with code 1 before answering turn 1; stderr:\nexpected a WAV file/,
    );
    expect(error.hint).toContain('RUSSO_MODE=conversation');
    await conversation.close();
  });

  it('ends the processes of conversations left open when the agent closes', async () => {
    const agent = fixtureAgent('echo');
    const conversation = await agent.converse();
    const pid = heard(await conversation.turn(turns[0]!)).pid as number;
    await agent.close();
    await expectGone([pid]);
    await expect(agent.converse()).rejects.toThrow('the agent was closed');
    await conversation.close();
  });

  it('says so when the program does not exist', async () => {
    const agent = new CommandAgent({ command: ['russo-no-such-agent-program'] });
    const conversation = await agent.converse();
    const error = await rejection(conversation.turn(turns[0]!));
    expect(error.message).toMatch(/cannot start the agent command `russo-no-such-agent-program`/);
    expect(error.hint).toContain('agent.command');
    await conversation.close();
  });
});
