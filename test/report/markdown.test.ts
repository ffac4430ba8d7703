import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { SuiteResult } from '../../src/suite/types.js';
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

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** Lines outside fenced code blocks, and whether every fence was closed. */
function outsideFences(markdown: string): { lines: string[]; balanced: boolean } {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^(`{3,})/.exec(line)?.[1];
    if (fence === undefined && marker) fence = marker;
    else if (fence !== undefined && line === fence) fence = undefined;
    else if (fence === undefined) lines.push(line);
  }
  return { lines, balanced: fence === undefined };
}

describe('renderMarkdown', () => {
  it('opens with the verdict and the counts behind it', () => {
    const failing = renderMarkdown(failingSuite());
    expect(failing.split('\n')[0]).toBe('### ❌ russo: gate failed');
    expect(failing).toContain('**11/18 runs passed (61.1%), 4 errored, 5 scenarios in 12.3 s**');
    expect(failing).toContain('- cancel reservation: pass rate 33.3% (2/6) is under 80%');
    const passing = renderMarkdown(passingSuite());
    expect(passing.split('\n')[0]).toBe('### ✅ russo: gate passed');
    expect(passing).not.toContain('Failing scenarios');
  });

  it('has one table row per scenario with rate, interval, counts and threshold', () => {
    const lines = renderMarkdown(failingSuite()).split('\n');
    const header = lines.findIndex((line) => line.startsWith('| | Scenario |'));
    expect(cells(lines[header]!)).toEqual([
      '',
      'Scenario',
      'Pass rate',
      '95% CI',
      'Runs',
      'Passed',
      'Failed',
      'Errored',
      'Min required',
    ]);
    const rows = lines.slice(header + 2, header + 7).map(cells);
    expect(rows[0]).toEqual(['✅', 'book a table', '87.5%', '[53–98%]', '8', '7', '1', '0', '80%']);
    expect(rows[1]).toEqual(['❌', 'cancel reservation', '33.3%', '[10–70%]', '6', '2', '4', '0', '80%']);
    expect(rows[3]).toEqual(['❌', 'flaky lookup', '—', '—', '3', '0', '0', '3', '80%']);
    // The hostile name keeps its row to 9 cells: its pipe is escaped, its HTML neutralized.
    expect(rows[4]).toHaveLength(9);
    expect(rows[4]![1]).toBe('hostile &lt;i&gt;name&lt;/i&gt; \\| \\`x\\`');
  });

  it('details failing scenarios: expectation, prompt, what was heard, and the diffs in a code block', () => {
    const markdown = renderMarkdown(failingSuite());
    const section = markdown.slice(
      markdown.indexOf('##### ❌ cancel reservation'),
      markdown.indexOf('##### ❌ flaky'),
    );
    expect(section).toContain('scenarios/cancel.yaml:1 · 33.3% passed (2/6), needs 80%');
    expect(section).toContain(
      '**Expected:** cancel\\_reservation({reservation\\_id: a string}); never book\\_table',
    );
    expect(section).toContain(
      '**Prompt:** Cancel my reservation for tonight · 33.3% passed (2/6), needs 80%',
    );
    expect(section).toContain('run 2 · kal16 · heard: “can sell my reservation for tonight”');
    expect(section).toContain(
      '```text\ncancel_reservation: reservation_id expected a string, got 1042\n' +
        '  expected: cancel_reservation({reservation_id: a string})\n' +
        '  actual:   cancel_reservation({reservation_id: 1042})\n```',
    );
    // Passing scenarios are not detailed, even with a failed run.
    expect(markdown).not.toContain('##### ❌ book a table');
    expect(markdown).not.toContain('party_size expected 2, got 3');
  });

  it('shows calls that broke their tool schema as invalid arguments, in full and in the short form', () => {
    const full = renderMarkdown(invalidArgumentsSuite());
    expect(full).toContain(
      [
        '```text',
        'invalid arguments for book_table: party_size must be integer, got "two"',
        '  actual:   book_table({party_size: "two", time: "19:00"})',
        'book_table: party_size expected 2, got "two"',
      ].join('\n'),
    );
    expect(full).toContain('invalid arguments for book_table: notes is not a parameter of the tool');
    // The worst-ranked reason leads the PR comment's line: invalid arguments before wrong arguments.
    expect(renderMarkdown(invalidArgumentsSuite(), { short: true })).toContain(
      '- ❌ **book with a tools file**: 33.3% passed (1/3), needs 80% · invalid arguments for book\\_table: party\\_size must be integer, got "two" (1 run)',
    );
  });

  it('groups runs that failed the same way', () => {
    const markdown = renderMarkdown(failingSuite());
    expect(markdown).toContain(
      'run 1 · kal16, run 3 · kal16\n\n```text\nerror: agent: timed out after 60 s\n```',
    );
  });

  it('lists the errors with their counts', () => {
    const markdown = renderMarkdown(failingSuite());
    expect(markdown).toContain('#### Errors (4 runs)');
    expect(markdown).toContain('| 2 | agent: timed out after 60 s |');
  });

  it('escapes everything that came from a model, an agent or a file', () => {
    const markdown = renderMarkdown(failingSuite());
    const { lines, balanced } = outsideFences(markdown);
    expect(balanced).toBe(true);
    const prose = lines.join('\n');
    expect(prose).not.toMatch(/<(?!br>)/);
    expect(prose).not.toContain('@octocat');
    expect(prose).not.toContain('#1<');
    expect(prose).toContain('@\u2060octocat');
    expect(prose).toContain(
      '**Prompt:** Say "hi" &amp; &lt;b&gt;bold&lt;/b&gt; \\| pipe \\`tick\\` @\u2060octocat #\u20601<br>then a second line',
    );
    // eslint-disable-next-line no-control-regex -- the test looks for raw control characters
    expect(prose).not.toMatch(/[\u0000\u0007\u001b]/);
    // The error holds ``` itself: its fence is longer, so the block still closes where it should.
    expect(markdown).toContain(
      `\`\`\`\`text\nerror: ${HOSTILE.error.replace('\u0000', '\\u0000')}\n\`\`\`\``,
    );
    const errorRow = lines.find((line) => line.startsWith('| 1 |') && line.includes('crashed'))!;
    expect(cells(errorRow)).toEqual([
      '1',
      'agent: crashed: &lt;img src=x onerror=alert(1)&gt; \\| \\\\u0000 \\`\\`\\`',
    ]);
  });

  it('renders an empty and a stopped suite', () => {
    expect(renderMarkdown(emptySuite())).toContain('no run was made');
    const stopped = renderMarkdown(stoppedSuite());
    expect(stopped).toContain('stopped early');
    expect(stopped).toContain('- the suite stopped early: agent: 401 Incorrect API key provided');
  });
});

