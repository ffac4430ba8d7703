import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  noticeSummary,
  problemsSummary,
  SUMMARY_LIMIT_BYTES,
  suiteSummary,
  writeJobSummary,
} from '../../src/github/summary.js';
import type { ScenarioResult } from '../../src/suite/types.js';
import {
  cancelResult,
  comparedSuite,
  failingSuite,
  HOSTILE,
  invalidArgumentsSuite,
  missingBaselineSuite,
  passingSuite,
  stoppedSuite,
  suiteResult,
} from '../fixtures/suite-result.js';
import { conversationSuite, SESSION_DROPPED } from '../fixtures/suite-result-conversations.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** The cells of every row of the first table, as text between the cell tags. */
function tableRows(html: string): string[][] {
  const table = html.match(/<table>(.*?)<\/table>/s)![1]!;
  return [...table.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1]!.matchAll(/<t[hd]>(.*?)<\/t[hd]>/gs)].map((cell) => cell[1]!),
  );
}

/** Markup that must never come out of text that a model, an agent or a file supplied. */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<script|<img|<i>|<b>bold/i);
  const invisible = [...html].filter((char) => {
    const code = char.codePointAt(0)!;
    return (code < 0x20 && char !== '\n') || code === 0x7f || (code >= 0x202a && code <= 0x202e);
  });
  expect(invisible).toEqual([]);
  // A blank line would end GitHub's HTML block and turn the rest into markdown.
  expect(html).not.toMatch(/\n[ \t]*\n/);
}

