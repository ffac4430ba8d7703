import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { audioCacheKeys, restoreAudioCache } from '../../src/github/cache.js';
import type { Scenario, Suite } from '../../src/scenarios/types.js';
import { startFakeCacheService, type FakeCacheService } from '../fakes/github-cache-server.js';
import { DEFAULT_LIMITS } from '../../src/scenarios/limits.js';

const TOKEN = 'runtime-token';

function scenario(name: string, prompts: string[]): Scenario {
  const at = { file: `scenarios/${name}.yaml`, line: 1, column: 1 };
  return {
    name,
    location: at,
    prompts: prompts.map((text) => ({ text, location: at })),
    expect: [],
    forbid: [],
    match: { order: 'any', extraCalls: 'allow', arguments: 'subset', validateArguments: true },
    runs: 1,
    minPassRate: 1,
    timeoutMs: 1000,
    tags: [],
  };
}

function suite(
  workspace: string,
  options: { prompts?: string[]; voices?: string[]; cache?: boolean } = {},
): Suite {
  return {
    cwd: workspace,
    tools: [],
    scenarios: [
      scenario('book', options.prompts ?? ['Book a table for two']),
      scenario('cancel', ['Cancel it']),
    ],
    config: {
      baseDir: workspace,
      scenarios: ['scenarios/**/*.yaml'],
      synthesizer: { provider: 'flite', voices: options.voices ?? ['kal16'] },
      maxConcurrency: 1,
      defaults: {
        runs: 1,
        timeoutMs: 1000,
        match: { order: 'any', extraCalls: 'allow', arguments: 'subset', validateArguments: true },
        minPassRate: 1,
      },
      gate: { minPassRate: null, maxErrors: 0, maxFlakyRate: null },
      cache: { enabled: options.cache ?? true, dir: join(workspace, '.russo', 'cache') },
      limits: DEFAULT_LIMITS,
      locations: {},
    },
  };
}

describe('audioCacheKeys', () => {
  const base = suite('/ws');

  it('is the same for the same prompts and synthesizer, whatever the scenario order', () => {
    const reordered = { ...base, scenarios: [...base.scenarios].reverse() };
    expect(audioCacheKeys(reordered, 'russo-audio')).toEqual(audioCacheKeys(base, 'russo-audio'));
    expect(audioCacheKeys(base, 'russo-audio').key).toMatch(/^russo-audio-[0-9a-f]{32}$/);
    expect(audioCacheKeys(base, 'russo-audio').restoreKeys).toEqual(['russo-audio-']);
  });

  it('changes when a prompt, a voice or a synthesizer option changes', () => {
    const key = audioCacheKeys(base, 'p').key;
    expect(audioCacheKeys(suite('/ws', { prompts: ['Book a table for three'] }), 'p').key).not.toBe(key);
    expect(audioCacheKeys(suite('/ws', { voices: ['slt'] }), 'p').key).not.toBe(key);
    const faster = suite('/ws');
    faster.config.synthesizer = { ...faster.config.synthesizer, speed: 1.2 };
    expect(audioCacheKeys(faster, 'p').key).not.toBe(key);
  });

  it("changes when a conversation turn's say changes, not only its first", () => {
    const conversation = (second: string): Suite => {
      const withTurns = suite('/ws');
      const location = { file: 'c.yaml', line: 1, column: 1 };
      const turns = ['I would like a table', second].map((say) => ({ say, location, forbid: [] }));
      withTurns.scenarios = [{ ...scenario('talk', ['I would like a table']), turns }];
      return withTurns;
    };
    expect(audioCacheKeys(conversation('Two people please'), 'p').key).not.toBe(
      audioCacheKeys(conversation('Three people please'), 'p').key,
    );
  });
});

describe('restoreAudioCache', () => {
  let service: FakeCacheService;
  let workspace: string;

  beforeAll(async () => {
    service = await startFakeCacheService(TOKEN);
  });
  afterAll(() => service.close());
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  function onRunner(): void {
    workspace = mkdtempSync(join(tmpdir(), 'russo-cache-'));
    vi.stubEnv('ACTIONS_CACHE_URL', service.url);
    vi.stubEnv('ACTIONS_RUNTIME_TOKEN', TOKEN);
    vi.stubEnv('ACTIONS_CACHE_SERVICE_V2', '');
    vi.stubEnv('GITHUB_WORKSPACE', workspace);
    vi.stubEnv('RUNNER_TEMP', join(workspace, '.runner-temp'));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  }

  function writeClips(dir: string, names: string[]): void {
    mkdirSync(dir, { recursive: true });
    for (const name of names) writeFileSync(join(dir, name), `audio of ${name}`);
  }

  it('saves after a cold run, restores everything on the next, and then saves nothing', async () => {
    onRunner();
    const first = suite(workspace);
    const dir = first.config.cache.dir;
    const cold = await restoreAudioCache(first, { enabled: true, prefix: 'russo-audio' });
    writeClips(dir, ['a.wav', 'b.wav']);
    const { key } = audioCacheKeys(first, 'russo-audio');
    expect(await cold.save()).toBe(`no cache for ${key} yet; saved under ${key}`);
    expect(service.entries.map((entry) => entry.key)).toEqual([key]);

    rmSync(dir, { recursive: true });
    const warm = await restoreAudioCache(first, { enabled: true, prefix: 'russo-audio' });
    expect(readdirSync(dir).sort()).toEqual(['a.wav', 'b.wav']);
    expect(readFileSync(join(dir, 'a.wav'), 'utf8')).toBe('audio of a.wav');
    expect(await warm.save()).toBe(
      `restored ${key} (exact: no prompt is synthesized again); unchanged, not saved again`,
    );
    expect(service.entries).toHaveLength(1);

    // A changed prompt misses the exact key, falls back on the prefix, and saves the grown folder anew.
    rmSync(dir, { recursive: true });
    const changed = suite(workspace, { prompts: ['Book a table for three'] });
    const next = await restoreAudioCache(changed, { enabled: true, prefix: 'russo-audio' });
    expect(readdirSync(dir).sort()).toEqual(['a.wav', 'b.wav']);
    writeClips(dir, ['c.wav']);
    const newKey = audioCacheKeys(changed, 'russo-audio').key;
    expect(await next.save()).toBe(
      `restored ${key} (an earlier suite: only new or changed prompts are synthesized); saved under ${newKey}`,
    );
    expect(service.entries.map((entry) => entry.key)).toEqual([key, newKey]);
  });

  it('saves nothing when nothing was synthesized', async () => {
    onRunner();
    const session = await restoreAudioCache(suite(workspace, { prompts: ['never said'] }), {
      enabled: true,
      prefix: 'empty',
    });
    expect(await session.save()).toMatch(/; nothing synthesized, nothing saved$/);
    expect(existsSync(join(workspace, '.russo'))).toBe(false);
  });

  it('says why the cache is not persisted: off in the config, off by input, or no cache service', async () => {
    onRunner();
    const requests = service.requests.length;
    expect(
      await (
        await restoreAudioCache(suite(workspace, { cache: false }), { enabled: true, prefix: 'p' })
      ).save(),
    ).toBe('off in the config');
    expect(await (await restoreAudioCache(suite(workspace), { enabled: false, prefix: 'p' })).save()).toBe(
      'kept for this job only (input cache: false)',
    );
    vi.stubEnv('ACTIONS_CACHE_URL', '');
    expect(await (await restoreAudioCache(suite(workspace), { enabled: true, prefix: 'p' })).save()).toMatch(
      /^kept for this job only: the Actions cache service is not available here/,
    );
    expect(service.requests.length).toBe(requests);
  });
});
