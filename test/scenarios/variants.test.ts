// The `variants` key of config and scenario files, loaded by the real loader from YAML on disk: the
// default, the config's list, a scenario's list replacing it, thresholds per variant, and every bad
// input at its file:line with a fix.
import { describe, expect, it } from 'vitest';
import { ScenarioError, formatProblem, type Problem } from '../../src/scenarios/errors.js';
import { scenarioVariants } from '../../src/scenarios/variants.js';
import { loadSuite } from '../../src/suite/load.js';
import { project } from '../fixtures/project.js';

const AGENT = 'agent:\n  provider: module\n  module: agent.js\n';

const CONFIG_VARIANTS = `${AGENT}defaults:
  min_pass_rate: 0.9
variants:
  - name: clean
  - name: cafe
    noise: { type: babble, snr_db: 10 }
    min_pass_rate: 0.5
  - name: phone
    channel: telephone
    packet_loss: { rate: 0.05 }
`;

const BOOK = 'name: book\nprompts: [Book a table for two]\nexpect: []\n';

async function problemsOf(files: Record<string, string>): Promise<Problem[]> {
  try {
    await loadSuite(undefined, { cwd: project(files) });
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).problems;
  }
  throw new Error('expected the suite to be rejected');
}

describe('variants: loading', () => {
  it('gives a scenario of a config without variants the one default variant, at its threshold', async () => {
    const suite = await loadSuite(undefined, {
      cwd: project({ 'russo.config.yaml': AGENT, 'scenarios/a.yaml': BOOK }),
    });
    const [scenario] = suite.scenarios;
    expect(scenario!.variants).toBeUndefined();
    expect(scenarioVariants(scenario!)).toEqual([{ variant: { name: 'default' }, minPassRate: 0.8 }]);
  });

  it("gives every scenario the config's variants, each at its own threshold or the scenario's, located in the config", async () => {
    const suite = await loadSuite(undefined, {
      cwd: project({
        'russo.config.yaml': CONFIG_VARIANTS,
        'scenarios/a.yaml': BOOK,
        'scenarios/b.yaml': `${BOOK.replace('name: book', 'name: strict')}min_pass_rate: 1\n`,
      }),
    });
    const [book, strict] = suite.scenarios;
    expect(book!.variants).toEqual([
      {
        variant: { name: 'clean' },
        minPassRate: 0.9,
        location: { file: 'russo.config.yaml', line: 7, column: 5 },
      },
      {
        variant: { name: 'cafe', noise: { type: 'babble', snr_db: 10 } },
        minPassRate: 0.5,
        location: { file: 'russo.config.yaml', line: 8, column: 5 },
      },
      {
        variant: { name: 'phone', channel: 'telephone', packet_loss: { rate: 0.05 } },
        minPassRate: 0.9,
        location: { file: 'russo.config.yaml', line: 11, column: 5 },
      },
    ]);
    // The variant's own threshold holds; the others take the scenario's.
    expect(strict!.variants!.map((variant) => variant.minPassRate)).toEqual([1, 0.5, 1]);
  });

  it("lets a scenario's list replace the config's", async () => {
    const suite = await loadSuite(undefined, {
      cwd: project({
        'russo.config.yaml': CONFIG_VARIANTS,
        'scenarios/a.yaml': `${BOOK}variants:\n  - name: fast\n    speed: 1.5\n  - name: quiet\n    gain_db: -20\n    leading_silence_ms: 500\n`,
      }),
    });
    expect(suite.scenarios[0]!.variants).toEqual([
      {
        variant: { name: 'fast', speed: 1.5 },
        minPassRate: 0.9,
        location: { file: 'scenarios/a.yaml', line: 5, column: 5 },
      },
      {
        variant: { name: 'quiet', gain_db: -20, leading_silence_ms: 500 },
        minPassRate: 0.9,
        location: { file: 'scenarios/a.yaml', line: 7, column: 5 },
      },
    ]);
  });
});

