import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import {
  allErroredResult,
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
import { conversationSuite, SESSION_DROPPED } from '../fixtures/suite-result-conversations.js';

/** Tags that open minus tags that close, per element name (void elements excluded): all zero when balanced. */
function unbalancedTags(html: string): Record<string, number> {
  const open: Record<string, number> = {};
  for (const [, slash, name] of html.matchAll(/<(\/?)([a-z][a-z0-9]*)\b[^>]*>/g)) {
    if (['meta', 'br', 'link', 'img', 'input', 'hr'].includes(name!)) continue;
    open[name!] = (open[name!] ?? 0) + (slash ? -1 : 1);
  }
  return Object.fromEntries(Object.entries(open).filter(([, count]) => count !== 0));
}

describe('renderHtml', () => {
  it('is one self-contained page: inline CSS, no script, nothing loaded from elsewhere', () => {
    for (const result of [
      failingSuite(),
      passingSuite(),
      stoppedSuite(),
      emptySuite(),
      conversationSuite(),
    ]) {
      const html = renderHtml(result);
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toContain('<style>');
      const tags = [...html.matchAll(/<[a-z][^>]*>/gi)].map((tag) => tag[0]);
      expect(
        tags.filter((tag) => /^<(script|link|img|iframe|object|embed)\b|\s(src|on\w+)=/i.test(tag)),
      ).toEqual([]);
      expect(tags.filter((tag) => /\shref="(?!#)/.test(tag))).toEqual([]);
      const style = html.slice(html.indexOf('<style>'), html.indexOf('</style>'));
      expect(style).not.toMatch(/@import|url\(/);
      expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
      expect(unbalancedTags(html)).toEqual({});
    }
  });

  it('shows each scenario’s pass rate and interval, and per-run rows with voice, status, transcript, calls and latency', () => {
    const html = renderHtml(failingSuite());
    expect(html).toContain('<h1 class="failed">✗ russo: gate failed</h1>');
    expect(html).toMatch(
      /<td><a href="#scenario-1">book a table<\/a><\/td><td class="num">.*87\.5%<\/td><td class="num">\[53–98%\]<\/td>/,
    );
    expect(html).toContain('<details class="scenario" id="scenario-1">');
    expect(html).toContain('<details class="scenario" id="scenario-2" open>');
    const section = html.slice(html.indexOf('id="scenario-2"'), html.indexOf('id="scenario-3"'));
    expect(section.match(/<tr class="(passed|failed|error)">/g)).toHaveLength(6);
    // A failed run's row, then a row as wide as the table: why in one line, the calls and diffs on a click.
    expect(section).toContain(
      '<tr class="failed"><td>Cancel my reservation for tonight</td><td>slt</td><td class="num">3</td>' +
        '<td><span class="failed">failed</span></td>' +
        '<td>cancel my reservation for tonight</td><td><pre>cancel_reservation({reservation_id: 1042})</pre></td><td class="num">1.1 s</td></tr>\n' +
        '<tr class="reason"><td colspan="7"><details><summary class="failed">cancel_reservation: reservation_id expected a string, got 1042</summary>' +
        '<pre>cancel_reservation: reservation_id expected a string, got 1042\n' +
        '  expected: cancel_reservation({reservation_id: a string})\n' +
        '  actual:   cancel_reservation({reservation_id: 1042})</pre></details></td></tr>',
    );
    // Every reason of a run is in its line; a reason with nothing more to show opens on nothing.
    expect(section).toContain(
      '<tr class="reason"><td colspan="7"><details><summary class="failed">forbidden call book_table({party_size: 2, time: &quot;19:00&quot;}); ' +
        'missing call cancel_reservation({reservation_id: a string})</summary>',
    );
    expect(section).toContain(
      '<tr class="reason"><td colspan="7"><div class="failed">extra call send_email({to: &quot;guest@example.com&quot;})</div></td></tr>',
    );
    // A passed run has its row alone.
    expect(section.match(/<tr class="reason">/g)).toHaveLength(4);
    expect(section).toContain(
      'Expected: <code>cancel_reservation({reservation_id: a string}); never book_table</code>',
    );
    expect(section).toContain('33.3% passed (2/6), needs 80% · 95% CI [10–70%]');
  });

  it('shows calls that broke their tool schema as invalid arguments in the run rows', () => {
    const html = renderHtml(invalidArgumentsSuite());
    expect(html).toContain(
      '<pre>invalid arguments for book_table: party_size must be integer, got &quot;two&quot;\n' +
        '  actual:   book_table({party_size: &quot;two&quot;, time: &quot;19:00&quot;})',
    );
    expect(html).toContain('invalid arguments for book_table: notes is not a parameter of the tool');
  });

  it('shows errored runs with their error and the error groups', () => {
    const html = renderHtml(failingSuite());
    expect(html).toContain('<h2>Errors (4 runs)</h2>');
    expect(html).toContain('<tr><td class="num">2</td><td>agent: timed out after 60 s</td></tr>');
    expect(html).toContain('<td><span class="error">error</span></td>');
    expect(html).toContain(
      '<tr class="reason"><td colspan="7"><div class="error">error: agent: HTTP 503 Service Unavailable</div></td></tr>',
    );
  });

  it('puts an error of many lines on one line in the run’s reason, and whole under it', () => {
    const base = allErroredResult();
    const error =
      'agent: exited with code 1: Traceback:\n  File "<agent>", line 3\n<script>alert(1)</script>';
    const runs = base.runs.map((run) => ({ ...run, error }));
    const html = renderHtml(suiteResult([scenarioResult(base.scenario, runs)]));
    expect(html).toContain(
      '<details><summary class="error">error: agent: exited with code 1: Traceback: ↵ File &quot;&lt;agent&gt;&quot;, line 3 ↵ &lt;script&gt;alert(1)&lt;/script&gt;</summary>' +
        '<pre>error: agent: exited with code 1: Traceback:\n  File &quot;&lt;agent&gt;&quot;, line 3\n&lt;script&gt;alert(1)&lt;/script&gt;</pre></details>',
    );
    expect(html).not.toContain('<script>');
  });

  it('escapes everything from a model, an agent or a file', () => {
    const html = renderHtml(failingSuite());
    expect(html).not.toContain(HOSTILE.script);
    expect(html).not.toContain('<b>bold');
    expect(html).not.toContain('<i>name');
    expect(html).toContain(
      'note({text: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;, quote: &quot;\\&quot;&#39;&amp;&quot;})',
    );
    expect(html).toContain('✗ hostile &lt;i&gt;name&lt;/i&gt; | `x`</h2>');
    expect(html).toContain('Say &quot;hi&quot; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('error: agent: crashed: &lt;img src=x onerror=alert(1)&gt; | \\u0000 ```');
    expect(html).toContain('heard \\u0007bell \\u001b[31mred\\u001b[0m ]]&gt; \\uffff end');
    // eslint-disable-next-line no-control-regex -- the test looks for raw control characters
    expect(html).not.toMatch(/[\u0000\u0007\u001b\uffff]/);
  });
});

describe('renderHtml: consistency and the baseline', () => {
  it('has a consistency table and the flaky prompts, escaped', () => {
    const html = renderHtml(failingSuite());
    expect(html).toContain(
      '<tr><td>book a table</td><td class="num">75% (k = 2)</td><td class="num">1 of 4</td><td class="num">226 (runs: 57)</td></tr>',
    );
    expect(html).toContain('<th class="num">Runs to see a 10-point drop (alpha 0.05)</th>');
    expect(html).toContain('<p>Flaky prompts (5):</p>');
    expect(html).toContain(
      '<li><b>hostile &lt;i&gt;name&lt;/i&gt; | `x`</b> › &quot;Say &quot;hi&quot; &amp; &lt;b&gt;bold&lt;/b&gt;',
    );
    expect(html).not.toContain('<th>Change</th>');
    expect(html).not.toMatch(/baseline/i);
  });

  it('with a baseline: the Change column with significant changes first, each row still linked to its section', () => {
    const html = renderHtml(comparedSuite());
    expect(html).toContain(
      '<p class="muted">Against baseline.json: Barnard&#39;s exact test at alpha 0.05; a significant drop fails the gate.</p>',
    );
    expect(html).toContain('<th class="num">Pass rate</th><th>Change</th><th class="num">95% CI</th>');
    const rows = [
      ...html.matchAll(/<tr><td class="(?:passed|failed)">.<\/td><td><a href="#scenario-(\d)">([^<]*)/g),
    ];
    expect(rows.map((row) => [row[1], row[2]])).toEqual([
      ['2', 'cancel reservation'],
      ['1', 'book a table'],
      ['3', 'say goodbye'],
      ['4', 'flaky lookup'],
      ['5', 'hostile &lt;i&gt;name&lt;/i&gt; | `x`'],
    ]);
    expect(html).toContain('33.3%</td><td class="failed">▼ −66.7 pts from 100%, significant</td>');
    expect(html).toContain('87.5%</td><td>▼ −12.5 pts from 100%</td>');
    expect(html).toContain('<p>Removed since the baseline: retired scenario (100%, 2/2).</p>');
    expect(unbalancedTags(html)).toEqual({});
    expect(renderHtml(missingBaselineSuite())).toContain(
      '<p class="muted">No baseline: gated on thresholds alone (no baseline stored for main yet).</p>',
    );
  });
});

describe('renderHtml with conversations', () => {
  /** The section of one scenario, up to the next. */
  const section = (html: string, name: string) => {
    const start = html.indexOf(`${name}</h2>`);
    const end = html.indexOf('<details class="scenario"', start);
    return html.slice(start, end < 0 ? undefined : end);
  };

  it('stays one balanced page without scripts', () => {
    const html = renderHtml(conversationSuite());
    expect(unbalancedTags(html)).toEqual({});
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Sorry, something went wrong.');
  });

  it('lists each turn’s expectation and gives every run its turns’ verdicts', () => {
    const html = section(renderHtml(conversationSuite()), 'book at seven');
    expect(html).toContain(
      '<ol class="expected"><li><code>no call; reply contains any of &quot;what time&quot;, &quot;when&quot;</code></li>' +
        '<li><code>book_table({party_size: 2, time: matches /^19:00/}); never cancel_reservation; reply contains &quot;R-17&quot;</code></li>' +
        '<li><code>no call</code></li></ol>',
    );
    expect(html).toContain(
      '<thead><tr><th>Conversation</th><th>Voice</th><th class="num">Run</th><th>Status</th><th>Turns</th><th class="num">Latency</th></tr></thead>',
    );
    expect(html).toContain(
      '<tr class="failed"><td>I&#39;d like a table for two</td><td>kal16</td><td class="num">1</td><td><span class="failed">failed</span></td>' +
        '<td class="marks"><span class="passed">✓</span> <span class="failed">✗</span> <span class="passed">✓</span></td>',
    );
  });

  it('shows each conversation as a transcript, open when it did not pass, with the failed checks marked', () => {
    const html = section(renderHtml(conversationSuite()), 'book at seven');
    expect(html).toContain(
      '<details open><summary class="muted">transcript of run 1 · kal16</summary><table class="transcript">\n' +
        '<thead><tr><th>Turn</th><th>Caller said</th><th>Agent heard</th><th>Calls → mocked results</th><th>Agent replied</th></tr></thead>',
    );
    expect(html).toContain(
      '<tr class="turn failed"><td class="failed">✗ 2</td><td>At seven tonight</td><td>at seven tonight</td>' +
        '<td><pre>check_availability({time: &quot;19:00&quot;}) → no result mocked</pre></td>' +
        '<td>&lt;script&gt;alert(1)&lt;/script&gt; Sorry, something went wrong.</td></tr>\n' +
        '<tr class="checks"><td></td><td colspan="4"><pre class="failed">✗ missing call book_table({party_size: 2, time: matches /^19:00/})\n' +
        '✗ the reply does not contain &quot;R-17&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt; Sorry, something went wrong.&quot;</pre></td></tr>',
    );
    expect(html).toContain(
      '<td><pre>book_table({party_size: 2, time: &quot;19:00&quot;}) → error: &quot;no table free at 19:00&quot;</pre></td><td><span class="muted">(audio only)</span></td>',
    );
    expect(html).toContain(
      '<td class="passed">✓ 1</td><td>I&#39;d like a table for two</td><td>i&#39;d like a table for two</td><td><pre>(no calls)</pre></td>',
    );
    expect(html).toContain('<details><summary class="muted">transcript of run 1 · slt</summary>');
  });

  it('shows the turn that errored and the turns skipped after it', () => {
    const html = section(renderHtml(conversationSuite()), 'change the party size');
    expect(html).toContain(
      '<tr class="turn error"><td class="error">✗ 2</td><td>Actually, make it three</td><td colspan="3" class="muted">no response</td></tr>\n' +
        `<tr class="checks"><td></td><td colspan="4"><pre class="error">✗ error: ${SESSION_DROPPED}</pre></td></tr>\n` +
        '<tr class="turn skipped"><td class="muted">– 3</td><td>Thank you</td><td colspan="3" class="muted">skipped</td></tr>',
    );
    expect(html).toContain('<span class="error">✗</span> <span class="muted">–</span>');
  });

  it('says the error of a conversation that ended before any turn held it', () => {
    const result = conversationSuite();
    const dropped = result.scenarios[2]!;
    const [first] = dropped.runs;
    const neverStarted = {
      ...first!,
      error: 'agent: could not open a <session>',
      turns: first!.turns!.map((turn) => ({
        index: turn.index,
        say: turn.say,
        status: 'skipped' as const,
        latencyMs: 0,
      })),
    };
    const html = renderHtml(suiteResult([scenarioResult(dropped.scenario, [neverStarted])]));
    expect(html).toContain(
      '<summary class="muted">transcript of run 1 · kal16</summary><pre class="error">error: agent: could not open a &lt;session&gt;</pre><table class="transcript">',
    );
  });
});
