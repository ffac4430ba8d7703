import { describe, expect, it } from 'vitest';
import { displayWidth, renderTerminal, truncate } from '../../src/report/terminal.js';
import {
  bookTableResult,
  cancelResult,
  comparedSuite,
  emptySuite,
  failingSuite,
  HOSTILE,
  invalidArgumentsSuite,
  missingBaselineSuite,
  passingSuite,
  scenarioResult,
  stoppedSuite,
  suiteResult,
} from '../fixtures/suite-result.js';
import { conversationSuite, HOSTILE_REPLY, SESSION_DROPPED } from '../fixtures/suite-result-conversations.js';

// eslint-disable-next-line no-control-regex -- the test looks for raw control characters
const ANSI = /\u001b\[[0-9;]*m/g;

describe('renderTerminal', () => {
  it('prints the scenario table with rate, interval, counts, threshold and a verdict per scenario', () => {
    const lines = renderTerminal(failingSuite(), { color: false }).split('\n');
    expect(lines[0]!.split(/\s{2,}/)).toEqual([
      'Scenario',
      'Pass rate',
      '95% CI',
      'Runs',
      'Passed',
      'Failed',
      'Errored',
      'Min',
    ]);
    expect(lines[1]!.split(/\s{2,}/)).toEqual([
      'book a table',
      '87.5%',
      '[53–98%]',
      '8',
      '7',
      '1',
      '0',
      '80%',
      '✓',
    ]);
    expect(lines[2]!.split(/\s{2,}/)).toEqual([
      'cancel reservation',
      '33.3%',
      '[10–70%]',
      '6',
      '2',
      '4',
      '0',
      '80%',
      '✗',
    ]);
    expect(lines[4]!.split(/\s{2,}/)).toEqual(['flaky lookup', '—', '—', '3', '0', '0', '3', '80%', '✗']);
    // Columns line up: every row is as wide as the header's widest cell allows.
    expect(new Set(lines.slice(1, 6).map((line) => displayWidth(line)))).toEqual(
      new Set([displayWidth(lines[1]!)]),
    );
  });

  it('lists failures of failing scenarios first, then counts the rest', () => {
    const text = renderTerminal(failingSuite(), { color: false, maxFailures: 3 });
    expect(text).toContain('Failures (3 of 7)');
    const failures = text.slice(text.indexOf('Failures'), text.indexOf('Errors'));
    expect(failures.match(/ {2}✗ /g)).toHaveLength(3);
    expect(failures).toContain(
      '  ✗ cancel reservation › "Cancel my reservation for tonight" · run 2 · kal16',
    );
    expect(failures).toContain('      heard: "can sell my reservation for tonight"');
    expect(failures).toContain('      forbidden call book_table({party_size: 2, time: "19:00"})');
    expect(failures).not.toContain('book a table ›');
    expect(failures).toContain('  … and 4 more failed runs (see the JSON or HTML report)');
  });

  it('shows expected and actual calls of a wrong call', () => {
    const text = renderTerminal(suiteResult([bookTableResult()]), { color: false });
    expect(text).toContain(
      [
        '      book_table: party_size expected 2, got 3',
        '        expected: book_table({party_size: 2, time: matches /^19:00/})',
        '        actual:   book_table({party_size: 3, time: "19:00"})',
      ].join('\n'),
    );
  });

  it('shows a call that broke its tool schema as invalid arguments, with the call as made', () => {
    const text = renderTerminal(invalidArgumentsSuite(), { color: false, width: 200 });
    expect(text).toContain(
      [
        '      invalid arguments for book_table: party_size must be integer, got "two"',
        '        actual:   book_table({party_size: "two", time: "19:00"})',
        '      book_table: party_size expected 2, got "two"',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        '      invalid arguments for book_table: notes is not a parameter of the tool (its schema allows no other keys)',
        '        actual:   book_table({party_size: 2, time: "19:00", notes: "by the window"})',
      ].join('\n'),
    );
  });

  it('groups errors and ends with the verdict and its reasons', () => {
    const text = renderTerminal(failingSuite(), { color: false });
    expect(text).toContain('Errors (4 runs)\n  2× agent: timed out after 60 s\n');
    const tail = text.trimEnd().split('\n').slice(-4);
    expect(tail[0]).toBe('✗ gate failed: 11/18 runs passed (61.1%), 4 errored, 5 scenarios in 12.3 s');
    expect(tail[1]).toBe('  • cancel reservation: pass rate 33.3% (2/6) is under 80%');
    expect(renderTerminal(passingSuite(), { color: false }).trimEnd().split('\n').at(-1)).toBe(
      '✓ gate passed: 8/10 runs passed (80%), 2 scenarios in 12.3 s',
    );
    expect(renderTerminal(stoppedSuite(), { color: false })).toContain('stopped early');
    expect(renderTerminal(emptySuite(), { color: false })).toContain(
      '✗ gate failed: 0/0 runs passed (—), 0 scenarios',
    );
  });

  it('colours only when asked', () => {
    const plain = renderTerminal(failingSuite(), { color: false });
    expect(plain).not.toContain('\u001b');
    const coloured = renderTerminal(failingSuite(), { color: true });
    expect(coloured).toContain('\u001b[31m');
    expect(coloured).toContain('\u001b[32m✓\u001b[0m');
    expect(coloured.replace(ANSI, '')).toBe(plain);
  });

  it('never lets text from a model move the cursor or recolour the terminal', () => {
    const text = renderTerminal(failingSuite(), { color: false, width: 200 });
    // eslint-disable-next-line no-control-regex -- the test looks for raw control characters
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(text).toContain('heard: "heard \\u0007bell \\u001b[31mred\\u001b[0m ]]> \\uffff end"');
    expect(text).toContain('1× agent: crashed: <img src=x onerror=alert(1)> | \\u0000 ```');
  });

  it('fits every line in the width, cutting long names and prompts', () => {
    const longName = 'a scenario whose name goes on and on about booking tables for large parties';
    const result = suiteResult([
      scenarioResult({ ...cancelResult().scenario, name: longName }, cancelResult().runs),
      bookTableResult(),
    ]);
    for (const width of [50, 60, 80, 120]) {
      const text = renderTerminal(result, { color: true, width, maxFailures: 2 });
      for (const line of text.split('\n'))
        expect(displayWidth(line.replace(ANSI, ''))).toBeLessThanOrEqual(width);
      expect(text).toContain('a scenario whose name');
      expect(text).toContain('…');
    }
    expect(renderTerminal(result, { color: false, width: 300 })).toContain(longName);
    // Narrow terminals get short headers, then lose the interval column before any number is cut.
    expect(renderTerminal(result, { color: false, width: 60 }).split('\n')[0]).toMatch(
      /^Scenario +Rate +CI +Runs +Pass +Fail +Err +Min$/,
    );
    expect(renderTerminal(result, { color: false, width: 50 }).split('\n')[0]).toMatch(
      /^Scenario +Rate +Runs +Pass +Fail +Err +Min$/,
    );
  });

  it('cuts nothing without a width (a log or a pipe)', () => {
    const longName = `a scenario whose name goes on ${'and on '.repeat(30)}about booking tables`;
    const result = suiteResult([
      scenarioResult({ ...cancelResult().scenario, name: longName }, cancelResult().runs),
    ]);
    const text = renderTerminal(result, { color: false });
    expect(text).not.toContain('…');
    expect(text).toContain(`  ✗ ${longName} › "Cancel my reservation for tonight" · run 2 · kal16\n`);
    expect(text).toContain(`  • ${longName}: pass rate 33.3% (2/6) is under 80%`);
  });
});

describe('renderTerminal with conversations', () => {
  it('lists each failed conversation with every turn’s verdict, and under a failed turn what was heard and why', () => {
    const text = renderTerminal(conversationSuite(), { color: false, width: 200 });
    expect(text).toContain(
      [
        '  ✗ book at seven · run 1 · kal16',
        '      ✓ turn 1 "I\'d like a table for two"',
        '      ✗ turn 2 "At seven tonight"',
        '        heard: "at seven tonight"',
        '        missing call book_table({party_size: 2, time: matches /^19:00/})',
        `        the reply does not contain "R-17": ${JSON.stringify(HOSTILE_REPLY)}`,
        '      ✓ turn 3 "Thanks, that is all"',
      ].join('\n'),
    );
    expect(text).toContain('        the agent replied with audio only');
    expect(text).toContain(
      [
        '      ✗ turn 3 "Thank you"',
        '        heard: "thank you"',
        '        unexpected call end_call({}): no call was expected',
      ].join('\n'),
    );
    // Passed conversations are not listed; the errored one is counted with its turn.
    expect(text).not.toContain('book over three turns ·');
    expect(text).toContain(`Errors (1 run)\n  1× turn 2: ${SESSION_DROPPED}`);
  });

  it('colours a failed turn red and fits every line in the width', () => {
    const coloured = renderTerminal(conversationSuite(), { color: true, width: 200 });
    expect(coloured).toContain('\u001b[31m      ✗ turn 2 "At seven tonight"\u001b[0m');
    const plain = renderTerminal(conversationSuite(), { color: false });
    expect(coloured.replace(ANSI, '')).toBe(
      renderTerminal(conversationSuite(), { color: false, width: 200 }),
    );
    for (const width of [50, 80]) {
      const text = renderTerminal(conversationSuite(), { color: true, width });
      for (const line of text.split('\n'))
        expect(displayWidth(line.replace(ANSI, ''))).toBeLessThanOrEqual(width);
    }
    expect(plain).toContain('      ✓ turn 1 "I\'d like a table for two"');
  });
});

describe('truncate and displayWidth', () => {
  it('count wide characters as two columns and combining marks as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('予約する')).toBe(8);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('🍽️ table')).toBe(8);
  });

  it('cut to the width with an ellipsis, never splitting a character', () => {
    expect(truncate('book a table', 20)).toBe('book a table');
    expect(truncate('book a table', 6)).toBe('book …');
    expect(truncate('予約する', 5)).toBe('予約…');
    expect(displayWidth(truncate('予約する', 5))).toBeLessThanOrEqual(5);
    expect(truncate('😀😀😀', 4)).toBe('😀…');
  });
});