describe('variants: bad input at file:line with a fix', () => {
  const scenarioWith = (variants: string) => ({
    'russo.config.yaml': AGENT,
    'scenarios/a.yaml': `${BOOK}variants:\n${variants}`,
  });

  it('an unknown noise type, with a did-you-mean', async () => {
    const [problem] = await problemsOf(
      scenarioWith('  - name: rain\n    noise: { type: pnik, snr_db: 10 }\n'),
    );
    expect(formatProblem(problem!)).toBe(
      'scenarios/a.yaml:6:20: unknown value "pnik" for "variants.0.noise.type"\n    fix: did you mean "pink"? use one of: white, pink, brown, babble, hum',
    );
  });

  it('an SNR outside -10..60 dB', async () => {
    const problems = await problemsOf(
      scenarioWith(
        '  - name: loud\n    noise: { type: white, snr_db: -20 }\n  - name: faint\n    noise: { type: white, snr_db: 61 }\n',
      ),
    );
    expect(problems.map(formatProblem)).toEqual([
      'scenarios/a.yaml:6:35: "variants.0.noise.snr_db" is -20, but must be ≥ -10\n    fix: an SNR is from -10 dB (noise louder than the voice) to 60 dB (faint noise); 10 is a busy café',
      'scenarios/a.yaml:8:35: "variants.1.noise.snr_db" is 61, but must be ≤ 60\n    fix: an SNR is from -10 dB (noise louder than the voice) to 60 dB (faint noise); 10 is a busy café',
    ]);
  });

  it('a speed outside 0.5..2', async () => {
    const [problem] = await problemsOf(scenarioWith('  - name: rushed\n    speed: 2.5\n'));
    expect(formatProblem(problem!)).toBe(
      'scenarios/a.yaml:6:12: "variants.0.speed" is 2.5, but must be ≤ 2\n    fix: a speaking rate is from 0.5 (half as fast) to 2 (twice as fast); 1 leaves it unchanged',
    );
  });

  it('a packet loss rate outside 0..0.5', async () => {
    const [problem] = await problemsOf(scenarioWith('  - name: lossy\n    packet_loss: { rate: 0.7 }\n'));
    expect(formatProblem(problem!)).toBe(
      'scenarios/a.yaml:6:26: "variants.0.packet_loss.rate" is 0.7, but must be ≤ 0.5\n    fix: a packet loss rate is the share of packets lost, from 0 to 0.5 (0.05 is a bad mobile line)',
    );
  });

  it('a name used twice, in a scenario and in the config', async () => {
    const [inScenario] = await problemsOf(scenarioWith('  - name: cafe\n  - name: phone\n  - name: cafe\n'));
    expect(formatProblem(inScenario!)).toBe(
      'scenarios/a.yaml:7:11: variant name "cafe" is used twice (items 1 and 3)\n    fix: give each variant its own name: reports and run ids tell them apart by it',
    );
    const [inConfig] = await problemsOf({
      'russo.config.yaml': `${AGENT}variants:\n  - name: a\n  - name: a\n    speed: 1.2\n`,
      'scenarios/a.yaml': BOOK,
    });
    expect(formatProblem(inConfig!)).toBe(
      'russo.config.yaml:6:11: variant name "a" is used twice (items 1 and 2)\n    fix: give each variant its own name: reports and run ids tell them apart by it',
    );
  });

  it('an unknown key of a variant, a threshold outside 0..1 and an empty list', async () => {
    const problems = await problemsOf(
      scenarioWith(
        '  - name: cafe\n    nosie: { type: white, snr_db: 10 }\n  - name: phone\n    min_pass_rate: 80\n',
      ),
    );
    expect(problems.map(formatProblem)).toEqual([
      'scenarios/a.yaml:6:5: unknown key "nosie" in "variants.0"\n    fix: did you mean "noise"?',
      'scenarios/a.yaml:8:20: "variants.1.min_pass_rate" is 80, but must be ≤ 1\n    fix: a pass rate is a share between 0 and 1: write 0.8 for 80%',
    ]);
    const [empty] = await problemsOf(scenarioWith('  []\n'));
    expect(formatProblem(empty!)).toMatch(/^scenarios\/a\.yaml:5:3: "variants" is empty/);
  });
});