describe('renderMarkdown short form', () => {
  it('keeps verdict and table, and gives each failing scenario one line with its main reason', () => {
    const short = renderMarkdown(failingSuite(), { short: true });
    expect(short).toContain('| ❌ | cancel reservation | 33.3% |');
    expect(short).toContain(
      '- ❌ **cancel reservation**: 33.3% passed (2/6), needs 80% · missing call cancel\\_reservation({reservation\\_id: a string}) (2 runs)',
    );
    expect(short).toContain(
      '- ❌ **flaky lookup**: no run completed, needs 80% · error: agent: timed out after 60 s (2 runs)',
    );
    expect(short).not.toContain('```');
    expect(short.length).toBeLessThan(renderMarkdown(failingSuite()).length / 1.5);
  });
});

describe('renderMarkdown maxLength', () => {
  // A suite big enough to need cutting: 60 copies of the failing scenario.
  const big = (): SuiteResult =>
    suiteResult(
      Array.from({ length: 60 }, (_, index) => {
        const result = cancelResult();
        return scenarioResult({ ...result.scenario, name: `cancel reservation ${index + 1}` }, result.runs);
      }),
    );

  it('cuts whole blocks, stays under the limit in UTF-8 bytes, and says where the rest is', () => {
    const full = renderMarkdown(big());
    for (const maxLength of [400, 2000, 10_000]) {
      const cut = renderMarkdown(big(), { maxLength, detailsUrl: 'https://example.test/run/1' });
      expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(maxLength);
      expect(cut).toMatch(
        /> ✂️ \d+ more lines left out to stay under the size limit: see \[the full report\]\(https:\/\/example\.test\/run\/1\)\.\n$/,
      );
      expect(outsideFences(cut).balanced).toBe(true);
      // What is kept is exactly a prefix of the full report, line for line.
      const kept = cut.slice(0, cut.lastIndexOf('\n\n> ✂️'));
      expect(full.startsWith(kept)).toBe(true);
      const tableRows = kept.split('\n').filter((line) => line.startsWith('| ✅') || line.startsWith('| ❌'));
      for (const row of tableRows) expect(cells(row)).toHaveLength(9);
    }
  });

  it('keeps the link to the full report whole', () => {
    const cut = renderMarkdown(big(), { maxLength: 2000, detailsUrl: 'https://example.test/a (b)/<c>' });
    expect(cut).toContain('[the full report](https://example.test/a%20%28b%29/%3Cc%3E)');
  });

  it('counts the lines it left out', () => {
    const full = renderMarkdown(big());
    const cut = renderMarkdown(big(), { maxLength: 5000 });
    const kept = cut.slice(0, cut.lastIndexOf('\n\n> ✂️'));
    const dropped = Number(/(\d+) more lines/.exec(cut)?.[1]);
    expect(kept.split('\n').length + dropped).toBeGreaterThanOrEqual(full.trimEnd().split('\n').length - 1);
    expect(kept.split('\n').length + dropped).toBeLessThanOrEqual(full.trimEnd().split('\n').length + 1);
  });

  it('leaves a report that fits untouched', () => {
    const result = suiteResult([bookTableResult()]);
    expect(renderMarkdown(result, { maxLength: 65_536 })).toBe(renderMarkdown(result));
  });
});

