import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AgentError } from '../core/errors.js';
import type { AgentProvider } from '../core/provider.js';
import { FunctionAgent, type AgentFunction, type AgentFunctions } from './function.js';

/**
 * `provider: module`: a JavaScript module whose export (default unless `export` names one) is the
 * agent: a function for single prompts, or an object `{turn, run?}` that also holds conversations.
 */
export const moduleAgentProvider: AgentProvider = {
  id: 'module',
  description:
    'A JavaScript module whose export is the agent: a function (audio, {signal, respond}) => response, or {turn(audio, options, conversation), run?} for conversations.',
  optionsSchema: {
    type: 'object',
    properties: {
      module: { type: 'string', description: 'Path of the module, relative to the config file.' },
      export: {
        type: 'string',
        description: 'Name of the export that is the agent (default: the default export).',
      },
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
    const agent = loaded[exportName];
    if (typeof agent !== 'function' && !hasTurn(agent)) {
      throw new AgentError(
        `agent module ${path} has no export "${exportName}" that is a function or {turn, run?}`,
        `export the agent function as ${exportName === 'default' ? '`export default`' : `\`export function ${exportName}\``} (or an object with a \`turn\` function for conversations), or set \`agent.export\``,
      );
    }
    return new FunctionAgent(agent as AgentFunction | AgentFunctions, `module:${options.module}`);
  },
};

/** An object export with a `turn` function (and a `run` function, if any): an agent that converses. */
function hasTurn(value: unknown): value is AgentFunctions {
  if (typeof value !== 'object' || value === null) return false;
  const { turn, run } = value as Record<string, unknown>;
  return typeof turn === 'function' && (run === undefined || typeof run === 'function');
}
