import { opendirSync } from 'node:fs';
import type { RussoConfig } from '../scenarios/types.js';
import { synthesizerProviders } from '../synthesize/registry.js';

/**
 * Starts the configured synthesizer's engine (Flite's worker thread) ahead of the first run, when
 * cached audio cannot serve the first runs: `cache` is off (`--no-cache`), the config turns the cache
 * off, or its folder holds no audio yet. Call it as soon as the config is read (LoadOptions'
 * `onConfig`): the engine then starts while the rest of russo loads and the scenario files are read.
 * With cached audio it does nothing, since the first runs need no engine.
 */
export function prepareSynthesizer(config: RussoConfig, cache = true): void {
  const provider = synthesizerProviders[config.synthesizer.provider];
  if (provider?.prepare === undefined) return;
  if (cache && config.cache.enabled && holdsAudio(config.cache.dir)) return;
  provider.prepare();
}

/** Whether a cache folder holds a WAV file; it stops at the first, since the folder may hold thousands. */
function holdsAudio(dir: string): boolean {
  let folder;
  try {
    folder = opendirSync(dir);
  } catch {
    return false;
  }
  try {
    for (let entry = folder.readSync(); entry !== null; entry = folder.readSync()) {
      if (entry.name.endsWith('.wav')) return true;
    }
    return false;
  } finally {
    folder.closeSync();
  }
}
