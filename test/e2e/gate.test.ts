// `russo run --baseline` and `russo grade`, run as the bundled CLI on a small project. The agent is a
// module that hears only audio (long clips are bookings) and books for the wrong party in its first
// `wrong` bookings, as wrong.json says: the test controls the pass rate exactly. Every call the
// agent hears is logged, so a test can prove that nothing was run.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseReport, type JsonReport } from '../../src/report/json.js';
import { project } from '../fixtures/project.js';
import { ensureBundle, russo } from './bundle.js';

const AGENT = `import { appendFileSync, readFileSync } from 'node:fs';
let bookings = 0;
export default function agent(audio) {
  appendFileSync(new URL('./heard.log', import.meta.url), 'call\\n');
  const seconds = audio.pcm.length / audio.sampleRate;
  if (seconds <= 1.8) return [{ name: 'get_opening_hours', arguments: {} }];
  const { wrong } = JSON.parse(readFileSync(new URL('./wrong.json', import.meta.url), 'utf8'));
  bookings++;
  return [{ name: 'book_table', arguments: { party_size: bookings <= wrong ? 3 : 2, time: '19:00' } }];
}
`;
const CONFIG =
  'agent:\n  provider: module\n  module: agent.mjs\nsynthesizer:\n  provider: flite\n  voices: [kal16]\ndefaults:\n  runs: 8\n';
const BOOK = (party: number) =>
  `name: book a table\nprompts:\n  - Book a table for two at seven tonight\nmin_pass_rate: 0.3\nexpect:\n  - name: book_table\n    arguments: { party_size: ${party} }\n`;
const HOURS = 'name: opening hours\nprompts: [When are you open]\nexpect:\n  - name: get_opening_hours\n';

let cwd: string;

function read(file: string): JsonReport {
  return JSON.parse(readFileSync(join(cwd, file), 'utf8')) as JsonReport;
}

/** Runs the suite with the agent booking wrongly `wrong` times; returns the CLI's outcome. */
async function runWith(wrong: number, ...args: string[]) {
  writeFileSync(join(cwd, 'wrong.json'), JSON.stringify({ wrong }));
  return russo(cwd, 'run', ...args);
}

/** How many calls the agent has heard so far. */
function heard(): number {
  const log = join(cwd, 'heard.log');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').length - 1 : 0;
}

beforeAll(async () => {
  await ensureBundle();
  cwd = project({
    'russo.config.yaml': CONFIG,
    'agent.mjs': AGENT,
    'scenarios/book.yaml': BOOK(2),
    'scenarios/hours.yaml': HOURS,
  });
  // The base branch: every run passes.
  expect((await runWith(0, '--json', 'base.json')).code).toBe(0);
}, 120_000);