describe('renderTerminal: consistency and the baseline', () => {
  it('prints pass^k, flaky cells and the runs a 10-point drop needs, then each flaky prompt', () => {
    const lines = renderTerminal(failingSuite(), { color: false, width: 200 }).split('\n');
    const header = lines.findIndex((line) => line.startsWith('Consistency'));
    expect(lines[header]!.split(/\s{2,}/)).toEqual([
      'Consistency',
      'k',
      'pass^k',
      'Flaky cells',
      'Runs for a 10-pt drop',
    ]);
    expect(lines[header + 1]!.split(/\s{2,}/)).toEqual([
      'book a table',
      '2',
      '75%',
      '1 of 4',
      '226 (runs: 57)',
    ]);
    expect(lines[header + 4]!.split(/\s{2,}/)).toEqual(['flaky lookup', '3', '—', '—', '—']);
    expect(lines).toContain('Flaky prompts (passed and failed in one voice)');
    expect(lines).toContain(
      '  cancel reservation › "Cancel my reservation for tonight" · slt: 1 of 3 passed',
    );
    // The consistency comes after the scenario table and before the failures.
    expect(header).toBeGreaterThan(lines.indexOf(lines.find((line) => line.startsWith('hostile'))!));
    expect(header).toBeLessThan(lines.indexOf('Failures'));
    expect(lines.join('\n')).not.toMatch(/baseline/i);
  });

  it('with a baseline: a Change column, significant changes first, the suite line, removed scenarios', () => {
    const lines = renderTerminal(comparedSuite(), { color: false, width: 200 }).split('\n');
    expect(lines[0]).toBe(
      "Against baseline.json: Barnard's exact test at alpha 0.05; a significant drop fails the gate.",
    );
    expect(lines[2]!.split(/\s{2,}/).slice(0, 4)).toEqual(['Scenario', 'Pass rate', 'Change', '95% CI']);
    expect(lines.slice(3, 8).map((line) => line.split(/\s{2,}/).slice(0, 3))).toEqual([
      ['cancel reservation', '33.3%', '▼ −66.7 pts from 100%, significant'],
      ['book a table', '87.5%', '▼ −12.5 pts from 100%'],
      ['say goodbye', '50%', '0 pts from 50%'],
      ['flaky lookup', '—', 'no completed run'],
      [HOSTILE.scenarioName.replace(/\s+/g, ' '), '50%', 'new'],
    ]);
    expect(lines[8]).toBe(
      'Suite over 3 compared scenarios: ▼ −31.3 pts from 93.8% (p = 0.045, significant).',
    );
    expect(lines[9]).toBe('Removed since the baseline: retired scenario (100%, 2/2).');
    expect(lines).toContain(
      '  • cancel reservation: pass rate fell from 100% (6/6) to 33.3% (2/6) against the baseline, a significant drop at alpha 0.05',
    );
    const coloured = renderTerminal(comparedSuite(), { color: true, width: 200 });
    // eslint-disable-next-line no-control-regex -- the colour codes are what is checked
    expect(coloured).toMatch(/\u001b\[31m *▼ −66\.7 pts from 100%, significant\u001b\[0m/);
  });

  it('says when a baseline was asked for and none was found, and keeps the table as it is', () => {
    const text = renderTerminal(missingBaselineSuite(), { color: false, width: 200 });
    const lines = text.split('\n');
    expect(lines[0]).toBe('No baseline: gated on thresholds alone (no baseline stored for main yet).');
    expect(lines.slice(2).join('\n')).toBe(renderTerminal(failingSuite(), { color: false, width: 200 }));
  });
});