describe('renderMarkdown: consistency and the baseline', () => {
  it('has a consistency table with pass^k, flaky cells and the runs hint, and lists every flaky prompt', () => {
    const lines = renderMarkdown(failingSuite()).split('\n');
    const header = lines.findIndex((line) => line.startsWith('| Scenario | pass^k |'));
    expect(cells(lines[header]!)).toEqual([
      'Scenario',
      'pass^k',
      'Flaky cells',
      'Runs to see a 10-point drop (alpha 0.05)',
    ]);
    expect(cells(lines[header + 2]!)).toEqual(['book a table', '75% (k = 2)', '1 of 4', '226 (runs: 57)']);
    expect(lines).toContain('#### Flaky prompts (5)');
    expect(lines).toContain(
      '- **cancel reservation** › "Cancel my reservation for tonight" · kal16: 1 of 3 passed',
    );
    // The PR comment keeps the flaky prompts and leaves the consistency table to the full report.
    const short = renderMarkdown(failingSuite(), { short: true });
    expect(short).toContain('#### Flaky prompts (5)');
    expect(short).not.toContain('#### Consistency');
  });

  it('lists at most 10 flaky prompts in the PR comment', () => {
    const many = suiteResult(
      Array.from({ length: 12 }, (_, index) => {
        const result = cancelResult();
        return scenarioResult({ ...result.scenario, name: `cancel ${index + 1}` }, result.runs);
      }),
    );
    const short = renderMarkdown(many, { short: true });
    expect(short).toContain('#### Flaky prompts (24)');
    expect(short.split('\n').filter((line) => line.startsWith('- **cancel'))).toHaveLength(10);
    expect(short).toContain('- … and 14 more in the full report');
  });

  it('with a baseline: the Change column, significant changes first and in bold, the suite line and removed scenarios', () => {
    for (const short of [false, true]) {
      const lines = renderMarkdown(comparedSuite(), { short }).split('\n');
      expect(lines).toContain(
        "Against baseline.json: Barnard's exact test at alpha 0.05; a significant drop fails the gate.",
      );
      const header = lines.findIndex((line) => line.startsWith('| | Scenario |'));
      expect(cells(lines[header]!).slice(0, 5)).toEqual(['', 'Scenario', 'Pass rate', 'Change', '95% CI']);
      const rows = lines.slice(header + 2, header + 7).map(cells);
      expect(rows.map((row) => [row[1], row[3]])).toEqual([
        ['cancel reservation', '**▼ −66.7 pts from 100%, significant**'],
        ['book a table', '▼ −12.5 pts from 100%'],
        ['say goodbye', '0 pts from 50%'],
        ['flaky lookup', 'no completed run'],
        ['hostile &lt;i&gt;name&lt;/i&gt; \\| \\`x\\`', 'new'],
      ]);
      for (const row of rows) expect(row).toHaveLength(10);
      expect(lines).toContain('Removed since the baseline: retired scenario (100%, 2/2).');
      expect(lines).toContain(
        '- cancel reservation: pass rate fell from 100% (6/6) to 33.3% (2/6) against the baseline, a significant drop at alpha 0.05',
      );
    }
  });

  it('says when no baseline was found, and leaves the table as it is', () => {
    const markdown = renderMarkdown(missingBaselineSuite());
    expect(markdown).toContain(
      '\nNo baseline: gated on thresholds alone (no baseline stored for main yet).\n',
    );
    expect(
      markdown.replace('No baseline: gated on thresholds alone (no baseline stored for main yet).\n\n', ''),
    ).toBe(renderMarkdown(failingSuite()));
  });
});

