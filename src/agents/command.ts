import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeWav } from '../audio/wav.js';
import type { AgentProvider } from '../core/provider.js';
import type { Agent, AgentResponse, AgentRunOptions, Audio, ToolDefinition } from '../core/types.js';
import type { CommandSpec } from './command-process.js';
import { ServePool } from './command-serve.js';
import { runOnce } from './command-spawn.js';
import { expandEnv } from './expand-env.js';

/** Options of a CommandAgent (the library spelling of the `command` provider's config keys). */
export interface CommandAgentOptions {
  /** The program and its arguments, e.g. `['python', 'agent.py']`; never run through a shell. */
  command: string[];
  /** spawn (default): one process per run; serve: a pool of long-lived processes speaking JSON lines. */
  mode?: 'spawn' | 'serve';
  /** Working folder of the program (default: the current one). */
  cwd?: string;
  /** The environment the program inherits (default: process.env; the provider gives the suite's, keys included). */
  baseEnv?: NodeJS.ProcessEnv;
  /** Variables added to the inherited environment (already expanded; the provider expands `${NAME}`). */
  env?: Record<string, string>;
  /** Tool definitions, written once to a JSON file whose path the program finds in `RUSSO_TOOLS`. */
  tools?: ToolDefinition[];
  /** Serve mode: most processes at once (default 1; the provider uses the suite's concurrency). */
  processes?: number;
  /** Name in reports (default `command:` and the argv). */
  id?: string;
}

/**
 * Tests any program that hears a WAV file and prints its tool calls as JSON (see "Command agent" in
 * the README). It gets the audio and the tool definitions, never the prompt text. The run's
 * AbortSignal (timeout, cancel) kills the program's whole process group.
 */
export class CommandAgent implements Agent {
  readonly id: string;
  private readonly pool: ServePool | undefined;
  private readonly spec: CommandSpec;
  private toolsDir: string | undefined;

  constructor(private readonly options: CommandAgentOptions) {
    if (options.command.length === 0 || options.command[0] === '') {
      throw new TypeError(
        'CommandAgent needs a command: the program and its arguments, e.g. ["node", "agent.js"]',
      );
    }
    this.id = options.id ?? `command:${options.command.join(' ')}`;
    const mode = options.mode ?? 'spawn';
    this.spec = {
      argv: options.command,
      cwd: options.cwd ?? process.cwd(),
      env: { ...(options.baseEnv ?? process.env), ...options.env, RUSSO_MODE: mode },
    };
    this.pool = mode === 'serve' ? new ServePool(this.spec, options.processes ?? 1) : undefined;
  }

  /** Plays the audio to the program as a 16-bit mono WAV file and returns its answer. */
  async run(audio: Audio, options: AgentRunOptions = {}): Promise<AgentResponse> {
    this.writeTools();
    const wav = encodeWav(audio);
    return this.pool ? this.pool.run(wav, options.signal) : runOnce(this.spec, wav, options.signal);
  }

  /** Ends the serve-mode processes and removes the tools file. */
  async close(): Promise<void> {
    await this.pool?.close();
    if (this.toolsDir) rmSync(this.toolsDir, { recursive: true, force: true });
    this.toolsDir = undefined;
  }

  /** Writes the tool definitions to a temporary file once, before the first process starts. */
  private writeTools(): void {
    if (this.toolsDir || !this.options.tools || this.options.tools.length === 0) return;
    this.toolsDir = mkdtempSync(join(tmpdir(), 'russo-tools-'));
    const path = join(this.toolsDir, 'tools.json');
    writeFileSync(path, `${JSON.stringify(this.options.tools, null, 2)}\n`);
    this.spec.env.RUSSO_TOOLS = path;
  }
}

/** `provider: command`: any program that speaks the command-agent protocol, in spawn or serve mode. */
export const commandAgentProvider: AgentProvider = {
  id: 'command',
  description:
    'Any program: russo writes a WAV file to its stdin and reads {"tool_calls": [...]} from its stdout (spawn mode), or speaks JSON lines with a pool of long-lived processes (serve mode).',
  optionsSchema: {
    type: 'object',
    properties: {
      command: {
        type: 'array',
        items: { type: 'string' },
        minItems: 1,
        description: 'The program and its arguments, e.g. [python, agent.py] (no shell).',
      },
      mode: {
        enum: ['spawn', 'serve'],
        description:
          'spawn (default): one process per run; serve: long-lived processes, one run at a time each.',
      },
      cwd: { type: 'string', description: 'Working folder of the program, relative to the config file.' },
      env: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Environment variables for the program; `${NAME}` is replaced by the variable NAME.',
      },
      processes: {
        type: 'integer',
        minimum: 1,
        description: "Serve mode: most processes at once (default: the suite's concurrency).",
      },
    },
    required: ['command'],
    additionalProperties: false,
  },
  create(options, context) {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries((options.env ?? {}) as Record<string, string>)) {
      env[name] = expandEnv(value, context.env, `agent.env.${name}`);
    }
    return new CommandAgent({
      command: options.command as string[],
      mode: options.mode === 'serve' ? 'serve' : 'spawn',
      cwd: resolve(context.baseDir, typeof options.cwd === 'string' ? options.cwd : '.'),
      baseEnv: context.env,
      env,
      tools: context.tools,
      processes: typeof options.processes === 'number' ? options.processes : context.concurrency,
    });
  },
};
