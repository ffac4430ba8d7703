import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { LISTED_FAILURES, LISTED_GROUPS, LISTED_RUNS } from '../../src/report/limits.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import type { SuiteResult } from '../../src/suite/types.js';
import { largeSuite } from '../fixtures/large-suite-result.js';
import { failingSuite } from '../fixtures/suite-result.js';

// 2 × 600 runs, over LISTED_RUNS: "book a table" has 75 failed runs, "cancel reservation" 400.
const large = largeSuite(600);

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe('a large suite’s reports', () => {
  it('are over the size where reports stop listing every run', () => {
    expect(large.summary.total).toBeGreaterThan(LISTED_RUNS);
    expect(large.scenarios.map((scenario) => scenario.summary.failed)).toEqual([75, 400]);
  });

  it('HTML: lists only runs that did not pass, the first of each scenario, and says what it left out', () => {
    const html = renderHtml(large);
    expect(count(html, '<tr class="passed">')).toBe(0);
    expect(count(html, '<tr class="failed">')).toBe(2 * LISTED_FAILURES);
    expect(html).toContain(
      '525 passed runs and 55 more runs that did not pass are not listed: the JSON report (--json) lists every run.',
    );
    expect(html).toContain('200 passed runs and 380 more runs that did not pass are not listed');
    // The scenario table still counts every run.
    expect(html).toMatch(/<td class="num">600<\/td><td class="num">525<\/td><td class="num">75<\/td>/);
  });

  it('JUnit: logs and failure bodies list the first runs that did not pass, and say what they left out', () => {
    const xml = renderJunit(large);
    for (const body of xml.match(/<system-out>[^<]*<\/system-out>/g) ?? []) {
      expect(count(body, ': passed in ')).toBe(0);
      expect(count(body, ': failed in ')).toBeLessThanOrEqual(LISTED_FAILURES);
    }
    expect(xml).toContain('passed runs and');
    expect(xml).toContain('the JSON report (--json) lists every run');
    expect(xml.length).toBeLessThan(renderJson(large).length / 10);
  });

  it('markdown: names the first runs of each way of failing and counts the rest', () => {
    const markdown = renderMarkdown(large);
    const lines = markdown.split('\n').filter((line) => line.startsWith('run '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(count(line, 'run ')).toBeLessThanOrEqual(LISTED_FAILURES + 1);
    expect(markdown).toMatch(/, … and \d+ more runs/);
  });

  it('JSON: still lists every run', () => {
    const report = JSON.parse(renderJson(large)) as { scenarios: Array<{ runs: unknown[] }> };
    expect(report.scenarios.map((scenario) => scenario.runs.length)).toEqual([600, 600]);
  });

  it('a small suite’s reports list every run and leave nothing out', () => {
    const small = failingSuite();
    const runs = small.scenarios.flatMap((scenario) => scenario.runs).length;
    const html = renderHtml(small);
    expect(
      count(html, '<tr class="passed">') +
        count(html, '<tr class="failed">') +
        count(html, '<tr class="error">'),
    ).toBe(runs);
    for (const text of [html, renderJunit(small), renderMarkdown(small)]) {
      expect(text).not.toContain('the JSON report (--json) lists every run');
    }
  });
});

describe('error messages', () => {
  // Fifteen distinct errors, as a provider that puts a request id in each message gives.
  const errors: SuiteResult = {
    ...failingSuite(),
    errors: Array.from({ length: 15 }, (_, index) => ({
      message: `agent: 503 (request ${index})`,
      count: 15 - index,
    })),
  };

  it('every report lists the first ones and counts the rest', () => {
    const rest = `5 more error messages (15 runs) not listed`;
    const terminal = renderTerminal(errors, { color: false, width: 200 });
    expect(count(terminal, 'agent: 503 (request')).toBe(LISTED_GROUPS);
    expect(terminal).toContain(rest);
    const html = renderHtml(errors);
    expect(count(html, 'agent: 503 (request')).toBe(LISTED_GROUPS);
    expect(html).toContain(rest);
    const markdown = renderMarkdown(errors);
    expect(count(markdown, 'agent: 503 (request')).toBe(LISTED_GROUPS);
    expect(markdown).toContain(rest);
    expect(count(renderJson(errors), 'agent: 503 (request')).toBe(15);
  });
});