describe('russo run --baseline (bundled CLI)', () => {
  it('passes a drop within noise and shows the change against the baseline', async () => {
    const { code, stdout } = await runWith(1, '--baseline', 'base.json', '--json', 'noisy.json');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(
      "Against base.json: Barnard's exact test at alpha 0.05; a significant drop fails the gate.",
    );
    expect(lines[2]).toMatch(/^Scenario +Pass rate +Change +95% CI/);
    expect(lines[3]).toMatch(/^book a table +87\.5% +▼ −12\.5 pts from 100% +\[/);
    expect(lines[4]).toMatch(/^opening hours +100% +0 pts from 100% +\[/);
    const report = read('noisy.json');
    expect(report.baseline).toMatchObject({ status: 'compared', source: 'base.json', failOn: 'significant' });
    expect(report.gate).toMatchObject({ passed: true, failures: [] });
  });

  it('fails on a significant drop that still meets min_pass_rate, listing it first', async () => {
    const { code, stdout } = await runWith(5, '--baseline', 'base.json', '--json', 'worse.json');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^book a table +37\.5% +▼ −62\.5 pts from 100%, significant +\[/m);
    expect(stdout).toContain(
      '  • book a table: pass rate fell from 100% (8/8) to 37.5% (3/8) against the baseline, a significa',
    );
    const report = read('worse.json');
    expect(report.scenarios[0]!.passed).toBe(true);
    expect(report.gate.failures.map((failure) => failure.kind)).toEqual(['regression']);
  });

  it('follows --fail-on-regression and --alpha', async () => {
    expect((await runWith(1, '--baseline', 'base.json', '--fail-on-regression', 'any')).code).toBe(1);
    expect((await runWith(5, '--baseline', 'base.json', '--fail-on-regression', 'off')).code).toBe(0);
    // 8/8 → 5/8: p ≈ 0.06, significant at 0.1 only.
    expect((await runWith(3, '--baseline', 'base.json')).code).toBe(0);
    expect((await runWith(3, '--baseline', 'base.json', '--alpha', '0.1')).code).toBe(1);
  });

  it('measures pass^k with --pass-k and fails on flaky prompts past gate.max_flaky_rate', async () => {
    const { code, stdout } = await runWith(1, '--pass-k', '2', '--json', 'k2.json');
    expect(code).toBe(0);
    expect(read('k2.json').scenarios.map((scenario) => scenario.consistency)).toMatchObject([
      { k: 2, passHatK: 0.75, flaky: [{ voice: 'kal16', passed: 7, failed: 1 }] },
      { k: 2, passHatK: 1, flaky: [] },
    ]);
    expect(stdout).toContain(
      '  book a table › "Book a table for two at seven tonight" · kal16: 7 of 8 passed',
    );
    writeFileSync(join(cwd, 'strict.yaml'), `${CONFIG}gate:\n  max_flaky_rate: 0.25\n`);
    const flaky = await runWith(1, '-c', 'strict.yaml');
    expect(flaky.code).toBe(1);
    expect(flaky.stdout).toContain('  • 1 of 2 prompt × voice cells are flaky (50%): more than 25%');
    expect((await runWith(0, '-c', 'strict.yaml')).code).toBe(0);
  });

  it('refuses bad input with exit 2 before the agent hears anything', async () => {
    writeFileSync(join(cwd, 'corrupt.json'), '{"version": 1, "scen');
    writeFileSync(join(cwd, 'future.json'), JSON.stringify({ ...read('base.json'), version: 2 }));
    const other = read('base.json');
    for (const scenario of other.scenarios) scenario.name = `other ${scenario.name}`;
    writeFileSync(join(cwd, 'other.json'), JSON.stringify(other));
    const cases: Array<[string[], RegExp]> = [
      [['--baseline', 'corrupt.json'], /corrupt\.json is not JSON/],
      [['--baseline', 'future.json'], /future\.json is a version 2 report; this russo reads version 1/],
      [['--baseline', 'other.json'], /no scenario in common .* a baseline from a different suite/],
      [['--baseline', 'missing.json'], /cannot read report missing\.json/],
      [['--baseline', 'base.json', '--alpha', '0.7'], /--alpha 0\.7 is outside \(0, 0\.5\]/],
      [['--alpha', '0'], /--alpha 0 is outside/],
      [['--pass-k', '0'], /--pass-k "0" is not a whole number ≥ 1/],
      [['--fail-on-regression', 'some'], /not one of significant, any, off/],
    ];
    const before = heard();
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await runWith(0, ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(message);
      expect(stderr).toContain('fix: ');
      expect(stdout).toBe('');
    }
    expect(heard()).toBe(before);
  });

  it('merge refuses the baseline options: a merged report is compared with russo compare', async () => {
    const { code, stderr } = await russo(cwd, 'merge', 'base.json', '--baseline', 'base.json');
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /russo merge takes no --baseline: it keeps how each shard was run and judged\n {2}fix: merge first .*then compare the merged report with a baseline/,
    );
  });
});

describe('russo grade (bundled CLI)', () => {
  // Reports made by the agent: 3 of 8 bookings for two, 5 for three.
  beforeAll(async () => {
    expect((await runWith(5, '--json', 'mixed.json')).code).toBe(0);
    // From here on the agent must never start: importing it leaves a mark, and the synthesizer is
    // one that needs a key nobody set.
    writeFileSync(
      join(cwd, 'agent.mjs'),
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./started', import.meta.url), 'yes');\nexport default () => [];\n`,
    );
    writeFileSync(
      join(cwd, 'russo.config.yaml'),
      CONFIG.replace('provider: flite\n  voices: [kal16]', 'provider: openai\n  voices: [alloy]'),
    );
  }, 120_000);

  it('grades the recorded answers again with a changed expectation, starting no agent and speaking nothing', async () => {
    writeFileSync(join(cwd, 'scenarios/book.yaml'), BOOK(3));
    const { code, stdout, stderr } = await russo(
      cwd,
      'grade',
      'mixed.json',
      '--json',
      'graded.json',
      '--html',
      'graded.html',
    );
    expect(stderr).toBe('russo: wrote graded.json\nrusso: wrote graded.html\n');
    expect(code).toBe(0);
    expect(existsSync(join(cwd, 'started'))).toBe(false);
    expect(stdout.split('\n')[0]).toBe(
      'Re-graded 16 runs of mixed.json with the current scenario files (no speech, no agent).',
    );
    const before = read('mixed.json');
    const graded = read('graded.json');
    expect(before.scenarios[0]!.counts).toMatchObject({ passed: 3, failed: 5 });
    expect(graded.scenarios[0]!.counts).toMatchObject({ passed: 5, failed: 3 });
    expect(graded.scenarios[0]!.expectationHash).not.toBe(before.scenarios[0]!.expectationHash);
    // The same runs: ids, calls and latencies as recorded; only the verdicts are new.
    expect(graded.scenarios[0]!.runs.map((run) => [run.id, run.toolCalls, run.latencyMs])).toEqual(
      before.scenarios[0]!.runs.map((run) => [run.id, run.toolCalls, run.latencyMs]),
    );
    expect(graded.replay).toEqual({ source: 'mixed.json', regraded: 16, notReplayable: [] });
    expect(parseReport(readFileSync(join(cwd, 'graded.json'), 'utf8')).replay?.regraded).toBe(16);
    expect(readFileSync(join(cwd, 'graded.html'), 'utf8')).toContain('Re-graded 16 runs of mixed.json');
    // An expectation the answers meet in fewer runs than min_pass_rate asks: exit 1, like run.
    writeFileSync(
      join(cwd, 'scenarios/book.yaml'),
      BOOK(2).replace('min_pass_rate: 0.3', 'min_pass_rate: 0.5'),
    );
    expect((await russo(cwd, 'grade', 'mixed.json')).code).toBe(1);
    writeFileSync(join(cwd, 'scenarios/book.yaml'), BOOK(2));
  });

  it('reports runs whose prompt changed or whose scenario is gone as not replayable', async () => {
    writeFileSync(join(cwd, 'scenarios/hours.yaml'), HOURS.replace('When are you open', 'When do you open'));
    const changed = await russo(cwd, 'grade', 'mixed.json', '--json', 'changed.json');
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain(
      'Re-graded 8 runs of mixed.json with the current scenario files (no speech, no agent).\n  8 runs not replayable (its prompt changed): opening hours/p0/kal16/default/r0, opening hours/p0/kal16/default/r1, opening hours/p0/kal16/default/r2, …\n',
    );
    expect(read('changed.json').scenarios.map((scenario) => scenario.name)).toEqual(['book a table']);
    expect(read('changed.json').replay?.notReplayable).toHaveLength(8);

    rmSync(join(cwd, 'scenarios/hours.yaml'));
    const gone = await russo(cwd, 'grade', 'mixed.json');
    expect(gone.stdout).toContain(
      '  8 runs not replayable (its scenario is not in the scenario files): opening hours/p0/kal16/',
    );
    writeFileSync(join(cwd, 'scenarios/hours.yaml'), HOURS);
    expect(existsSync(join(cwd, 'started'))).toBe(false);
  });

  it('refuses bad input with exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['corrupt.json'], /corrupt\.json is not JSON/],
      [['future.json'], /future\.json is a version 2 report/],
      [
        ['other.json'],
        /no run of other\.json can be graded again: 16 runs, none replayable \(its scenario is not in the scenario files, …\)/,
      ],
      [[], /russo grade needs the JSON report/],
      [['mixed.json', '--runs', '3'], /russo grade takes no --runs: it runs nothing/],
      [['mixed.json', '--pass-k', '0'], /--pass-k "0" is not a whole number/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await russo(cwd, 'grade', ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(message);
    }
    expect(existsSync(join(cwd, 'started'))).toBe(false);
  });
});

describe('russo grade on conversations (bundled CLI)', () => {
  // A module agent that converses by the turn number it is given, and books with the result russo
  // answers (the conversation example of test/e2e/conversation-cli.test.ts).
  const TALKER = `export default {
  turn(audio, options, conversation) {
    if (conversation.turn === 0) return { toolCalls: [], text: 'For how many people?' };
    const call = { name: 'book_table', arguments: { party_size: 2, time: '19:00' } };
    const outcome = options.respond(call);
    return { toolCalls: [call], toolResults: [{ call, outcome }], text: 'Booked, reference ' + outcome.result.reference };
  },
};
`;
  const TALK = (reference: string) => `name: book over two turns
turns:
  - say: I'd like to book a table
    expect: []
    reply: { contains_any: [how many, people] }
  - say: Two people at seven tonight
    expect:
      - name: book_table
        arguments: { party_size: 2 }
    reply: { contains: ${reference} }
tool_results:
  book_table:
    - when: { party_size: 2 }
      result: { reference: R-17 }
`;

  it('grades each recorded turn again with the changed reply check, starting no agent', async () => {
    const dir = project({
      'russo.config.yaml':
        'agent: { provider: module, module: agent.mjs }\nsynthesizer: { provider: flite, voices: [kal16] }\ndefaults: { runs: 2 }\n',
      'agent.mjs': TALKER,
      'scenarios/talk.yaml': TALK('R-17'),
    });
    expect((await russo(dir, 'run', '--json', 'talk.json')).code).toBe(0);
    writeFileSync(
      join(dir, 'agent.mjs'),
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./started', import.meta.url), 'yes');\nexport default { turn: () => ({ toolCalls: [] }) };\n`,
    );
    writeFileSync(join(dir, 'scenarios/talk.yaml'), TALK('R-18'));
    const graded = await russo(dir, 'grade', 'talk.json', '--json', 'graded.json');
    expect(graded.code).toBe(1);
    expect(graded.stdout).toContain(
      'Re-graded 2 runs of talk.json with the current scenario files (no speech, no agent).',
    );
    expect(graded.stdout).toContain('the reply does not contain "R-18": "Booked, reference R-17"');
    const report = JSON.parse(readFileSync(join(dir, 'graded.json'), 'utf8')) as JsonReport;
    expect(report.scenarios[0]!.runs[0]!.turns!.map((turn) => turn.status)).toEqual(['passed', 'failed']);
    expect(existsSync(join(dir, 'started'))).toBe(false);

    // A changed say, or changed mocked results: the agent would have heard or been told something else.
    writeFileSync(join(dir, 'scenarios/talk.yaml'), TALK('R-17').replace('Two people', 'Three people'));
    const said = await russo(dir, 'grade', 'talk.json');
    expect(said.code).toBe(2);
    expect(said.stderr).toContain(
      'no run of talk.json can be graded again: 2 runs, none replayable (its turns changed, …)',
    );
    writeFileSync(
      join(dir, 'scenarios/talk.yaml'),
      TALK('R-17').replace('reference: R-17', 'reference: R-99'),
    );
    expect((await russo(dir, 'grade', 'talk.json')).stderr).toContain('its mocked tool results changed');
    expect(existsSync(join(dir, 'started'))).toBe(false);
  });
});
