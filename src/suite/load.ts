import { resolve } from 'node:path';
import { loadConfig } from '../scenarios/config.js';
import type { ConfigCatalog, RussoConfig, Suite } from '../scenarios/types.js';
import { synthesizerProviders } from '../synthesize/registry.js';
import { validateConfig } from './config-validator.generated.js';

/** Where to load from: the working directory, and a config file to use instead of `russo.config.yaml`. */
export interface LoadOptions {
  cwd?: string;
  config?: string;
  /** Stops loading between files (Ctrl-C): loading then throws a CancelledError. */
  signal?: AbortSignal;
  /**
   * Told the config once it is read without a problem, before the scenario files: what a run will
   * need can start while they load (e.g. suite/prepare.ts's prepareSynthesizer).
   */
  onConfig?: (config: RussoConfig) => void;
}

/** What reading a config needs: the compiled config schema and each synthesizer's default voices. */
export const configCatalog: ConfigCatalog = { synthesizers: synthesizerProviders, validateConfig };

/**
 * Loads the config and the scenario files matched by `globs` (relative to `cwd`; the config's
 * `scenarios` when none are given). Every problem in every file is thrown at once as a ScenarioError,
 * each with its file:line:col and a fix.
 *
 * The config is read first, with little of russo loaded (YAML, the compiled config schema, the
 * synthesizers), and handed to `onConfig`; only then are the scenario checks imported (ajv, the
 * evaluators, the tool checks). So what `onConfig` starts, Flite's worker for a `--no-cache` run,
 * boots while they load instead of after.
 */
export async function loadSuite(globs: string[] | undefined, options: LoadOptions = {}): Promise<Suite> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const loaded = loadConfig(cwd, options.config, configCatalog);
  if (loaded.problems.length === 0) options.onConfig?.(loaded.config);
  const { loadScenarioFiles } = await import('../scenarios/load.js');
  return loadScenarioFiles(globs, cwd, loaded, options.signal);
}