describe('suiteSummary', () => {
  it('puts the verdict first, then the gate failures and errors', () => {
    const html = suiteSummary(failingSuite());
    expect(html.startsWith('<h2>❌ russo: failed</h2>')).toBe(true);
    expect(html).toContain('11/18 runs passed (61.1%), 4 errored, 5 scenarios');
    const failures = failingSuite().gate.failures;
    expect(failures[0]!.message).toMatch(/^[\w :.%()/]+$/);
    expect(html).toContain(`<ul><li>${failures[0]!.message}</li>`);
    expect(html).toContain('<li>agent: timed out after 60 s (×2)</li>');
    expect(suiteSummary(passingSuite()).startsWith('<h2>✅ russo: passed</h2>')).toBe(true);
    expect(suiteSummary(stoppedSuite()).startsWith('<h2>⚠️ russo: error</h2>')).toBe(true);
  });

  it('shows calls that broke their tool schema as invalid arguments in the why column', () => {
    const html = suiteSummary(invalidArgumentsSuite());
    expect(html).toContain(
      '<code>invalid arguments for book_table: party_size must be integer, got &quot;two&quot;</code><br>' +
        '<code>  actual:   book_table({party_size: &quot;two&quot;, time: &quot;19:00&quot;})</code>',
    );
    expect(html).toContain(
      '<code>invalid arguments for book_table: notes is not a parameter of the tool (its schema allows no other keys)</code>',
    );
    expectInert(html);
  });

  it('says what the providers did: speech, requests, throttles, cost', () => {
    const providers = {
      requests: 40,
      retries: 5,
      throttles: 5,
      estimatedCostUsd: 1.5,
      synthesis: { requests: 8, cacheHits: 32 },
      concurrency: { max: 8, lowest: 4 },
    };
    expect(suiteSummary({ ...passingSuite(), providers })).toContain(
      '<p>speech: 8 synthesized, 32 from cache · provider: 40 requests, 5 retries, 5 throttled (concurrency lowered to 4 of 8) · est. cost $1.50</p>',
    );
  });

  it('has one table row per scenario with its rate, counts and threshold', () => {
    const rows = tableRows(suiteSummary(failingSuite()));
    expect(rows[0]).toEqual([
      'Result',
      'Scenario',
      'Pass rate',
      'Runs',
      'Passed',
      'Failed',
      'Errored',
      'Min required',
    ]);
    expect(rows).toHaveLength(6);
    expect(rows.every((row) => row.length === 8)).toBe(true);
    expect(rows[2]).toEqual([
      '❌',
      'cancel reservation<br><code>scenarios/cancel.yaml:1</code>',
      '33.3% [10–70%]',
      '6',
      '2',
      '4',
      '0',
      '80%',
    ]);
    expect(rows[4]!.slice(0, 3)).toEqual(['❌', 'flaky lookup<br><code>scenarios/flaky.yaml:1</code>', '—']);
    expect(rows[4]!.slice(6)).toEqual(['3', '80%']);
  });

  it('keeps hostile names, prompts, transcripts, arguments and errors inert', () => {
    const html = suiteSummary(failingSuite());
    expectInert(html);
    const hostileRow = tableRows(html).find((row) => row[1]!.includes('hostile'))!;
    // The `|` in the name and file splits no cell: the row still has its 8 cells.
    expect(hostileRow).toHaveLength(8);
    expect(hostileRow[1]).toBe(
      'hostile &lt;i&gt;name&lt;/i&gt; | `x`<br><code>scenarios/weird|name.yaml:1</code>',
    );
    expect(html).toContain('note({text: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;');
    expect(html).toContain('heard \\u0007bell \\u001b[31mred');
    expect(html).toContain(
      'Say &quot;hi&quot; &amp; &lt;b&gt;bold&lt;/b&gt; | pipe `tick` @octocat #1<br>then a second line',
    );
    expect(html).toContain('crashed: &lt;img src=x onerror=alert(1)&gt; | \\u0000 ```');
    expect(HOSTILE.script).toBe('<script>alert(1)</script>');
  });

  it('opens a collapsible section for each scenario that failed or errored, with what the agent heard and did', () => {
    const html = suiteSummary(failingSuite());
    const sections = [...html.matchAll(/<details><summary>(.*?)<\/summary>/g)].map((match) => match[1]);
    expect(sections).toHaveLength(5);
    expect(sections[1]).toBe('❌ <b>cancel reservation</b>: 33.3% passed (2/6), needs 80%');
    const cancel = html.match(/<details><summary>❌ <b>cancel reservation.*?<\/details>/)![0];
    expect(cancel).toContain(
      '<td>run 2 · kal16</td><td>can sell my reservation for tonight</td><td><code>(no calls)</code></td>',
    );
    expect(cancel).toContain('<code>cancel_reservation: reservation_id expected a string, got 1042</code>');
    expect(cancel).not.toContain('  - reservation_id expected a string');
    expect(suiteSummary(passingSuite())).not.toContain('❌');
  });

  it('says how many failing expectations are not annotated, and where the report is', () => {
    const html = suiteSummary(failingSuite(), {
      annotations: { errors: { shown: 9, hidden: 4 }, warnings: { shown: 2, hidden: 0 } },
      reportPath: 'russo-report/report.html',
      cacheNote: 'restored russo-audio-abc (exact)',
    });
    expect(html).toContain(
      '15 failing expectations: the worst 11 are annotated at their lines; 4 more are in the step log',
    );
    expect(html).toContain('Full report: <code>russo-report/report.html</code>');
    expect(html).toContain('Audio cache: restored russo-audio-abc (exact)');
    expect(
      suiteSummary(failingSuite(), {
        annotations: { errors: { shown: 3, hidden: 0 }, warnings: { shown: 0, hidden: 0 } },
      }),
    ).not.toContain('failing expectations');
  });

  it('lists the reports that could not be written, escaped, and points at no report that is not there', () => {
    const missingReports = [
      { file: 'out/report.json', error: 'ENOSPC (no space left on device)' },
      { file: 'out/<b>bold</b>.html', error: 'ENOTDIR (not a directory)' },
    ];
    const html = suiteSummary(passingSuite(), { missingReports });
    expect(html).toContain(
      '<p><b>Reports not written:</b> <code>out/report.json</code> (ENOSPC (no space left on device)); ' +
        '<code>out/&lt;b&gt;bold&lt;/b&gt;.html</code> (ENOTDIR (not a directory)).</p>',
    );
    expect(html).not.toContain('Full report:');
    expectInert(html);
    // Cut to its limit, the summary says the full report is missing instead of asking for report-dir.
    const many = Array.from({ length: 200 }, (_, index) => ({
      ...cancelResult(),
      scenario: { ...cancelResult().scenario, name: `s${index}` },
    }));
    const cut = suiteSummary(suiteResult(many), { missingReports, limitBytes: 40_000 });
    expect(cut).toContain('not shown. The full report could not be written (see above).</p>');
    expect(cut).not.toContain('report-dir');
  });

  it('stays under 1 MiB on a huge suite: the table and sections that fit, then a note and the report', () => {
    const huge = Array.from({ length: 3000 }, (_, index): ScenarioResult => {
      const result = cancelResult();
      for (const run of result.runs)
        if (run.response) run.response.transcript = `${index} ${'blah '.repeat(400)}`;
      return { ...result, scenario: { ...result.scenario, name: `cancel reservation ${index}` } };
    });
    const html = suiteSummary(suiteResult(huge), { reportPath: 'russo-report/report.html' });
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(Buffer.byteLength(html)).toBeGreaterThan(SUMMARY_LIMIT_BYTES * 0.9);
    expect(html.startsWith('<h2>')).toBe(true);
    expect(tableRows(html).length).toBeGreaterThan(100);
    expect(html).toMatch(
      /<b>Summary cut to stay under GitHub's 1 MiB limit:<\/b> (\d+ scenario rows and )?the details of \d+ scenarios not shown\. Full report: <code>russo-report\/report.html<\/code>/,
    );
    // A transcript is clipped in its cell, so one long run cannot fill the summary.
    expect(html).not.toContain('blah '.repeat(250));
    expectInert(html);
  });

  it('cuts table rows too when the limit is small, and always keeps the verdict', () => {
    const many = Array.from({ length: 200 }, (_, index) => ({
      ...cancelResult(),
      scenario: { ...cancelResult().scenario, name: `s${index}` },
    }));
    const html = suiteSummary(suiteResult(many), { limitBytes: 40_000 });
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(40_000);
    const rows = tableRows(html).length - 1;
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(200);
    const note = html.match(/(\d+) scenario rows and the details of (\d+) scenarios not shown/)!;
    expect(Number(note[1])).toBe(200 - rows);
    expect(Number(note[2])).toBe(200 - (html.match(/<details>/g) ?? []).length);
    expect(html).toContain('Set the <code>report-dir</code> input to write the full report.');
  });
});

