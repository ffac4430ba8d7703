import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/core/stats.js';
import {
  escapeHtml,
  escapeMarkdown,
  escapeXml,
  markdownFence,
  showControls,
} from '../../src/report/escape.js';
import { evaluate } from '../../src/evaluate/index.js';
import { failureLines } from '../../src/report/failures.js';
import { formatCall } from '../../src/report/format.js';
import { formatDuration, formatInterval, formatRate, plural } from '../../src/report/numbers.js';

describe('numbers', () => {
  it('prints rates with at most one decimal and — for none', () => {
    expect(formatRate(0.875)).toBe('87.5%');
    expect(formatRate(0.8)).toBe('80%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(2 / 3)).toBe('66.7%');
    expect(formatRate(null)).toBe('—');
  });

  it('prints a Wilson interval in whole percents', () => {
    expect(formatInterval(wilsonInterval(7, 8))).toBe('[53–98%]');
    expect(formatInterval(wilsonInterval(0, 5))).toBe('[0–43%]');
    expect(formatInterval(null)).toBe('—');
  });

  it('prints durations in the unit people read', () => {
    expect(formatDuration(812.4)).toBe('812 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(null)).toBe('—');
    expect(plural(1, 'run')).toBe('1 run');
    expect(plural(3, 'run')).toBe('3 runs');
  });
});

describe('formatCall', () => {
  it('describes expected calls with the evaluator’s matcher words and actual calls as values', () => {
    expect(
      formatCall({ name: 'book_table', arguments: { party_size: 2, time: { regex: '^19' } } }, 'expected'),
    ).toBe('book_table({party_size: 2, time: matches /^19/})');
    expect(formatCall({ name: 'hang_up' }, 'expected')).toBe('hang_up(any arguments)');
    expect(formatCall({ name: 'book_table', arguments: { 'party size': 3 } })).toBe(
      'book_table({"party size": 3})',
    );
  });

  it('shows a spec the evaluator cannot read as a value instead of throwing', () => {
    expect(formatCall({ name: 'f', arguments: { x: { regex: '(' } } }, 'expected')).toBe(
      'f({x: {regex: "("}})',
    );
  });
});

describe('escaping', () => {
  it('makes control and bidi characters visible, keeping the ones asked for', () => {
    expect(showControls('a\u0007b\u001b[31m\u202e\n')).toBe('a\\u0007b\\u001b[31m\\u202e\\u000a');
    expect(showControls('a\tb\n', '\t\n')).toBe('a\tb\n');
    expect(showControls('lone \ud800 pair 😀')).toBe('lone \\ud800 pair 😀');
  });

  it('escapes XML text and attributes, and no character XML 1.0 forbids survives', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    expect(escapeXml('line\nnext\ttab')).toBe('line\nnext\ttab');
    expect(escapeXml('line\nnext\ttab', 'attribute')).toBe('line&#10;next&#9;tab');
    expect(escapeXml('\u0000\u0008\u000b\u000c\u001f\ufffe\uffff\udc00')).toBe(
      '\\u0000\\u0008\\u000b\\u000c\\u001f\\ufffe\\uffff\\udc00',
    );
  });

  it('escapes HTML so that no tag or attribute can open', () => {
    expect(escapeHtml(`<script>alert(1)</script>"'&`)).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;',
    );
  });

  it('escapes markdown so that a cell never splits and nothing renders as markup or a mention', () => {
    const escaped = escapeMarkdown('a | b `c` *d* _e_ [f](g) <b>h</b> & @octocat #12\nline2 \\');
    expect(escaped).toBe(
      'a \\| b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) &lt;b&gt;h&lt;/b&gt; &amp; @\u2060octocat #\u206012<br>line2 \\\\',
    );
    // Every pipe in the output is escaped, so a table row keeps its cells.
    expect(escaped.replace(/\\\|/g, '')).not.toContain('|');
  });

  it('fences code with more backticks than the text holds', () => {
    expect(markdownFence('plain')).toBe('```\nplain\n```');
    expect(markdownFence('has ``` inside', 'text')).toBe('````text\nhas ``` inside\n````');
    expect(markdownFence('`````')).toBe('``````\n`````\n``````');
  });
});

describe('failureLines', () => {
  it('lists only the argument differences that the message does not already name', () => {
    const result = evaluate(
      [{ name: 'book_table', arguments: { a: 1, b: 2, c: 3, d: 4, e: 5 } }],
      [{ name: 'book_table', arguments: { a: 0, b: 0, c: 0, d: 0, e: 0 } }],
    );
    const [failure] = result.failures;
    const lines = failureLines(failure!, { diffs: true });
    const diffLines = lines.filter((line) => line.startsWith('  - '));
    expect(lines[0]).toContain('a expected 1, got 0');
    expect(diffLines.length).toBe(
      5 - ['a', 'b', 'c', 'd', 'e'].filter((key) => lines[0]!.includes(`${key} expected`)).length,
    );
    expect(diffLines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).toContain('e expected 5, got 0');
  });
});