describe('renderMarkdown with conversations', () => {
  /** The section of one failing scenario, up to the next. */
  const section = (markdown: string, name: string) => {
    const start = markdown.indexOf(`##### ❌ ${name}`);
    const end = markdown.indexOf('##### ', start + 1);
    return markdown.slice(start, end < 0 ? undefined : end);
  };

  it('lists what each turn expects', () => {
    const markdown = section(renderMarkdown(conversationSuite()), 'book at seven');
    expect(markdown).toContain(
      [
        '**Expected:**',
        '',
        '1. no call; reply contains any of "what time", "when"',
        '2. book\\_table({party\\_size: 2, time: matches /^19:00/}); never cancel\\_reservation; reply contains "R-17"',
        '3. no call',
      ].join('\n'),
    );
    // One conversation per scenario: no prompt line repeating the scenario's rate.
    expect(markdown).not.toContain('**Prompt:**');
  });

  it('shows a failed conversation as a transcript with the failed checks marked, once per way it failed', () => {
    const markdown = section(renderMarkdown(conversationSuite()), 'book at seven');
    expect(markdown).toContain(
      [
        'run 1 · kal16, run 2 · kal16 · the same way; transcript of run 1 · kal16',
        '',
        '```text',
        'turn 1 ✓ passed',
        '  caller said:   "I\'d like a table for two"',
        '  agent heard:   "i\'d like a table for two"',
        '  agent called:  (no calls)',
        '  agent replied: "For what time?"',
        'turn 2 ✗ failed',
        '  caller said:   "At seven tonight"',
        '  agent heard:   "at seven tonight"',
        '  agent called:  check_availability({time: "19:00"}) → no result mocked',
        `  agent replied: ${JSON.stringify(HOSTILE_REPLY)}`,
        '  ✗ missing call book_table({party_size: 2, time: matches /^19:00/})',
        `  ✗ the reply does not contain "R-17": ${JSON.stringify(HOSTILE_REPLY)}`,
        'turn 3 ✓ passed',
      ].join('\n'),
    );
    expect(markdown).toContain(['run 2 · slt', '', '```text', 'turn 1 ✓ passed'].join('\n'));
    expect(markdown).toContain(
      '  agent called:  book_table({party_size: 2, time: "19:00"}) → error: "no table free at 19:00"',
    );
    expect(markdown).toContain('  agent replied: (audio only)\n  ✗ the agent replied with audio only\n');
    // Passed runs have no transcript.
    expect(markdown).not.toContain('run 1 · slt');
  });

  it('shows the turn that errored and the turns skipped after it', () => {
    const markdown = section(renderMarkdown(conversationSuite()), 'change the party size');
    expect(markdown).toContain(
      [
        'turn 2 ✗ error',
        '  caller said:   "Actually, make it three"',
        `  ✗ error: ${SESSION_DROPPED}`,
        'turn 3 – skipped',
        '  caller said:   "Thank you"',
        '```',
      ].join('\n'),
    );
  });

  it('keeps the reply’s markup inside code blocks, and gives the PR comment the turn of the main reason', () => {
    const markdown = renderMarkdown(conversationSuite());
    const { lines, balanced } = outsideFences(markdown);
    expect(balanced).toBe(true);
    expect(lines.join('\n')).not.toContain('<script');
    const short = renderMarkdown(conversationSuite(), { short: true });
    expect(short).toContain(
      '- ❌ **book at seven**: 25% passed (1/4), needs 80% · turn 2: missing call book\\_table({party\\_size: 2, time: matches /^19:00/}) (2 runs)',
    );
    expect(short).toContain(`| 1 | turn 2: ${SESSION_DROPPED} |`);
    expect(short).not.toContain('<script');
  });
});
