import { describe, expect, it } from 'vitest';
import { FunctionAgent, type TurnFunction } from '../../src/agents/function.js';
import { AgentError, FatalProviderError } from '../../src/core/errors.js';
import { runConversation, type ConversationTurn } from '../../src/core/pipeline.js';
import { createRedactor } from '../../src/core/redact.js';
import type {
  Agent,
  AgentConversation,
  Audio,
  ReplyJudge,
  Synthesizer,
  ToolCall,
  TurnOptions,
} from '../../src/core/types.js';
import { compileToolResults, TurnEvaluator, type TurnExpectation } from '../../src/evaluate/index.js';

// The caller's lines, spoken as tones whose length tells which line it is: the agent can only
// "understand" the audio, never read the text.
const LINES = ["I'd like to book a table", 'Two people please', 'At seven tonight', 'Thanks'];
const spoken: string[] = [];
const toneSynthesizer: Synthesizer = {
  id: 'tone',
  async synthesize(text) {
    spoken.push(text);
    const index = LINES.indexOf(text);
    if (index < 0) throw new Error(`cannot speak "${text}"`);
    return { pcm: new Int16Array(160 * (index + 1)).fill(4000), sampleRate: 16000 };
  },
};
const heard = (audio: Audio) => LINES[audio.pcm.length / 160 - 1] ?? '?';

/** A slot-filling dialog: asks for the party size, then the time, then books (its calls answered by russo). */
const dialog: TurnFunction = (audio, options, conversation) => {
  const line = heard(audio);
  const { state } = conversation;
  if (line === 'Two people please') state.people = 2;
  if (line === 'At seven tonight') state.time = '19:00';
  if (state.people === undefined) return { toolCalls: [], text: 'For how many people?', transcript: line };
  if (state.time === undefined) return { toolCalls: [], text: 'At what time?', transcript: line };
  const call: ToolCall = { name: 'book_table', arguments: { party_size: state.people, time: state.time } };
  const outcome = options.respond?.(call) ?? { missing: 'no responder' };
  const reference = 'result' in outcome ? (outcome.result as { reference: string }).reference : 'none';
  return {
    toolCalls: [call],
    toolResults: [{ call, outcome }],
    text: `Booked, reference ${reference}.`,
    transcript: line,
  };
};

const turn = (say: string, expectation: TurnExpectation): ConversationTurn => ({
  say,
  grader: new TurnEvaluator(expectation),
});
const BOOKING = [
  turn("I'd like to book a table", { expect: [], reply: { containsAny: ['how many', 'people'] } }),
  turn('Two people please', { expect: [], reply: { regex: 'what time' } }),
  turn('At seven tonight', {
    expect: [{ name: 'book_table', arguments: { party_size: 2, time: '19:00' } }],
    reply: { contains: ['R-17'] },
  }),
];
const respond = compileToolResults({
  book_table: [{ when: { party_size: 2 }, result: { reference: 'R-17' } }],
});

/** An agent around a turn function that counts the sessions it opened and closed. */
function counted(fn: TurnFunction) {
  const agent = new FunctionAgent({ turn: fn });
  const sessions = { opened: 0, closed: 0 };
  const converse = agent.converse?.bind(agent);
  const counting: Agent = {
    id: agent.id,
    run: (audio, options) => agent.run(audio, options),
    async converse(options) {
      const session = (await converse?.(options)) as AgentConversation;
      sessions.opened++;
      return {
        turn: (audio, turnOptions) => session.turn(audio, turnOptions),
        async close() {
          sessions.closed++;
          await session.close();
        },
      };
    },
  };
  return { agent: counting, sessions };
}

