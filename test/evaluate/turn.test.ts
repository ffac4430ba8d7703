import { describe, expect, it } from 'vitest';
import type { AgentResponse, JudgeRequest, ReplyJudge, ToolCall } from '../../src/core/types.js';
import { TurnEvaluator } from '../../src/evaluate/index.js';

const call = (name: string, args: Record<string, unknown> = {}): ToolCall => ({ name, arguments: args });
const context = { index: 1, say: 'Two people please' };

describe('TurnEvaluator', () => {
  it('grades the calls against the turn expect, then the reply, every failure with its turn', () => {
    const evaluator = new TurnEvaluator({
      expect: [{ name: 'book_table', arguments: { party_size: 2 } }],
      reply: { contains: ['Booked'] },
    });
    const result = evaluator.grade({ toolCalls: [], text: 'At what time?' }, context);
    expect(result).toMatchObject({ passed: false, matchRate: 0 });
    expect(
      'failures' in result && result.failures.map((failure) => [failure.kind, failure.turn, failure.message]),
    ).toEqual([
      ['missing', 1, 'missing call book_table({party_size: 2})'],
      ['reply', 1, 'the reply does not contain "Booked": "At what time?"'],
    ]);
  });

  it('`expect: []` requires no call; no expect grades no call, but forbid still applies', () => {
    const made: AgentResponse = { toolCalls: [call('get_opening_hours')], text: 'We open at noon.' };
    expect(new TurnEvaluator({ expect: [] }).grade(made, context)).toMatchObject({ passed: false });
    expect(new TurnEvaluator({}).grade(made, context)).toMatchObject({
      passed: true,
      matchRate: 1,
      failures: [],
    });
    const forbidden = new TurnEvaluator({ forbid: ['get_opening_hours'] }).grade(made, context);
    expect(forbidden).toMatchObject({
      passed: false,
      forbidden: [call('get_opening_hours')],
      failures: [{ kind: 'forbidden', turn: 1, message: 'forbidden call get_opening_hours({})' }],
    });
  });

  it('takes the scenario match options and the tools validator', () => {
    const strict = new TurnEvaluator(
      { expect: [{ name: 'book_table', arguments: { party_size: 2 } }] },
      { arguments: 'exact' },
    );
    expect(
      strict.grade({ toolCalls: [call('book_table', { party_size: 2, time: '19:00' })] }, context),
    ).toMatchObject({ passed: false, failures: [{ kind: 'wrong_arguments' }] });
  });

  it('asks the judge with what the caller said, the calls and results of the turn and the reply', async () => {
    const asked: JudgeRequest[] = [];
    const judge: ReplyJudge = {
      id: 'test',
      async judge(request) {
        asked.push(request);
        return request.reply.includes('how many')
          ? { pass: true, reason: 'asks for the party size' }
          : { pass: false, reason: 'asks for the time' };
      },
    };
    const evaluator = new TurnEvaluator({ reply: { judge: 'asks for the party size' } }, { judge });
    const exchange = { call: call('check'), outcome: { result: true } };
    await expect(
      evaluator.grade(
        { toolCalls: [call('check')], toolResults: [exchange], text: 'For how many?' },
        context,
      ),
    ).resolves.toMatchObject({ passed: true });
    const failed = await evaluator.grade({ toolCalls: [], text: 'At what time?' }, context);
    expect(failed.failures[0]?.message).toBe(
      'the reply does not meet "asks for the party size" (judge: asks for the time): "At what time?"',
    );
    expect(asked[0]).toEqual({
      criterion: 'asks for the party size',
      reply: 'For how many?',
      said: 'Two people please',
      toolResults: [exchange],
    });
    // A reply that cannot be read fails without asking the judge.
    const audioOnly = await evaluator.grade({ toolCalls: [], replyAudioOnly: true }, context);
    expect(audioOnly.failures.map((failure) => failure.message)).toEqual([
      'the agent replied with audio only: there is no reply text to check',
    ]);
    expect(asked).toHaveLength(2);
  });

  it('refuses a judge check without a judge, and an invalid reply check', () => {
    expect(() => new TurnEvaluator({ reply: { judge: 'is polite' } })).toThrow(/no judge was given/);
    expect(() => new TurnEvaluator({ reply: { regex: '(' } })).toThrow(/invalid regex/);
  });
});
