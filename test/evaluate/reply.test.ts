import { describe, expect, it } from 'vitest';
import { checkReplyExpectation, ReplyChecker } from '../../src/evaluate/index.js';

const reply = (text: string) => ({ text });
const messages = (checker: ReplyChecker, text: string) =>
  checker.grade(reply(text)).map((failure) => failure.message);

describe('reply checks', () => {
  it('contains: every text must appear, and the failure names the ones that do not', () => {
    const checker = new ReplyChecker({ contains: ['Booked', 'R-42'] });
    expect(messages(checker, 'Booked: a table for 4, reference R-42.')).toEqual([]);
    expect(messages(checker, 'Booked, reference R-17.')).toEqual([
      'the reply does not contain "R-42": "Booked, reference R-17."',
    ]);
    expect(messages(checker, 'Sorry.')).toEqual(['the reply does not contain "Booked", "R-42": "Sorry."']);
  });

  it('contains_any: one of the texts is enough', () => {
    const checker = new ReplyChecker({ containsAny: ['how many', 'people'] });
    expect(messages(checker, 'For how many?')).toEqual([]);
    expect(messages(checker, 'How many people?')).toEqual([]);
    expect(messages(checker, 'I can help with that')).toEqual([
      'the reply does not contain any of "how many", "people": "I can help with that"',
    ]);
  });

  it('not_contains: none of the texts may appear', () => {
    const checker = new ReplyChecker({ notContains: ['reference', 'Booked'] });
    expect(messages(checker, 'Sorry, I could not book.')).toEqual([]);
    expect(messages(checker, 'Booked, reference R-1')).toEqual([
      'the reply contains "reference", "Booked": "Booked, reference R-1"',
    ]);
  });

  it('regex: the reply must match; ignore_case applies to it and to the texts', () => {
    expect(messages(new ReplyChecker({ regex: 'what time|when' }), 'At What time?')).toEqual([
      'the reply does not match /what time|when/: "At What time?"',
    ]);
    expect(
      messages(new ReplyChecker({ regex: 'what time|when', ignoreCase: true }), 'At What time?'),
    ).toEqual([]);
    const folded = new ReplyChecker({ contains: ['BOOKED'], notContains: ['sorry'], ignoreCase: true });
    expect(messages(folded, 'booked!')).toEqual([]);
    expect(messages(folded, 'Sorry, not booked')).toEqual([
      'the reply contains "sorry" (ignoring case): "Sorry, not booked"',
    ]);
    // Case matters without ignore_case.
    expect(messages(new ReplyChecker({ contains: ['BOOKED'] }), 'booked!')).toHaveLength(1);
  });

  it('gives one failure per check that does not hold, each with the whole reply text', () => {
    const long = `Sorry, ${'really '.repeat(40)}sorry.`;
    const failures = new ReplyChecker({ contains: ['Booked'], regex: '^Booked' }).grade(reply(long));
    expect(failures.map((failure) => failure.kind)).toEqual(['reply', 'reply']);
    expect(failures.every((failure) => failure.replyText === long)).toBe(true);
    // The message shows the start of a long reply only.
    expect(failures[0]?.message.length).toBeLessThan(long.length);
    expect(failures[0]?.message).toMatch(/…"?$/);
  });

  it('never passes a reply it cannot read: audio only, or no text at all', () => {
    const checker = new ReplyChecker({ notContains: ['reference'] });
    expect(checker.grade({ text: 'a transcript of something else', replyAudioOnly: true })).toEqual([
      {
        kind: 'reply',
        diffs: [],
        message: 'the agent replied with audio only: there is no reply text to check',
      },
    ]);
    expect(checker.grade({}).map((failure) => failure.message)).toEqual([
      'the agent gave no reply text to check',
    ]);
    expect(checker.grade({ text: '  ' })).toHaveLength(1);
  });

  it('judge: takes the verdict it is given, and says the reason when it fails', () => {
    const checker = new ReplyChecker({ judge: 'asks for the party size' });
    expect(checker.needsJudge).toBe(true);
    expect(checker.grade(reply('For how many people?'), { pass: true, reason: 'it asks' })).toEqual([]);
    expect(
      checker.grade(reply('At what time?'), { pass: false, reason: 'it asks for the time instead' })[0]
        ?.message,
    ).toBe(
      'the reply does not meet "asks for the party size" (judge: it asks for the time instead): "At what time?"',
    );
    expect(() => checker.grade(reply('At what time?'))).toThrow(/without a verdict/);
  });
});

describe('checkReplyExpectation', () => {
  it('finds a check that checks nothing, an invalid regex and empty texts', () => {
    expect(checkReplyExpectation({ ignoreCase: true }).map((problem) => problem.message)).toEqual([
      'the reply check checks nothing',
    ]);
    expect(checkReplyExpectation({ regex: '(' })).toMatchObject([
      { path: ['regex'], message: expect.stringMatching(/^invalid regex: /) },
    ]);
    expect(checkReplyExpectation({ contains: ['ok', ''] })).toMatchObject([{ path: ['contains', 1] }]);
    expect(checkReplyExpectation({ contains: ['ok'], regex: '^ok$' })).toEqual([]);
    expect(() => new ReplyChecker({ regex: '[' })).toThrow(/invalid reply check: invalid regex/);
  });
});
