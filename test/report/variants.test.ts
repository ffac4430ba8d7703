// Every renderer shows the pass rate per variant of a suite that sweeps them: the matrix (scenarios ×
// variants, each cell judged against its variant's threshold), the suite's row, the rate per voice;
// the HTML also draws the SNR and speed sweeps as inline SVG. A suite without variants shows none
// of it (single-prompt-output.test.ts holds those outputs byte for byte).
import { describe, expect, it } from 'vitest';
import { suiteSummary } from '../../src/github/summary.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit } from '../../src/report/junit.js';
import { fromJsonReport, parseReport, renderJson, type JsonReport } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { mergeReports } from '../../src/report/merge.js';
import { renderTerminal } from '../../src/report/terminal.js';
import type { SuiteResult } from '../../src/suite/types.js';
import { passingSuite } from '../fixtures/suite-result.js';
import {
  noisyBookingResult,
  plainResult,
  speedSweepResult,
  variantSuite,
} from '../fixtures/suite-result-variants.js';
import { scenarioResult, suiteResult } from '../fixtures/suite-result.js';

/** The cells of a row of a plain-text table, split on runs of two or more spaces. */
const cells = (line: string | undefined) => (line ?? '').trim().split(/\s{2,}/);

describe('the variant matrix', () => {
  it('in the terminal: a row per scenario with variants, a verdict per cell, the suite row and the voices', () => {
    const lines = renderTerminal(variantSuite(), { color: false, width: 100 }).split('\n');
    const head = lines.findIndex((line) => line.startsWith('Scenario × variant'));
    expect(cells(lines[head])).toEqual([
      'Scenario × variant',
      'clean',
      'babble-20',
      'babble-10',
      'babble-5',
      'phone',
      'slow',
      'fast',
    ]);
    expect(cells(lines[head + 1])).toEqual([
      'book through noise',
      '100% ✓',
      '100% ✓',
      '50% ✓',
      '0% ✗',
      '75% ✗',
      '—',
      '—',
    ]);
    expect(cells(lines[head + 2])).toEqual([
      'book at any pace',
      '100% ✓',
      '—',
      '—',
      '—',
      '—',
      '100% ✓',
      '75% ✗',
    ]);
    expect(cells(lines[head + 3])).toEqual([
      'all scenarios',
      '100%',
      '100%',
      '50%',
      '0%',
      '75%',
      '100%',
      '75%',
    ]);
    expect(lines[head + 4]).toBe('by voice: kal16 76.5% [60–88%] · slt 76.5% [60–88%]');
    // The scenario without variants is no row of the matrix.
    expect(lines.slice(head, head + 5).some((line) => line.startsWith('book plainly'))).toBe(false);
    // Flaky cells and failed runs name their variant.
    expect(lines).toContain(
      '  book through noise › "Book a table for two at seven" · kal16 · babble-10: 1 of 2 passed',
    );
    expect(lines).toContain(
      '  ✗ book through noise › "Book a table for two at seven" · run 1 · kal16 · babble-5',
    );
  });

  it('in the terminal: intervals when the width allows, every line within the width, a failing cell in red', () => {
    const wide = renderTerminal(variantSuite(), { color: false, width: 160 }).split('\n');
    const row = wide.find((line) => line.startsWith('book through noise') && line.includes('✓'));
    expect(cells(row)[4]).toBe('0% [0–32%] ✗');
    for (const width of [50, 72, 140]) {
      const lines = renderTerminal(variantSuite(), { color: false, width }).split('\n');
      expect(lines.every((line) => [...line].length <= width)).toBe(true);
    }
    const coloured = renderTerminal(variantSuite(), { color: true, width: 100 });
    expect(coloured).toContain('\u001b[31m    0% ✗\u001b[0m');
  });

  it('in markdown and the PR comment: the matrix with intervals, and a failing scenario named by its failing variants', () => {
    for (const short of [false, true]) {
      const text = renderMarkdown(variantSuite(), { short });
      expect(text).toContain(
        '| Scenario | clean | babble-20 | babble-10 | babble-5 | phone | slow | fast |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
          '| book through noise | ✅ 100% [68–100%] | ✅ 100% [68–100%] | ✅ 50% [22–78%] | ❌ 0% [0–32%] | ❌ 75% [41–93%] | — | — |',
      );
      expect(text).toContain(
        '| **all scenarios** | 100% [81–100%] | 100% [68–100%] | 50% [22–78%] | 0% [0–32%] | 75% [41–93%] | 100% [68–100%] | 75% [41–93%] |',
      );
      expect(text).toContain('By voice: kal16 76.5% [60–88%] · slt 76.5% [60–88%]');
    }
    expect(renderMarkdown(variantSuite(), { short: true })).toContain(
      '- ❌ **book through noise**: babble-5: 0% passed (0/8), needs 50%; phone: 75% passed (6/8), needs 80%',
    );
  });

  it('in JUnit: a testcase per prompt and variant, judged at the variant’s threshold', () => {
    const xml = renderJunit(variantSuite());
    const names = [...xml.matchAll(/<testcase name="([^"]*)" classname="book through noise"/g)].map(
      (m) => m[1],
    );
    expect(names.slice(0, 5)).toEqual([
      'Book a table for two at seven [clean]',
      'Book a table for two at seven [babble-20]',
      'Book a table for two at seven [babble-10]',
      'Book a table for two at seven [babble-5]',
      'Book a table for two at seven [phone]',
    ]);
    // babble-10 passes at its 50% with 2 of 4; babble-5 fails at 0 of 4.
    expect(xml).toMatch(/name="Book a table for two at seven \[babble-10\]"[^>]*>\n {6}<system-out>/);
    expect(xml).toContain('<failure message="0% passed (0/4), needs 50%" type="pass_rate">');
    // A scenario without variants keeps one testcase per prompt, named as before.
    expect(xml).toContain('<testcase name="Book a table for two at seven" classname="book plainly"');
  });

  it('in the job summary: the matrix after the scenario table', () => {
    const html = suiteSummary(variantSuite());
    const table = html.indexOf('<h3>Pass rate by variant</h3>');
    expect(table).toBeGreaterThan(html.indexOf('<table>'));
    expect(html).toContain('<td>book through noise</td><td>✅ 100% [68–100%]</td>');
    expect(html).toContain('<td>❌ 0% [0–32%]</td>');
    expect(html).toContain('By voice: kal16 76.5% [60–88%] · slt 76.5% [60–88%]');
  });

  it('in HTML: the matrix, a variant column in the runs, and no matrix for a suite without variants', () => {
    const html = renderHtml(variantSuite());
    expect(html).toContain(
      '<td class="num failed" title="needs 50%">✗ 0% <span class="muted">[0–32%]</span></td>',
    );
    expect(html).toContain('<th>Prompt</th><th>Voice</th><th>Variant</th><th class="num">Run</th>');
    expect(html).toContain('<td>kal16</td><td>babble-5</td><td class="num">1</td>');
    expect(html).not.toMatch(/<script/i);
    const plain = renderHtml(passingSuite());
    expect(plain).not.toContain('Pass rate by variant');
    expect(plain).not.toContain('<svg');
  });
});

