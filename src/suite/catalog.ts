import { agentProviders } from '../agents/registry.js';
import type { ProviderCatalog } from '../scenarios/types.js';
import { synthesizerProviders } from '../synthesize/registry.js';
import { judgeProviders } from './providers.js';

/**
 * Every provider russo knows, as the config schema is built from them: `npm run schemas` compiles it
 * (suite/config-validator.generated.ts) and publishes it (schema/config.schema.json). A run reads its
 * config without them (suite/load.ts's configCatalog): it loads a provider when it builds it.
 */
export const providerCatalog: ProviderCatalog = {
  agents: agentProviders,
  synthesizers: synthesizerProviders,
  judges: judgeProviders,
};
