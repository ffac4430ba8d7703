import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AgentError } from '../core/errors.js';
import type { AgentProvider } from '../core/provider.js';
import { FunctionAgent, type AgentFunction } from './function.js';

/** `provider: module`: a JavaScript module whose export (default unless `export` names one) is the agent function. */
export const moduleAgentProvider: AgentProvider = {
  id: 'module',
  description:
    'A JavaScript module whose exported function is the agent: (audio, {signal, respond}) => response.',
  optionsSchema: {
    type: 'object',
    properties: {
      module: { type: 'string', description: 'Path of the module, relative to the config file.' },
      export: { type: 'string', description: 'Name of the exported function (default: the default export).' },
    },
    required: ['module'],
    additionalProperties: false,
  },
  async create(options, context) {
    const path = resolve(context.baseDir, String(options.module));
    const exportName = typeof options.export === 'string' ? options.export : 'default';
    let loaded: Record<string, unknown>;
    try {
      // webpackIgnore: the bundles must load the user's module at run time, not resolve it at build time.
      loaded = (await import(/* webpackIgnore: true */ pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (error) {
      throw new AgentError(
        `cannot load agent module ${path}: ${(error as Error).message}`,
        'check `agent.module` in the config: it is relative to the config file',
      );
    }
    const fn = loaded[exportName];
    if (typeof fn !== 'function') {
      throw new AgentError(
        `agent module ${path} has no function export "${exportName}"`,
        `export the agent function as ${exportName === 'default' ? '`export default`' : `\`export function ${exportName}\``}, or set \`agent.export\``,
      );
    }
    return new FunctionAgent(fn as AgentFunction, `module:${options.module}`);
  },
};