describe('the sweep charts', () => {
  /** The SVG elements of the HTML chart whose caption is `title`. */
  function chart(html: string, title: string): string {
    const start = html.indexOf(`<figcaption><b>${title}</b></figcaption>`);
    expect(start, title).toBeGreaterThan(-1);
    return html.slice(start, html.indexOf('</svg>', start));
  }

  it('draws pass rate against SNR per noise type, each point at its rate, with the clean line', () => {
    const svg = chart(renderHtml(variantSuite()), 'Pass rate against signal-to-noise ratio');
    // One babble curve: 0% at 5 dB, 50% at 10 dB, 100% at 20 dB (y = 16 + (1 - rate) × 204).
    const points = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"[^>]*><title>([^<]*)<\/title>/g)];
    expect(points.map((match) => [Number(match[2]), match[3]])).toEqual([
      [220, 'babble 5 dB (babble-5): 0% passed (0/8) [0–32%]'],
      [118, 'babble 10 dB (babble-10): 50% passed (4/8) [22–78%]'],
      [16, 'babble 20 dB (babble-20): 100% passed (8/8) [68–100%]'],
    ]);
    // x grows with the SNR.
    const xs = points.map((match) => Number(match[1]));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(svg).toContain('stroke-dasharray="4 3"><title>clean: 100% passed (16/16) [81–100%]</title>');
    expect(svg).not.toContain('phone');
  });

  it('draws pass rate against speaking rate', () => {
    const svg = chart(renderHtml(variantSuite()), 'Pass rate against speaking rate');
    expect(svg).toContain('<title>speed 0.75× (slow): 100% passed (8/8) [68–100%]</title>');
    expect(svg).toContain('<title>speed 1.5× (fast): 75% passed (6/8) [41–93%]</title>');
  });

  it('draws nothing for a suite that sweeps nothing: one noisy variant is no curve', () => {
    const html = renderHtml(suiteResult([plainResult()]));
    expect(html).not.toContain('<svg');
    const onlySpeed = renderHtml(suiteResult([speedSweepResult()]));
    expect(onlySpeed).toContain('Pass rate against speaking rate');
    expect(onlySpeed).not.toContain('signal-to-noise');
  });
});

describe('the JSON report with variants', () => {
  it('carries each run’s variant, the variants and breakdowns, and reads back to the same matrix', () => {
    const text = renderJson(variantSuite());
    const report = parseReport(text) as JsonReport;
    const [noisy] = report.scenarios;
    expect(noisy!.runs.map((run) => run.variant).slice(0, 5)).toEqual([
      'clean',
      'clean',
      'babble-20',
      'babble-20',
      'babble-10',
    ]);
    expect(noisy!.variants?.[3]).toMatchObject({
      variant: { name: 'babble-5', noise: { type: 'babble', snr_db: 5 } },
      minPassRate: 0.5,
    });
    expect(noisy!.breakdown?.variants[3]).toMatchObject({
      name: 'babble-5',
      counts: { total: 8, passed: 0 },
      passed: false,
    });
    expect(
      report.breakdown?.sweeps.map((sweep) => [sweep.axis, sweep.label, sweep.points.map((p) => p.x)]),
    ).toEqual([
      ['snr_db', 'babble', [5, 10, 20]],
      ['speed', 'speed', [0.75, 1.5]],
    ]);
    const read: SuiteResult = fromJsonReport(report);
    expect(renderTerminal(read, { color: false })).toBe(renderTerminal(variantSuite(), { color: false }));
  });

  it('merges shards that split the variants of a scenario, in plan order', () => {
    const whole = noisyBookingResult();
    const half = (keep: (variant: string) => boolean) =>
      renderJson(
        suiteResult([
          scenarioResult(
            whole.scenario,
            whole.runs.filter((run) => keep(run.variant)),
          ),
        ]),
      );
    const shards = [
      half((variant) => variant.startsWith('babble')),
      half((variant) => !variant.startsWith('babble')),
    ];
    const merged = mergeReports(shards.map((text, index) => parseReport(text, `shard ${index + 1}`)));
    expect(merged.scenarios[0]!.runs.map((run) => run.id)).toEqual(whole.runs.map((run) => run.id));
    expect(merged.scenarios[0]!.breakdown!.variants.map((slice) => slice.counts.passed)).toEqual([
      8, 8, 4, 0, 6,
    ]);
  });
});
