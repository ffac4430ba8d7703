// The baseline step in process, against the fake Actions cache service: what is stored on which
// event, which baseline a pull request restores, and what a restored baseline must be to be used.
import * as cache from '@actions/cache';
import * as github from '@actions/github';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BASELINE_FILE, baselineStep, type BaselineSettings } from '../../src/github/baseline.js';
import { ReportError } from '../../src/report/errors.js';
import { renderJson } from '../../src/report/json.js';
import { startFakeCacheService, type FakeCacheService } from '../fakes/github-cache-server.js';
import { baselineSuite, failingSuite, passingSuite, suiteResult } from '../fixtures/suite-result.js';

const TOKEN = 'runtime-token';
const SCENARIOS = ['book a table', 'cancel reservation'];

let service: FakeCacheService;
let workspace: string;
let log: string[];
// The Action's context is one object per process, which other test files of the worker share.
const { eventName, payload, sha, ref } = github.context;

beforeAll(async () => {
  service = await startFakeCacheService(TOKEN);
});
afterAll(() => {
  Object.assign(github.context, { eventName, payload, sha, ref });
  return service.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A fresh workspace on a runner with the cache service, and the event the workflow runs on. */
function onRunner(
  event: string,
  payload: Record<string, unknown>,
  extra: { sha?: string; ref?: string } = {},
) {
  workspace = mkdtempSync(join(tmpdir(), 'russo-baseline-'));
  vi.stubEnv('ACTIONS_CACHE_URL', service.url);
  vi.stubEnv('ACTIONS_RUNTIME_TOKEN', TOKEN);
  vi.stubEnv('ACTIONS_CACHE_SERVICE_V2', '');
  vi.stubEnv('GITHUB_WORKSPACE', workspace);
  vi.stubEnv('RUNNER_TEMP', join(workspace, '.runner-temp'));
  // The Action runs in the workspace; the cache library finds the file from there.
  vi.spyOn(process, 'cwd').mockReturnValue(workspace);
  log = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => log.push(String(chunk)) > 0);
  Object.assign(github.context, {
    eventName: event,
    payload,
    sha: extra.sha ?? 'a'.repeat(40),
    ref: extra.ref ?? 'refs/heads/main',
  });
}

const repository = { default_branch: 'main' };
const push = (branch: string) => ({ ref: `refs/heads/${branch}`, repository });
const pullRequestInto = (base: string) => ({ pull_request: { number: 3, base: { ref: base } }, repository });

function settings(extra: Partial<BaselineSettings> = {}): BaselineSettings {
  return {
    mode: 'auto',
    failOn: 'significant',
    workspace,
    workingDirectory: '.',
    scenarios: SCENARIOS,
    ...extra,
  };
}

function keys(): string[] {
  return service.entries.map((entry) => entry.key);
}

describe('baselineStep', () => {
  it('stores on a push to the default branch, under the branch and the commit', async () => {
    onRunner('push', push('main'), { sha: '1'.repeat(40) });
    const step = await baselineStep(settings());
    expect(step.baseline).toBeUndefined();
    expect(await step.store(baselineSuite())).toBe(
      `stored as the baseline of main under russo-baseline@main@.@${'1'.repeat(40)}`,
    );
    expect(keys()).toContain(`russo-baseline@main@.@${'1'.repeat(40)}`);
  });

  it('stores on a schedule, but not on a push to another branch nor a cancelled suite', async () => {
    onRunner('schedule', { schedule: '17 3 * * *' }, { sha: '2'.repeat(40), ref: 'refs/heads/main' });
    expect(
      await (await baselineStep(settings({ workingDirectory: 'voice/app' }))).store(baselineSuite()),
    ).toBe(`stored as the baseline of main under russo-baseline@main@voice%2Fapp@${'2'.repeat(40)}`);
    onRunner('push', push('feature/x'));
    expect(await (await baselineStep(settings())).store(baselineSuite())).toBeUndefined();
    onRunner('push', push('main'), { sha: '3'.repeat(40) });
    const cancelled = suiteResult(failingSuite().scenarios, {}, { cancelled: true });
    expect(await (await baselineStep(settings())).store(cancelled)).toBe(
      'not stored: the suite did not finish',
    );
    expect(keys().some((key) => key.endsWith('3'.repeat(40)))).toBe(false);
  });

  it("restores the newest baseline of a pull request's base branch, and no other branch's", async () => {
    onRunner('push', push('main'), { sha: '5'.repeat(40) });
    await (await baselineStep(settings())).store(baselineSuite());
    // Stored later, and its key starts with "russo-baseline@main" too: the @ after the branch keeps it apart.
    onRunner('push', push('main-old'), { sha: '4'.repeat(40) });
    Object.assign(github.context.payload, { repository: { default_branch: 'main-old' } });
    await (await baselineStep(settings())).store(passingSuite());

    onRunner('pull_request', pullRequestInto('main'));
    const step = await baselineStep(settings());
    expect(step.baseline).toMatchObject({ source: 'the baseline of main at 5555555', failOn: 'significant' });
    const restored = step.baseline && 'result' in step.baseline ? step.baseline.result : undefined;
    expect(restored?.scenarios.map((scenario) => scenario.scenario.name)).toContain('retired scenario');
    expect(await step.store(passingSuite())).toBeUndefined();
  });

  it('gates on thresholds alone, with a notice, when the base branch has no baseline', async () => {
    onRunner('pull_request', pullRequestInto('release/2'));
    const step = await baselineStep(settings());
    expect(step.baseline).toEqual({
      missing: 'no baseline of release/2 is stored yet (one is stored on each push to release/2)',
    });
    expect(log.join('')).toContain('::notice::No baseline: no baseline of release/2 is stored yet');
  });

  it('refuses a restored baseline that is too large, not a report, or of another suite, with a warning', async () => {
    const plant = async (branch: string, text: string) => {
      onRunner('push', push(branch));
      const path = join(workspace, BASELINE_FILE);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      await cache.saveCache([BASELINE_FILE], `russo-baseline@${branch}@.@${'6'.repeat(40)}`);
    };
    await plant('poisoned', '{"version": 1, "scenarios": "<script>"}');
    await plant('other', renderJson(baselineSuite()));
    await plant('big', renderJson(baselineSuite()));
    const cases: Array<[string, Partial<BaselineSettings>, RegExp]> = [
      ['poisoned', {}, /is not a russo JSON report \(version 1\)/],
      ['other', { scenarios: ['hours'] }, /no scenario in common/],
      ['big', { maxBytes: 1000 }, /it is \d+ bytes, over the 1000 russo reads/],
    ];
    for (const [branch, extra, reason] of cases) {
      onRunner('pull_request', pullRequestInto(branch));
      const step = await baselineStep(settings(extra));
      expect(step.baseline && 'missing' in step.baseline ? step.baseline.missing : '', branch).toMatch(
        reason,
      );
      expect(log.join(''), branch).toMatch(
        new RegExp(`::warning::No baseline: the baseline of ${branch} at 6666666 cannot be used: `),
      );
    }
  });

  it('reads a baseline from a path: missing is a notice, a file that is no report is bad input', async () => {
    onRunner('pull_request', pullRequestInto('main'));
    writeFileSync(join(workspace, 'base.json'), renderJson(baselineSuite()));
    expect((await baselineStep(settings({ mode: 'base.json' }))).baseline).toMatchObject({
      source: 'base.json',
    });
    expect((await baselineStep(settings({ mode: 'gone.json' }))).baseline).toEqual({
      missing: 'gone.json does not exist',
    });
    writeFileSync(join(workspace, 'bad.json'), '{');
    await expect(baselineStep(settings({ mode: 'bad.json' }))).rejects.toThrow(ReportError);
    expect((await baselineStep(settings({ mode: 'off' }))).baseline).toBeUndefined();
  });

  it('says so when the cache service is not there', async () => {
    onRunner('pull_request', pullRequestInto('main'));
    vi.stubEnv('ACTIONS_CACHE_URL', '');
    vi.stubEnv('ACTIONS_RESULTS_URL', '');
    expect((await baselineStep(settings())).baseline).toEqual({
      missing: 'the Actions cache service is not available here',
    });
  });
});
