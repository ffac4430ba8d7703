import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AgentError } from '../../core/errors.js';
import type { ProviderContext } from '../../core/provider.js';
import { nearest } from '../../core/suggest.js';
import type { ToolDefinition } from '../../core/types.js';
import { connectionFromConfig, OPENAI_CONNECTION_SCHEMA, type OpenAIConnectionOptions } from './client.js';

/** How the model may use the tools: a mode, or one tool it must call. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** What both OpenAI agents take besides the connection: the production prompt, tools and turns. */
export interface OpenAIAgentOptions {
  model?: string;
  /** The agent's system prompt, as it runs in production. */
  instructions?: string;
  /** Tools the model may call, as JSON Schema definitions. */
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** Responses after the first that answer mocked tool results, at most (default 4). */
  maxTurns?: number;
}

/** The config keys of both OpenAI agents besides the connection's, as JSON Schema properties. */
const OPENAI_AGENT_SCHEMA = {
  model: { type: 'string' },
  instructions: { type: 'string', description: "The agent's system prompt, as in production." },
  instructions_file: {
    type: 'string',
    description: 'A file holding the system prompt, relative to the config file (instead of `instructions`).',
  },
  tool_choice: {
    type: 'string',
    description: 'auto (default), none, required, or the name of the one tool the model must call.',
  },
  max_turns: {
    type: 'integer',
    minimum: 0,
    description: 'Follow-up responses after mocked tool results, at most (default 4).',
  },
} as const;

/** The config keys of an OpenAI agent, its connection's included, with `model` described by `modelDescription`. */
export function openAIAgentSchema(modelDescription: string) {
  return {
    ...OPENAI_AGENT_SCHEMA,
    model: { type: 'string', description: modelDescription },
    ...OPENAI_CONNECTION_SCHEMA,
  };
}

/** Reads the config of an OpenAI agent: the model (else `defaultModel`), the connection and the agent keys. */
export async function openAIAgentFromConfig(
  options: Record<string, unknown>,
  context: ProviderContext,
  defaultModel: string,
): Promise<OpenAIAgentOptions & OpenAIConnectionOptions> {
  const model = typeof options.model === 'string' ? options.model : defaultModel;
  return {
    ...connectionFromConfig(options, context, model),
    ...(await agentOptionsFromConfig(options, context)),
    model,
  };
}

/** Reads the agent keys of a config entry: the prompt (inline or from a file), the tools of the context, the tool choice. */
async function agentOptionsFromConfig(
  options: Record<string, unknown>,
  context: ProviderContext,
): Promise<OpenAIAgentOptions> {
  if (typeof options.instructions === 'string' && typeof options.instructions_file === 'string') {
    throw new AgentError(
      'both `instructions` and `instructions_file` are set',
      'keep one: the prompt inline, or the path of the file that holds it',
    );
  }
  let instructions = typeof options.instructions === 'string' ? options.instructions : undefined;
  if (typeof options.instructions_file === 'string') {
    const path = resolve(context.baseDir, options.instructions_file);
    instructions = await readFile(path, 'utf8').catch((error: Error) => {
      throw new AgentError(
        `cannot read instructions_file ${path}: ${error.message}`,
        'the path is relative to the config file',
      );
    });
  }
  return {
    ...(instructions === undefined ? {} : { instructions }),
    tools: context.tools,
    toolChoice: parseToolChoice(options.tool_choice, context.tools),
    ...(typeof options.max_turns === 'number' ? { maxTurns: options.max_turns } : {}),
  };
}

/** `auto`, `none`, `required` or a tool name (which must be one of the tools). */
export function parseToolChoice(value: unknown, tools: readonly ToolDefinition[]): ToolChoice {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  const name = String(value);
  if (tools.some((tool) => tool.name === name)) return { name };
  const names = tools.map((tool) => tool.name);
  const guess = nearest(name, names);
  throw new AgentError(
    `tool_choice "${name}" is neither auto, none, required nor one of the tools`,
    guess
      ? `did you mean "${guess}"?`
      : `use auto, none, required${names.length ? ` or one of ${names.join(', ')}` : ''}`,
  );
}
