import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeWav } from '../audio/wav.js';
import { AgentError } from '../core/errors.js';
import type { AgentProvider } from '../core/provider.js';
import type {
  Agent,
  AgentConversation,
  AgentResponse,
  AgentRunOptions,
  Audio,
  ConversationOptions,
  ToolDefinition,
} from '../core/types.js';
import { CommandConversation } from './command-conversation.js';
import { LineProcess } from './command-lines.js';
import type { CommandSpec } from './command-process.js';
import { ServePool, STOP_GRACE_MS } from './command-serve.js';
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

/** What a spawn-mode program that dies in its first conversation turn is reminded of. */
const CONVERSATION_HINT =
  'in a conversation a spawn-mode program gets RUSSO_MODE=conversation and speaks JSON lines, not a WAV file on stdin (see "Conversations" in docs/command-agent.md)';

/**
 * Tests any program that hears a WAV file and prints its tool calls as JSON (docs/command-agent.md).
 * It gets the audio and the tool definitions, never the prompt text. The run's AbortSignal
 * (timeout, cancel) kills the program's whole process group. Conversations (`converse`) hold one
 * process for their whole length: one of the serve-mode pool, or one of their own in spawn mode.
 */
export class CommandAgent implements Agent {
  readonly id: string;
  private readonly pool: ServePool | undefined;
  private readonly spec: CommandSpec;
  private toolsDir: string | undefined;
  private conversations = 0;
  /** Spawn mode: the processes of conversations not closed yet, ended by `close()` at the latest. */
  private readonly spawned = new Set<LineProcess>();
  private closed = false;

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
    if (!this.pool) return runOnce(this.spec, wav, options.signal);
    return this.pool.run(wav, options.respond, options.signal);
  }

  /**
   * Starts a conversation: a serve-mode process taken from the pool (waiting for a free one) and
   * held until `close()`, or in spawn mode a process of its own started with RUSSO_MODE=conversation
   * and ended by closing its stdin.
   */
  async converse(options: ConversationOptions = {}): Promise<AgentConversation> {
    this.writeTools();
    const id = `c${++this.conversations}`;
    if (this.pool) {
      const pool = this.pool;
      const worker = await pool.acquire(options.signal);
      return new CommandConversation(worker, id, options.signal, async () => pool.release(worker));
    }
    if (this.closed) throw new AgentError('the agent was closed');
    options.signal?.throwIfAborted();
    const spec = { ...this.spec, env: { ...this.spec.env, RUSSO_MODE: 'conversation' } };
    const worker = new LineProcess(spec, undefined, CONVERSATION_HINT);
    this.spawned.add(worker);
    return new CommandConversation(worker, id, options.signal, async () => {
      this.spawned.delete(worker);
      await worker.stop(STOP_GRACE_MS);
    });
  }

  /** Ends the serve-mode processes and those of open conversations, and removes the tools file. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.pool?.close(), ...[...this.spawned].map((worker) => worker.stop(STOP_GRACE_MS))]);
    this.spawned.clear();
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