describe('suiteSummary with conversations', () => {
  it('shows each failed or errored conversation as its transcript, turn by turn, inert', () => {
    const html = suiteSummary(conversationSuite());
    expectInert(html);
    const booking = html.match(/<details><summary>❌ <b>book at seven.*?<\/details>/)![0];
    expect(booking).toContain(
      '<p><b>Conversation</b> (<code>scenarios/conversations/book-at-seven.yaml:3</code>), 3 turns: I&#39;d like a table for two</p>' +
        '<table><tr><th>Run</th><th>Transcript</th></tr><tr><td>run 1 · kal16</td><td><code>turn 1 ✓ passed</code><br>',
    );
    expect(booking).toContain(
      '<code>turn 2 ✗ failed</code><br><code>  caller said:   &quot;At seven tonight&quot;</code><br>' +
        '<code>  agent heard:   &quot;at seven tonight&quot;</code><br>' +
        '<code>  agent called:  check_availability({time: &quot;19:00&quot;}) → no result mocked</code><br>' +
        '<code>  agent replied: &quot;&lt;script&gt;alert(1)&lt;/script&gt; Sorry, something went wrong.&quot;</code><br>' +
        '<code>  ✗ missing call book_table({party_size: 2, time: matches /^19:00/})</code><br>',
    );
    expect(booking).toContain(
      '<code>  agent replied: (audio only)</code><br><code>  ✗ the agent replied with audio only</code>',
    );
    expect(booking).not.toContain('run 1 · slt');
    const dropped = html.match(/<details><summary>❌ <b>change the party size.*?<\/details>/)![0];
    expect(dropped).toContain(
      `<code>turn 2 ✗ error</code><br><code>  caller said:   &quot;Actually, make it three&quot;</code><br>` +
        `<code>  ✗ error: ${SESSION_DROPPED}</code><br><code>turn 3 – skipped</code>`,
    );
    expect(html).toContain(`<li>turn 2: ${SESSION_DROPPED} (×1)</li>`);
  });
});

