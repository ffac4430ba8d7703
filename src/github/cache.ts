/**
 * Keeps the audio cache across workflow runs with the Actions cache service: restore before the
 * suite, save after it. The key hashes what decides the audio (the synthesizer's provider, model,
 * voices and options, and every prompt), so a changed prompt or voice misses and an unchanged suite
 * restores every clip and makes no TTS request.
 *
 * A miss falls back to the newest cache with the same prefix (`restore-keys`). That is safe because
 * the cache is content-addressed: each clip is stored under a hash of the synthesizer id and the text,
 * so an older cache can only supply clips that are exactly right; prompts it lacks are synthesized,
 * and the complete folder is saved under the new key.
 */
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import type { Suite } from '../scenarios/types.js';
import { availableActionsCache, type ActionsCache } from './actions-cache.js';

/** The primary key and the prefix to fall back on. */
export interface AudioCacheKeys {
  key: string;
  restoreKeys: string[];
}

/**
 * `<prefix>-<hash>`: the hash covers the synthesizer config and the sorted, distinct texts spoken:
 * every prompt, and every `say` of a conversation's turns.
 */
export function audioCacheKeys(suite: Suite, prefix: string): AudioCacheKeys {
  const spoken = suite.scenarios.flatMap((scenario) => [
    ...scenario.prompts.map((prompt) => prompt.text),
    ...(scenario.turns ?? []).map((turn) => turn.say),
  ]);
  const prompts = [...new Set(spoken)].sort();
  const hash = createHash('sha256')
    .update(stableJson({ synthesizer: suite.config.synthesizer, prompts }))
    .digest('hex')
    .slice(0, 32);
  return { key: `${prefix}-${hash}`, restoreKeys: [`${prefix}-`] };
}

/** A restored (or not) audio cache: call `save` after the suite; it returns a line for the summary. */
export interface AudioCacheSession {
  save(): Promise<string>;
}

/**
 * Restores the suite's audio cache folder from the Actions cache, if the config keeps a cache, the
 * `cache` input is on and the cache service is reachable (it is on runners, not in a plain shell).
 * Failures are warnings and a cold cache, never a failed step.
 */
export async function restoreAudioCache(
  suite: Suite,
  options: { enabled: boolean; prefix: string },
): Promise<AudioCacheSession> {
  const { dir } = suite.config.cache;
  const fixed = (note: string): AudioCacheSession => ({ save: async () => note });
  if (!suite.config.cache.enabled) return fixed('off in the config');
  if (!options.enabled) return fixed('kept for this job only (input cache: false)');
  const cache = await availableActionsCache();
  if (cache === undefined) {
    return fixed(
      'kept for this job only: the Actions cache service is not available here (ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL unset)',
    );
  }
  const keys = audioCacheKeys(suite, options.prefix);
  let restoredKey: string | undefined;
  let restoreNote: string;
  try {
    restoredKey = await cache.restoreCache([dir], keys.key, keys.restoreKeys);
    restoreNote =
      restoredKey === undefined
        ? `no cache for ${keys.key} yet`
        : restoredKey === keys.key
          ? `restored ${restoredKey} (exact: no prompt is synthesized again)`
          : `restored ${restoredKey} (an earlier suite: only new or changed prompts are synthesized)`;
  } catch (error) {
    core.warning(`The audio cache could not be restored: ${(error as Error).message}`);
    restoreNote = 'restore failed';
  }
  core.info(`Audio cache: ${restoreNote}`);
  return { save: async () => `${restoreNote}; ${await saveAudioCache(cache, dir, keys, restoredKey)}` };
}

/** Saves the folder under the primary key unless it was restored under that very key (nothing new) or is empty. */
async function saveAudioCache(
  cache: ActionsCache,
  dir: string,
  keys: AudioCacheKeys,
  restoredKey: string | undefined,
): Promise<string> {
  if (restoredKey === keys.key) return 'unchanged, not saved again';
  if (!existsSync(dir) || readdirSync(dir).length === 0) return 'nothing synthesized, nothing saved';
  try {
    const id = await cache.saveCache([dir], keys.key);
    return id === -1 ? `not saved under ${keys.key} (see the log)` : `saved under ${keys.key}`;
  } catch (error) {
    core.warning(`The audio cache could not be saved: ${(error as Error).message}`);
    return 'save failed (see the warning)';
  }
}

/** JSON with object keys sorted, so that the same config always hashes the same. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
