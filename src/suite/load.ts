import { agentProviders } from '../agents/registry.js';
import { loadSuiteFiles, type LoadOptions } from '../scenarios/load.js';
import type { ProviderCatalog, Suite } from '../scenarios/types.js';
import { synthesizerProviders } from '../synthesize/registry.js';
import { validateConfig } from './config-validator.generated.js';
import { judgeProviders } from './providers.js';

/** The providers russo knows, as the loader checks a config against them. */
export const providerCatalog: ProviderCatalog = {
  agents: agentProviders,
  synthesizers: synthesizerProviders,
  judges: judgeProviders,
  validateConfig,
};

/**
 * Loads the config and the scenario files matched by `globs` (relative to `cwd`; the config's
 * `scenarios` when none are given), checked against every registered provider. Every problem in
 * every file is thrown at once as a ScenarioError, each with its file:line:col and a fix.
 */
export function loadSuite(globs: string[] | undefined, options: LoadOptions = {}): Promise<Suite> {
  return loadSuiteFiles(globs, options, providerCatalog);
}
