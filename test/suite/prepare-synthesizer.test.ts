// prepareSynthesizer: the configured synthesizer's engine starts while the scenarios load only when
// no cached audio can serve the first runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/scenarios/config.js';
import { configCatalog } from '../../src/suite/load.js';
import { prepareSynthesizer } from '../../src/suite/prepare.js';
import { fliteSynthesizerProvider } from '../../src/synthesize/flite.js';
import { project } from '../fixtures/project.js';

/** The config of a project with `yaml` as its config file. */
function configOf(yaml: string) {
  const { config, problems } = loadConfig(project({ 'russo.config.yaml': yaml }), undefined, configCatalog);
  expect(problems).toEqual([]);
  return config;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('prepareSynthesizer', () => {
  it('starts Flite when the cache folder holds no audio, is missing, or the cache is off', () => {
    const prepare = vi.spyOn(fliteSynthesizerProvider, 'prepare').mockImplementation(() => {});
    const config = configOf('synthesizer: { provider: flite }\n');
    prepareSynthesizer(config);
    expect(prepare).toHaveBeenCalledTimes(1);
    mkdirSync(config.cache.dir, { recursive: true });
    writeFileSync(join(config.cache.dir, 'left-over.tmp'), '');
    prepareSynthesizer(config);
    expect(prepare).toHaveBeenCalledTimes(2);
    prepareSynthesizer(configOf('cache: { enabled: false }\n'));
    expect(prepare).toHaveBeenCalledTimes(3);
  });

  it('does nothing when the cache holds audio, unless the run turns the cache off', () => {
    const prepare = vi.spyOn(fliteSynthesizerProvider, 'prepare').mockImplementation(() => {});
    const config = configOf('synthesizer: { provider: flite }\n');
    mkdirSync(config.cache.dir, { recursive: true });
    writeFileSync(join(config.cache.dir, 'a1b2.wav'), '');
    prepareSynthesizer(config);
    expect(prepare).not.toHaveBeenCalled();
    prepareSynthesizer(config, false);
    expect(prepare).toHaveBeenCalledTimes(1);
  });

  it('does nothing for a synthesizer that has nothing to start', () => {
    const prepare = vi.spyOn(fliteSynthesizerProvider, 'prepare').mockImplementation(() => {});
    expect(() => prepareSynthesizer(configOf('synthesizer: { provider: openai }\n'), false)).not.toThrow();
    expect(prepare).not.toHaveBeenCalled();
  });
});
