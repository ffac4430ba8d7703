import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError, maskSecretInputs, providerEnv, readInputs } from '../../src/action/inputs.js';
import { inputEnv } from '../fakes/github-runner.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** Sets the INPUT_* variables as a runner would for this `with:` block. */
function withInputs(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(inputEnv(values, 'ghs_workflowtoken'))) vi.stubEnv(name, value);
}

describe('readInputs', () => {
  it('reads the defaults of action.yml as the runner passes them', () => {
    withInputs({});
    expect(readInputs()).toEqual({
      scenarios: [],
      baseline: 'auto',
      failOnRegression: 'significant',
      alpha: 0.05,
      openaiApiKey: '',
      geminiApiKey: '',
      githubToken: 'ghs_workflowtoken',
      comment: true,
      annotations: true,
      cache: true,
      cacheKey: 'russo-audio',
      reportDir: 'russo-report',
      workingDirectory: '.',
      onMissingSecrets: 'fail',
      merge: [],
    });
  });

  it('reads every value a workflow can set', () => {
    withInputs({
      scenarios: 'scenarios/booking/*.yaml\nscenarios/{a,b}.yaml\n',
      config: 'ci/russo.yaml',
      runs: '10',
      'max-concurrency': '4',
      'min-pass-rate': '0.85',
      comment: 'false',
      annotations: 'False',
      cache: 'FALSE',
      'on-missing-secrets': 'skip',
      'report-dir': '',
      shard: '2/4',
      baseline: 'baselines/main.json',
      'fail-on-regression': 'any',
      alpha: '0.01',
    });
    expect(readInputs()).toMatchObject({
      shard: { index: 2, count: 4 },
      scenarios: ['scenarios/booking/*.yaml', 'scenarios/{a,b}.yaml'],
      config: 'ci/russo.yaml',
      runs: 10,
      maxConcurrency: 4,
      minPassRate: 0.85,
      comment: false,
      annotations: false,
      cache: false,
      onMissingSecrets: 'skip',
      reportDir: '',
      baseline: 'baselines/main.json',
      failOnRegression: 'any',
      alpha: 0.01,
    });
  });

  it.each([
    ['runs', '0', 'input runs is "0"', 'use a whole number ≥ 1'],
    ['runs', '2.5', 'input runs is "2.5"', 'use a whole number ≥ 1'],
    ['max-concurrency', 'many', 'input max-concurrency is "many"', 'use a whole number ≥ 1'],
    ['min-pass-rate', '80', 'input min-pass-rate is "80"', 'use a number from 0 to 1 (0.8 means 80%)'],
    ['comment', 'yes', 'input comment is "yes"', 'use true or false'],
    ['on-missing-secrets', 'ignore', 'input on-missing-secrets is "ignore"', 'use skip or fail'],
    ['shard', '0/3', 'input shard "0/3": the shard must be from 1 to 3', 'e.g. 1/4'],
    ['shard', '4/3', 'input shard "4/3": the shard must be from 1 to 3', 'e.g. 1/4'],
    ['shard', '1/0', 'input shard "1/0": the number of shards must be at least 1', 'e.g. 1/4'],
    ['shard', 'abc', 'input shard "abc" is not i/n', 'write i/n with 1 ≤ i ≤ n'],
    ['baseline', '', 'input baseline is empty', 'use auto, off, or the path of a JSON report'],
    [
      'fail-on-regression',
      'sometimes',
      'input fail-on-regression is "sometimes"',
      'use significant (a significant drop fails), any (any drop fails) or off',
    ],
    ['alpha', '0.7', 'input alpha is "0.7"', 'use a number over 0 and at most 0.5, such as 0.05 or 0.01'],
    ['alpha', '0', 'input alpha is "0"', 'use a number over 0 and at most 0.5'],
    ['alpha', '', 'input alpha is empty', 'use a number such as 0.05 or 0.01'],
    [
      'cache-key',
      'a,b',
      'input cache-key is "a,b"',
      'use a short prefix without commas, such as russo-audio',
    ],
  ])('refuses %s: %s with a fix', (name, value, message, hint) => {
    withInputs({ [name]: value });
    const error = (() => {
      try {
        readInputs();
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ message });
    expect((error as InputError).hint).toContain(hint);
  });
});

describe('readInputs: shard and merge', () => {
  it('reads the merge globs, one per line', () => {
    withInputs({ merge: 'shards/*/report.json\nlate/report.json\n' });
    expect(readInputs().merge).toEqual(['shards/*/report.json', 'late/report.json']);
  });

  it('refuses a job that is both a shard and the merge', () => {
    withInputs({ shard: '1/2', merge: 'shards/*/report.json' });
    expect(() => readInputs()).toThrow('inputs shard and merge are both set');
  });
});

describe('maskSecretInputs', () => {
  it('asks the runner to mask every key and the token, and nothing that is empty', () => {
    withInputs({ 'openai-api-key': 'sk-test-123', 'gemini-api-key': '' });
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
    maskSecretInputs();
    expect(out.join('').trim().split('\n')).toEqual([
      '::add-mask::sk-test-123',
      '::add-mask::ghs_workflowtoken',
    ]);
  });
});

describe('providerEnv', () => {
  it('gives providers the keys under their usual names, and keeps out the inputs (token included) and runner tokens', () => {
    withInputs({ 'openai-api-key': 'sk-input', 'gemini-api-key': 'g-input' });
    const env = providerEnv(readInputs(), {
      ...process.env,
      PATH: '/bin',
      GEMINI_API_KEY: 'from-job',
      ACTIONS_RUNTIME_TOKEN: 'runner-secret',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example',
      ACTIONS_CACHE_URL: 'https://cache.example/',
      ACTIONS_STEP_DEBUG: 'true',
    });
    expect(env).toMatchObject({ OPENAI_API_KEY: 'sk-input', GEMINI_API_KEY: 'g-input', PATH: '/bin' });
    expect(
      Object.keys(env).filter((name) => name.startsWith('INPUT_') || name.startsWith('ACTIONS_')),
    ).toEqual(['ACTIONS_STEP_DEBUG']);
    expect(Object.values(env)).not.toContain('ghs_workflowtoken');
  });

  it('leaves a key from the job environment alone when the input is empty', () => {
    withInputs({});
    expect(providerEnv(readInputs(), { OPENAI_API_KEY: 'sk-env' }).OPENAI_API_KEY).toBe('sk-env');
  });
});
