import type { AgentProvider } from '../core/provider.js';
import { moduleAgentProvider } from './module.js';

/** Every agent provider by its config id. A new provider is one file and one line here. */
export const agentProviders: Readonly<Record<string, AgentProvider>> = {
  module: moduleAgentProvider,
};
