// Every renderer's output for the single-prompt fixtures, compared with files written by the renderers
// as they were before conversations existed: a suite without `turns` must render byte for byte as
// before. A change here is a change every user sees; update the files (`npx vitest run -u`) only
// when it is meant.
import { describe, expect, it } from 'vitest';
import { failureAnnotations } from '../../src/github/annotations.js';
import { suiteSummary } from '../../src/github/summary.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import type { SuiteResult } from '../../src/suite/types.js';
import {
  emptySuite,
  failingSuite,
  invalidArgumentsSuite,
  passingSuite,
  stoppedSuite,
} from '../fixtures/suite-result.js';

const SUITES: Record<string, () => SuiteResult> = {
  failingSuite,
  passingSuite,
  stoppedSuite,
  emptySuite,
  invalidArgumentsSuite,
};

const RENDERERS: Record<string, (result: SuiteResult) => string> = {
  terminal: (result) => renderTerminal(result, { color: false }),
  'terminal-colour-narrow': (result) => renderTerminal(result, { color: true, width: 72, maxFailures: 3 }),
  markdown: (result) => renderMarkdown(result),
  'markdown-short': (result) => renderMarkdown(result, { short: true }),
  'markdown-cut': (result) =>
    renderMarkdown(result, { maxLength: 1500, detailsUrl: 'https://example.com/runs/1 (artifact)' }),
  html: renderHtml,
  junit: renderJunit,
  'job-summary': (result) => suiteSummary(result, { reportPath: 'reports/russo.html' }),
  'job-summary-cut': (result) => suiteSummary(result, { limitBytes: 12 * 1024 }),
  annotations: (result) => JSON.stringify(failureAnnotations(result), null, 2),
};

describe('single-prompt suites render as before', () => {
  for (const [format, render] of Object.entries(RENDERERS)) {
    it(format, async () => {
      const text = Object.entries(SUITES)
        .map(([name, suite]) => `===== ${name} =====\n${render(suite())}`)
        .join('\n');
      await expect(text).toMatchFileSnapshot(`__snapshots__/single-prompt/${format}.txt`);
    });
  }
});