describe('runConversation', () => {
  it('plays every turn in one session, grades each, and merges them into the run', async () => {
    const { agent, sessions } = counted(dialog);
    const result = await runConversation({ turns: BOOKING, synthesizer: toneSynthesizer, agent, respond });
    expect(result.status).toBe('passed');
    expect(result.prompt).toBe("I'd like to book a table");
    expect(result.turns?.map((t) => [t.index, t.say, t.status, t.response?.text])).toEqual([
      [0, "I'd like to book a table", 'passed', 'For how many people?'],
      [1, 'Two people please', 'passed', 'At what time?'],
      [2, 'At seven tonight', 'passed', 'Booked, reference R-17.'],
    ]);
    const booking = { name: 'book_table', arguments: { party_size: 2, time: '19:00' } };
    expect(result.response).toEqual({
      toolCalls: [booking],
      toolResults: [{ call: booking, outcome: { result: { reference: 'R-17' } } }],
      text: 'Booked, reference R-17.',
      transcript: 'At seven tonight',
    });
    expect(result.evalResult).toMatchObject({ passed: true, matchRate: 1, failures: [] });
    expect(sessions).toEqual({ opened: 1, closed: 1 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(result.turns?.[2]?.latencyMs ?? Infinity);
  });

  it('gives the agent only audio and the responder, never the text', async () => {
    const seen: Array<[Audio, TurnOptions]> = [];
    const agent = new FunctionAgent({
      turn(audio, options) {
        seen.push([audio, options]);
        return [];
      },
    });
    await runConversation({ turns: BOOKING.slice(0, 2), synthesizer: toneSynthesizer, agent, respond });
    expect(seen.map(([, options]) => Object.keys(options).sort())).toEqual([
      ['respond', 'signal'],
      ['respond', 'signal'],
    ]);
    expect(seen.map(([audio]) => heard(audio))).toEqual(["I'd like to book a table", 'Two people please']);
  });

  it('goes on after a failed turn; the failures name their turn and calls keep their place', async () => {
    const early = [
      BOOKING[0] as ConversationTurn,
      turn('Two people please', {
        expect: [{ name: 'book_table', arguments: { party_size: 2 } }],
        reply: { contains: ['Booked'] },
      }),
      BOOKING[2] as ConversationTurn,
      turn('Thanks', { expect: [{ name: 'book_table' }] }),
    ];
    const agent = new FunctionAgent({
      turn: (audio, options, conversation) =>
        heard(audio) === 'Thanks'
          ? [
              { name: 'book_table', arguments: { n: 1 } },
              { name: 'book_table', arguments: { n: 2 } },
            ]
          : dialog(audio, options, conversation),
    });
    const result = await runConversation({ turns: early, synthesizer: toneSynthesizer, agent, respond });
    expect(result.status).toBe('failed');
    expect(result.turns?.map((t) => t.status)).toEqual(['passed', 'failed', 'passed', 'failed']);
    expect(result.evalResult?.failures.map((f) => [f.turn, f.kind, f.message])).toEqual([
      [1, 'missing', 'turn 2: missing call book_table({party_size: 2})'],
      [1, 'reply', 'turn 2: the reply does not contain "Booked": "At what time?"'],
      [3, 'extra', 'turn 4: extra call book_table({n: 2})'],
    ]);
    // The turn's own verdict says its turn without the prefix.
    expect(result.turns?.[1]?.evalResult?.failures[0]).toMatchObject({
      turn: 1,
      message: 'missing call book_table({party_size: 2})',
    });
    // Calls are indexed in the merged list: turn 3 made call 0, turn 4 made calls 1 and 2.
    expect(result.response?.toolCalls).toHaveLength(3);
    expect(result.evalResult?.calls.map((match) => match.actualIndex)).toEqual([undefined, 0, 1]);
    expect(result.evalResult?.matchRate).toBeCloseTo((1 + 0 + 1 + 1) / 4);
  });

  it('ends the conversation at a turn whose session died: later turns skipped, the run an error', async () => {
    const { agent, sessions } = counted((audio, options, conversation) => {
      if (conversation.turn === 1)
        throw new AgentError("the agent's session ended before turn 2: exit code 1");
      return dialog(audio, options, conversation);
    });
    const result = await runConversation({ turns: BOOKING, synthesizer: toneSynthesizer, agent, respond });
    expect(result).toMatchObject({
      status: 'error',
      error: "turn 2: agent: the agent's session ended before turn 2: exit code 1",
    });
    expect(result.turns?.map((t) => [t.status, t.error])).toEqual([
      ['passed', undefined],
      ['error', "agent: the agent's session ended before turn 2: exit code 1"],
      ['skipped', undefined],
    ]);
    expect(result.evalResult).toBeUndefined();
    expect(result.response?.text).toBe('For how many people?');
    expect(sessions).toEqual({ opened: 1, closed: 1 });
  });

  it('times the whole conversation: a turn that hangs errors with the timeout and the session is closed', async () => {
    const { agent, sessions } = counted((audio, options, conversation) =>
      conversation.turn === 1 ? new Promise<never>(() => undefined) : dialog(audio, options, conversation),
    );
    const result = await runConversation({
      turns: BOOKING,
      synthesizer: toneSynthesizer,
      agent,
      respond,
      timeoutMs: 50,
    });
    expect(result.error).toBe('turn 2: agent: timed out after 50 ms');
    expect(result.turns?.map((t) => t.status)).toEqual(['passed', 'error', 'skipped']);
    expect(sessions).toEqual({ opened: 1, closed: 1 });
  });

  it('stops at a cancel between turns', async () => {
    const controller = new AbortController();
    const cancelling: ConversationTurn = {
      say: "I'd like to book a table",
      grader: {
        grade(response, context) {
          controller.abort();
          return new TurnEvaluator({}).grade(response, context);
        },
      },
    };
    const result = await runConversation({
      turns: [cancelling, ...BOOKING.slice(1)],
      synthesizer: toneSynthesizer,
      agent: new FunctionAgent({ turn: dialog }),
      respond,
      signal: controller.signal,
    });
    expect(result.status).toBe('error');
    expect(result.error).toBe('turn 2: synthesize: cancelled');
    expect(result.turns?.map((t) => t.status)).toEqual(['passed', 'error', 'skipped']);
  });

  it('speaks each turn as it comes: a synthesis failure is the error of its turn', async () => {
    const { agent, sessions } = counted(dialog);
    const result = await runConversation({
      turns: [BOOKING[0] as ConversationTurn, turn('Something it cannot say', {})],
      synthesizer: toneSynthesizer,
      agent,
    });
    expect(result.error).toBe('turn 2: synthesize: cannot speak "Something it cannot say"');
    expect(sessions).toEqual({ opened: 1, closed: 1 });
  });

  it('a judge that fails is the error of its turn; a fatal one marks the run fatal', async () => {
    const judge: ReplyJudge = {
      id: 'broken',
      judge: async () => {
        throw new FatalProviderError('OpenAI judge: 401 Incorrect API key');
      },
    };
    const result = await runConversation({
      turns: [
        {
          say: "I'd like to book a table",
          grader: new TurnEvaluator({ reply: { judge: 'asks' } }, { judge }),
        },
      ],
      synthesizer: toneSynthesizer,
      agent: new FunctionAgent({ turn: dialog }),
    });
    expect(result).toMatchObject({
      status: 'error',
      fatal: true,
      error: 'turn 1: evaluate: OpenAI judge: 401 Incorrect API key',
    });
    // The agent answered: its reply is kept.
    expect(result.turns?.[0]?.response?.text).toBe('For how many people?');
  });

  it('is an error of turn 1 for an agent that cannot hold a conversation', async () => {
    const result = await runConversation({
      turns: BOOKING,
      synthesizer: toneSynthesizer,
      agent: new FunctionAgent(() => []),
    });
    expect(result.error).toBe(
      'turn 1: agent: function:anonymous cannot hold a conversation: it has no converse()',
    );
    expect(result.turns?.map((t) => t.status)).toEqual(['error', 'skipped', 'skipped']);
    await expect(
      runConversation({ turns: [], synthesizer: toneSynthesizer, agent: new FunctionAgent(() => []) }),
    ).rejects.toThrow(RangeError);
  });

  it('closes a session that opens only after the run gave up on it', async () => {
    let closed = 0;
    let open: (session: AgentConversation) => void = () => undefined;
    const agent: Agent = {
      id: 'slow',
      run: async () => ({ toolCalls: [] }),
      converse: () => new Promise<AgentConversation>((resolve) => (open = resolve)),
    };
    const result = await runConversation({
      turns: BOOKING,
      synthesizer: toneSynthesizer,
      agent,
      timeoutMs: 20,
    });
    expect(result.error).toBe('turn 1: agent: timed out after 20 ms');
    const late = new Promise<void>((resolve) =>
      open({
        turn: async () => ({ toolCalls: [] }),
        close: async () => {
          closed++;
          resolve();
        },
      }),
    );
    await late;
    expect(closed).toBe(1);
  });

  it('redacts every turn: responses, tool results and errors', async () => {
    const SECRET = 'sk-live-0123456789abcdef';
    const redact = createRedactor([SECRET]);
    const agent = new FunctionAgent({
      turn(_audio, _options, conversation) {
        if (conversation.turn === 1) throw new Error(`bad key ${SECRET}`);
        const call = { name: 'lookup', arguments: { key: SECRET } };
        return {
          toolCalls: [call],
          toolResults: [{ call, outcome: { result: SECRET } }],
          text: `your key is ${SECRET}`,
        };
      },
    });
    const result = await runConversation({
      turns: BOOKING.slice(0, 2).map(({ say }) => turn(say, {})),
      synthesizer: toneSynthesizer,
      agent,
      redact,
    });
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(result.turns?.[0]?.response?.text).toBe('your key is [redacted]');
    expect(result.turns?.[0]?.response?.toolResults?.[0]?.outcome).toEqual({ result: '[redacted]' });
    expect(result.error).toBe('turn 2: agent: bad key [redacted]');
  });
});

describe('FunctionAgent conversations', () => {
  it('keeps one state per conversation and numbers the turns; a closed one refuses turns', async () => {
    const agent = new FunctionAgent({
      turn(_audio, _options, conversation) {
        conversation.state.count = ((conversation.state.count as number | undefined) ?? 0) + 1;
        return {
          toolCalls: [],
          text: `${conversation.id}:${conversation.turn}:${String(conversation.state.count)}`,
        };
      },
    });
    const audio = { pcm: new Int16Array(160), sampleRate: 16000 };
    const first = await agent.converse?.();
    const second = await agent.converse?.();
    const texts = [
      (await first?.turn(audio))?.text,
      (await first?.turn(audio))?.text,
      (await second?.turn(audio))?.text,
    ];
    expect(texts).toEqual(['1:0:1', '1:1:2', '2:0:1']);
    await first?.close();
    await expect(first?.turn(audio)).rejects.toThrow(/closed/);
    // A single prompt is a conversation of one turn of its own.
    expect((await agent.run(audio)).text).toBe('3:0:1');
  });

  it('has no converse when it is a bare function, and takes `run` for single prompts when given', async () => {
    expect(new FunctionAgent(() => []).converse).toBeUndefined();
    const agent = new FunctionAgent({ run: () => [{ name: 'single', arguments: {} }], turn: () => [] });
    expect((await agent.run({ pcm: new Int16Array(1), sampleRate: 16000 })).toolCalls[0]?.name).toBe(
      'single',
    );
    expect(() => new FunctionAgent({})).toThrow(TypeError);
  });
});

it('spoke only the turns, to the synthesizer', () => {
  expect(new Set(spoken)).toEqual(new Set([...LINES.slice(0, 4), 'Something it cannot say']));
});
