// `russo compare` run as the package's CLI on reports that `russo run --json` wrote for a small
// project, and on edited copies of them (a run flipped, a field removed, a version bumped).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { project } from '../fixtures/project.js';
import { ensureBundle, russo } from './bundle.js';

// A module agent that hears only audio: long clips are bookings (for PARTY people), short ones ask
// for the opening hours.
const agent = (party: number) => `export default function agent(audio) {
  const seconds = audio.pcm.length / audio.sampleRate;
  return seconds > 1.8
    ? [{ name: 'book_table', arguments: { party_size: ${party}, time: '19:00' } }]
    : [{ name: 'get_opening_hours', arguments: { day: 'today' } }];
}
`;
const BOOK =
  'name: book a table\nprompts:\n  - Book a table for two at seven tonight\nexpect:\n  - name: book_table\n';
const FILES = {
  'russo.config.yaml':
    'agent:\n  provider: module\n  module: agent.mjs\nsynthesizer:\n  provider: flite\n  voices: [kal16]\ndefaults:\n  runs: 6\n',
  'agent.mjs': agent(2),
  'scenarios/hours.yaml':
    'name: opening hours\nprompts: [When are you open]\nexpect:\n  - name: get_opening_hours\n',
  'scenarios/book.yaml': `${BOOK}    arguments: { party_size: 2 }\n`,
};

let cwd: string;

function read(file: string): JsonReport {
  return JSON.parse(readFileSync(join(cwd, file), 'utf8')) as JsonReport;
}

function write(file: string, report: unknown): void {
  writeFileSync(join(cwd, file), JSON.stringify(report));
}

/** A copy of a report where the first `count` passed runs of a scenario failed, counts kept true. */
function withFailures(report: JsonReport, scenario: string, count: number): JsonReport {
  const copy = structuredClone(report);
  const target = copy.scenarios.find((candidate) => candidate.name === scenario)!;
  for (const run of target.runs.filter((candidate) => candidate.status === 'passed').slice(0, count)) {
    run.status = 'failed';
  }
  target.counts.passed -= count;
  target.counts.failed += count;
  target.passRate = target.counts.passed / (target.counts.passed + target.counts.failed);
  return copy;
}

beforeAll(async () => {
  await ensureBundle();
  cwd = project(FILES);
  // The baseline: every run passes. Then the agent books for three: every booking fails.
  expect((await russo(cwd, 'run', '--json', 'base.json')).code).toBe(0);
  writeFileSync(join(cwd, 'agent.mjs'), agent(3));
  expect((await russo(cwd, 'run', '--json', 'worse.json')).code).toBe(1);
  // The expectation follows the agent: the booking scenario now asks for something else.
  writeFileSync(join(cwd, 'scenarios/book.yaml'), `${BOOK}    arguments: { party_size: 3 }\n`);
  expect((await russo(cwd, 'run', '--json', 'changed.json')).code).toBe(0);
}, 180_000);

