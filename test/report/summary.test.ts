import { describe, expect, it } from 'vitest';
import { providerText } from '../../src/report/summary.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { passingSuite } from '../fixtures/suite-result.js';

const counters = {
  requests: 120,
  retries: 3,
  throttles: 2,
  estimatedCostUsd: 0.4213,
  synthesis: { requests: 4, cacheHits: 36 },
  concurrency: { max: 50, lowest: 12 },
};

describe('providerText', () => {
  it('says what the providers did, only the parts that say something', () => {
    expect(providerText({ ...passingSuite(), providers: counters })).toBe(
      'speech: 4 synthesized, 36 from cache · provider: 120 requests, 3 retries, 2 throttled (concurrency lowered to 12 of 50) · est. cost $0.42',
    );
    const offline = { ...counters, requests: 0, retries: 0, throttles: 0, estimatedCostUsd: 0 };
    expect(providerText({ ...passingSuite(), providers: offline })).toBe(
      'speech: 4 synthesized, 36 from cache',
    );
    expect(providerText(passingSuite())).toBeNull();
    // A few runs of a cheap model cost a fraction of a cent: never `$0.00`.
    const cheap = { ...counters, estimatedCostUsd: 0.0003 };
    expect(providerText({ ...passingSuite(), providers: cheap })).toMatch(/est\. cost under \$0\.01$/);
  });

  it('is shown by the terminal and markdown reports', () => {
    const result = { ...passingSuite(), providers: counters };
    expect(renderTerminal(result, { color: false })).toContain('speech: 4 synthesized, 36 from cache');
    expect(renderMarkdown(result)).toContain('est. cost $0.42');
  });
});