describe('problemsSummary and noticeSummary', () => {
  it('lists each problem at its place, escaped', () => {
    const html = problemsSummary([
      {
        file: 'scenarios/a.yaml',
        line: 4,
        column: 7,
        message: 'unknown key "<b>expct</b>"',
        hint: 'did you mean expect?',
      },
      { file: 'command line', line: 0, column: 0, message: 'no scenario file matches "x"' },
    ]);
    expect(html.startsWith('<h2>⚠️ russo: error</h2>')).toBe(true);
    const rows = tableRows(html);
    expect(rows[1]).toEqual([
      '<code>scenarios/a.yaml:4:7</code>',
      'unknown key &quot;&lt;b&gt;expct&lt;/b&gt;&quot;',
      'did you mean expect?',
    ]);
    expect(rows[2]).toEqual(['<code>command line</code>', 'no scenario file matches &quot;x&quot;', '—']);
  });

  it('says why a run was skipped', () => {
    expect(noticeSummary('skipped', 'OPENAI_API_KEY is not set <fork>')).toBe(
      '<h2>⏭️ russo: skipped</h2>\n<p>OPENAI_API_KEY is not set &lt;fork&gt;</p>\n',
    );
  });
});

describe('writeJobSummary', () => {
  it('appends to the file GITHUB_STEP_SUMMARY names', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'russo-summary-')), 'summary.md');
    writeFileSync(file, 'earlier step\n');
    vi.stubEnv('GITHUB_STEP_SUMMARY', file);
    await writeJobSummary('<h2>x</h2>\n');
    expect(readFileSync(file, 'utf8')).toBe('earlier step\n<h2>x</h2>\n');
  });

  it('only logs when there is no summary file (not on a runner)', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', '');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
    await writeJobSummary('<h2>x</h2>');
    expect(lines.join('')).toContain('No job summary written: GITHUB_STEP_SUMMARY is not set');
  });
});

describe('suiteSummary: the baseline and flaky prompts', () => {
  it('lists the flaky prompts with their pass counts, and keeps the table as it is', () => {
    const html = suiteSummary(failingSuite());
    expect(html).toContain(
      '<p><b>Flaky: 5 of 8 prompt × voice cells both passed and failed (62.5%)</b> (prompt in one voice: passed of completed runs):</p>',
    );
    expect(html).toContain(
      '<li>cancel reservation › &quot;Cancel my reservation for tonight&quot; · kal16: 1 of 3 passed</li>',
    );
    expect(tableRows(html)[0]).toEqual([
      'Result',
      'Scenario',
      'Pass rate',
      'Runs',
      'Passed',
      'Failed',
      'Errored',
      'Min required',
    ]);
    expect(html).not.toMatch(/baseline/i);
    expectInert(html);
  });

  it('with a baseline: a Change column, significant changes first and in bold, the removed scenarios', () => {
    const html = suiteSummary(comparedSuite(), { baselineNote: 'restored russo-baseline@main@.@abc' });
    expect(html).toContain(
      '<p>Against baseline.json: Barnard&#39;s exact test at alpha 0.05; a significant drop fails the gate.</p>',
    );
    const rows = tableRows(html);
    expect(rows[0]!.slice(2, 5)).toEqual(['Pass rate', 'Change', 'Runs']);
    expect(rows.slice(1).map((row) => [row[1]!.split('<br>')[0], row[3]])).toEqual([
      ['cancel reservation', '<b>▼ −66.7 pts from 100%, significant</b>'],
      ['book a table', '▼ −12.5 pts from 100%'],
      ['say goodbye', '0 pts from 50%'],
      ['flaky lookup', 'no completed run'],
      ['hostile &lt;i&gt;name&lt;/i&gt; | `x`', 'new'],
    ]);
    for (const row of rows) expect(row).toHaveLength(9);
    expect(html).toContain('<p>Removed since the baseline: retired scenario (100%, 2/2).</p>');
    expect(html).toContain('Baseline: restored russo-baseline@main@.@abc');
    expect(html).toContain(
      '<li>cancel reservation: pass rate fell from 100% (6/6) to 33.3% (2/6) against the baseline, a significant drop at alpha 0.05</li>',
    );
    expectInert(html);
  });

  it('says when there was no baseline to compare with', () => {
    expect(suiteSummary(missingBaselineSuite())).toContain(
      '<p>No baseline: gated on thresholds alone (no baseline stored for main yet).</p>',
    );
  });
});