describe('russo compare (the package CLI)', () => {
  it('fails with exit 1 on a significant regression and lists it first', async () => {
    const { code, stdout } = await russo(cwd, 'compare', 'base.json', 'worse.json');
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(
      "Compared with the baseline: Barnard's exact test, alpha 0.05, 95% intervals of the change",
    );
    expect(lines[2]).toMatch(
      /^▼ +book a table +100% \(6\/6\) +→ +0% \(0\/6\) +−100 pts +\[−\d+, −\d+\] +p = 0\.00049 +significant regression$/,
    );
    expect(lines[3]).toMatch(/^ +opening hours +100% \(6\/6\) +→ +100% \(6\/6\) +0 pts .* p = 1$/);
    expect(stdout).toMatch(/suite \(2 compared scenarios\) +100% \(12\/12\) +→ +50% \(6\/12\) +−50 pts/);
    expect(stdout).toContain('1 scenario regressed significantly: book a table');
  });

  it('does not fail on a drop within noise unless told to fail on any drop', async () => {
    write('noisy.json', withFailures(read('base.json'), 'opening hours', 1));
    const significant = await russo(cwd, 'compare', 'base.json', 'noisy.json');
    expect(significant.code).toBe(0);
    expect(significant.stdout).toMatch(
      /▼ +opening hours +100% \(6\/6\) +→ +83\.3% \(5\/6\) +−16\.7 pts .* p = 0\.5\d*$/m,
    );
    expect(significant.stdout).toContain('No scenario regressed significantly.');
    const any = await russo(cwd, 'compare', 'base.json', 'noisy.json', '--fail-on-regression', 'any');
    expect(any.code).toBe(1);
    expect(any.stdout).toContain('1 scenario dropped: opening hours');
    const off = await russo(cwd, 'compare', 'base.json', 'worse.json', '--fail-on-regression', 'off');
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('significant regression');
  });

  it('follows --alpha', async () => {
    // 6/6 → 3/6: p ≈ 0.05, significant at 0.1 and not at 0.01.
    write('half.json', withFailures(read('base.json'), 'opening hours', 3));
    expect((await russo(cwd, 'compare', 'base.json', 'half.json', '--alpha', '0.1')).code).toBe(1);
    const strict = await russo(cwd, 'compare', 'base.json', 'half.json', '--alpha', '0.01');
    expect(strict.code).toBe(0);
    expect(strict.stdout).toContain('alpha 0.01, 99% intervals');
  });

  it('marks a scenario whose expectation changed and does not compare it', async () => {
    const { code, stdout } = await russo(cwd, 'compare', 'base.json', 'changed.json');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^changed expectation +book a table +100% \(6\/6\) +→ +100% \(6\/6\)$/m);
    expect(stdout).toMatch(/suite \(1 compared scenario\) +100% \(6\/6\)/);
  });

  it('compares a baseline written before reports held the expectation hash', async () => {
    const old = read('base.json');
    for (const scenario of old.scenarios) delete scenario.expectationHash;
    write('old.json', old);
    const { code, stdout } = await russo(cwd, 'compare', 'old.json', 'worse.json');
    expect(code).toBe(1);
    expect(stdout).toContain('significant regression');
  });

  it('writes the comparison as JSON with --json', async () => {
    const { code, stderr } = await russo(
      cwd,
      'compare',
      'base.json',
      'worse.json',
      '--json',
      'out/compare.json',
    );
    expect(code).toBe(1);
    expect(stderr).toContain('russo: wrote out/compare.json');
    const comparison = JSON.parse(readFileSync(join(cwd, 'out/compare.json'), 'utf8'));
    expect(comparison).toMatchObject({ alpha: 0.05, test: 'barnard' });
    expect(comparison.scenarios[0]).toMatchObject({
      name: 'book a table',
      status: 'compared',
      file: 'scenarios/book.yaml',
      change: { delta: -1, significant: true, direction: 'regression' },
    });
    expect(comparison.scenarios[0].change.pValue).toBeCloseTo(2 / 2 ** 12, 10);
    expect(comparison.suite.base).toEqual({ passed: 12, failed: 0, errored: 0, passRate: 1 });
  });

  it('exits 3 when the comparison cannot be written, unless a regression already failed it', async () => {
    const unwritable = await russo(
      cwd,
      'compare',
      'base.json',
      'base.json',
      '--json',
      'base.json/compare.json',
    );
    expect(unwritable.code).toBe(3);
    expect(unwritable.stderr).toMatch(/^russo: could not write base\.json\/compare\.json: ENOTDIR/m);
    expect(unwritable.stdout).toContain('No scenario regressed significantly.');
    const regressed = await russo(
      cwd,
      'compare',
      'base.json',
      'worse.json',
      '--json',
      'base.json/compare.json',
    );
    expect(regressed.code).toBe(1);
  });

  it('exits 2 on bad input, saying what is wrong', async () => {
    writeFileSync(join(cwd, 'corrupt.json'), '{"version": 1, "scen');
    write('future.json', { ...read('base.json'), version: 2 });
    const other = read('base.json');
    for (const scenario of other.scenarios) scenario.name = `other ${scenario.name}`;
    write('other.json', other);
    const cases: Array<[string[], RegExp]> = [
      [['corrupt.json', 'base.json'], /corrupt\.json is not JSON/],
      [['base.json', 'future.json'], /future\.json is a version 2 report; this russo reads version 1/],
      [['other.json', 'base.json'], /no scenario in common .* a baseline from a different suite/],
      [['base.json', 'worse.json', '--alpha', '0.7'], /alpha 0\.7 is outside \(0, 0\.5\]/],
      [['base.json', 'worse.json', '--alpha', '0'], /alpha 0 is outside/],
      [['base.json', 'worse.json', '--alpha', 'often'], /--alpha "often" is not a number/],
      [['base.json', 'worse.json', '--fail-on-regression', 'some'], /not one of significant, any, off/],
      [['base.json'], /needs two JSON reports/],
      [['base.json', 'missing.json'], /cannot read report missing\.json/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await russo(cwd, 'compare', ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(message);
      expect(stderr).toContain('fix: ');
      expect(stdout).toBe('');
    }
  });
});
