import { describe, expect, it } from 'vitest';
import {
  changeMark,
  formatDelta,
  formatDeltaInterval,
  formatPValue,
  renderComparisonText,
} from '../../src/report/comparison.js';
import { compare } from '../../src/suite/compare.js';
import {
  bookTableResult,
  cancelResult,
  goodbyeResult,
  scenarioResult,
  suiteResult,
} from '../fixtures/suite-result.js';

describe('comparison numbers', () => {
  it('prints a change in points with its sign, and an interval in whole points', () => {
    expect(formatDelta(-0.4)).toBe('−40 pts');
    expect(formatDelta(0.055)).toBe('+5.5 pts');
    expect(formatDelta(0)).toBe('0 pts');
    expect(formatDelta(-0.00001)).toBe('0 pts');
    expect(formatDelta(null)).toBe('—');
    expect(formatDeltaInterval({ low: -0.614, high: -0.166 })).toBe('[−61, −17]');
    expect(formatDeltaInterval({ low: -0.2, high: 0.35 })).toBe('[−20, 35]');
    expect(formatDeltaInterval(null)).toBe('—');
  });

  it('prints a p-value with two significant digits, and a floor for tiny ones', () => {
    expect(formatPValue(0.037779)).toBe('p = 0.038');
    expect(formatPValue(0.5)).toBe('p = 0.5');
    expect(formatPValue(1)).toBe('p = 1');
    expect(formatPValue(0.00049)).toBe('p = 0.00049');
    expect(formatPValue(1e-9)).toBe('p < 0.0001');
    expect(formatPValue(null)).toBe('—');
  });
});

describe('renderComparisonText', () => {
  const base = suiteResult([bookTableResult(), goodbyeResult()]);
  const current = suiteResult([cancelResult(), goodbyeResult()]);
  const comparison = compare(base, current);

  it('marks what was not compared and says what fails', () => {
    const text = renderComparisonText(comparison, { color: false, failOn: 'significant' });
    expect(text).toMatch(/^new +cancel reservation +— +→ +33\.3% \(2\/6\)$/m);
    expect(text).toMatch(/^removed +book a table +87\.5% \(7\/8\) +→ +—$/m);
    expect(text).toMatch(/^ +say goodbye +50% \(1\/2\) +→ +50% \(1\/2\) +0 pts/m);
    expect(text).toContain('No scenario regressed significantly.');
    expect(renderComparisonText(comparison, { color: false, failOn: 'off' })).toContain(
      'No gate on regressions (--fail-on-regression off).',
    );
    expect(changeMark(comparison.scenarios.find((row) => row.name === 'say goodbye')!.change)).toBe('');
  });

  it('paints a significant regression red, and only when asked to', () => {
    const book = bookTableResult();
    const broken = scenarioResult(
      book.scenario,
      book.runs.map((run) => ({ ...run, status: 'failed' as const })),
    );
    const worse = compare(suiteResult([book]), suiteResult([broken]));
    const plain = renderComparisonText(worse, { color: false, failOn: 'significant' });
    expect(plain).not.toContain('\u001b[');
    expect(plain).toMatch(
      /^▼ +book a table +87\.5% \(7\/8\) +→ +0% \(0\/8\) +−87\.5 pts .* significant regression$/m,
    );
    expect(plain).toContain('1 scenario regressed significantly: book a table');
    const painted = renderComparisonText(worse, { color: true, failOn: 'significant' });
    const line = painted.split('\n').find((candidate) => candidate.includes('book a table'))!;
    expect(line.startsWith('\u001b[31m▼')).toBe(true);
    expect(line.endsWith('\u001b[0m')).toBe(true);
  });
});
