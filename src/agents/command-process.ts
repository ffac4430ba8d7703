import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { AgentError } from '../core/errors.js';
import { excerpt, normalizeToolCall } from '../core/tool-call.js';
import type { AgentResponse, ToolCall } from '../core/types.js';

/** How to start the agent's program: argv, working folder and full environment. */
export interface CommandSpec {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const TAIL_LINES = 20;
const TAIL_BYTES = 2048;

/** Process groups still running, killed when russo itself exits (a detached group outlives its parent). */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * Starts the program as the leader of a new process group, so that a timeout or a cancel can kill it
 * together with every process it started (`killGroup`). The group is also killed if russo exits first.
 */
export function spawnGroup(spec: CommandSpec): ChildProcessWithoutNullStreams {
  const [program, ...args] = spec.argv;
  const child = spawn(program ?? '', args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: 'pipe' });
  // Writing to an agent that exited without reading its input fails with EPIPE; its exit says why.
  child.stdin.on('error', () => undefined);
  if (child.pid !== undefined) {
    liveGroups.add(child.pid);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', () => liveGroups.forEach((pid) => signalGroup(pid)));
    }
  }
  return child;
}

/** Kills the child's whole process group (SIGKILL); leftovers of an agent that already exited go too. */
export function killGroup(child: ChildProcessWithoutNullStreams): void {
  if (child.pid === undefined) return;
  signalGroup(child.pid);
  liveGroups.delete(child.pid);
}

function signalGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** The AgentError for a program that could not be started (not found, not executable). */
export function startError(argv: readonly string[], error: NodeJS.ErrnoException): AgentError {
  return new AgentError(
    `cannot start the agent command \`${argv.join(' ')}\`: ${error.code === 'ENOENT' ? `${argv[0]} was not found` : error.message}`,
    'check `agent.command`: the first item is the program (on PATH, or a path relative to `agent.cwd`)',
  );
}

/** The last lines of a process's stderr (at most 20 lines and 2 KB), for error messages. */
export class StderrTail {
  private text = '';

  /** Appends a chunk of stderr, keeping only the end. */
  push(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-TAIL_BYTES * 2);
  }

  /** The tail, or '' when the process wrote nothing. */
  toString(): string {
    const lines = this.text.trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
    return lines.length > TAIL_BYTES ? `…${lines.slice(-TAIL_BYTES)}` : lines;
  }
}

/** An AgentError whose message ends with the agent's recent stderr, where the reason usually is. */
export function processError(message: string, stderr: StderrTail, hint?: string): AgentError {
  const tail = stderr.toString();
  return new AgentError(tail === '' ? `${message} (no stderr)` : `${message}; stderr:\n${tail}`, hint);
}

/** How a process ended, in words: `exited with code 3` or `was killed by SIGSEGV`. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return code === null ? `was killed by ${signal ?? 'a signal'}` : `exited with code ${code}`;
}

/** What a malformed answer's error tells the user to print. */
export const ANSWER_HINT =
  'the agent must print {"tool_calls": [{"name": "...", "arguments": {...}}], "transcript": "...", "text": "..."} (see docs/command-agent.md)';

/**
 * Reads one answer of the protocol: `tool_calls` (arguments may be a JSON string), optional
 * `transcript`, `text` and `latency_ms`. `tool_calls` may be left out or empty when the program
 * reported its calls one by one (`reported`), which are then the answer's calls. Anything else is
 * an AgentError naming what is wrong.
 */
export function parseAnswer(value: unknown, reported: ToolCall[] = []): AgentResponse {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AgentError(
      `the agent's answer is not a JSON object: ${excerpt(JSON.stringify(value) ?? '')}`,
      ANSWER_HINT,
    );
  }
  const answer = value as Record<string, unknown>;
  if (!Array.isArray(answer.tool_calls) && reported.length === 0) {
    throw new AgentError(
      `the agent's answer has no "tool_calls" array: ${excerpt(JSON.stringify(answer))}`,
      ANSWER_HINT,
    );
  }
  const listed = Array.isArray(answer.tool_calls) ? answer.tool_calls : [];
  const toolCalls =
    listed.length === 0
      ? reported
      : listed.map((call: unknown): ToolCall => {
          const entry = call as Record<string, unknown> | null;
          if (typeof entry !== 'object' || entry === null || typeof entry.name !== 'string') {
            throw new AgentError(
              `a tool call in the agent's answer has no "name": ${excerpt(JSON.stringify(call))}`,
              ANSWER_HINT,
            );
          }
          return normalizeToolCall(entry.name, entry.arguments);
        });
  return {
    toolCalls,
    ...(typeof answer.transcript === 'string' ? { transcript: answer.transcript } : {}),
    ...(typeof answer.text === 'string' ? { text: answer.text } : {}),
    ...(typeof answer.latency_ms === 'number' ? { latencyMs: answer.latency_ms } : {}),
  };
}
