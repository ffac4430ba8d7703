import { AgentError } from '../core/errors.js';
import { excerpt } from '../core/tool-call.js';
import type { AgentResponse } from '../core/types.js';
import {
  ANSWER_HINT,
  describeExit,
  killGroup,
  parseAnswer,
  processError,
  spawnGroup,
  startError,
  StderrTail,
  type CommandSpec,
} from './command-process.js';

/** More stdout than any answer needs: an agent that prints this much is stopped. */
const MAX_STDOUT_BYTES = 16 * 1024 * 1024;

/**
 * Spawn mode: starts the program, writes the WAV file to its stdin, and reads one JSON answer from
 * its stdout once it exits. A non-zero exit, no answer or a malformed one is an AgentError with the
 * tail of stderr. An abort kills the process group at once; when the run ends, whatever the agent
 * left running in its group is killed too.
 */
export function runOnce(spec: CommandSpec, wav: Buffer, signal?: AbortSignal): Promise<AgentResponse> {
  return new Promise<AgentResponse>((resolve, reject) => {
    signal?.throwIfAborted();
    const child = spawnGroup(spec);
    const stderr = new StderrTail();
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let failure: Error | undefined;
    const fail = (error: Error) => {
      failure ??= error;
      killGroup(child);
    };
    const onAbort = () =>
      fail(signal?.reason instanceof Error ? signal.reason : new Error(String(signal?.reason)));
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > MAX_STDOUT_BYTES) {
        fail(
          processError(`the agent printed more than ${MAX_STDOUT_BYTES / 1024 / 1024} MB on stdout`, stderr),
        );
      } else {
        stdout.push(chunk);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => fail(startError(spec.argv, error)));
    // The agent is done when it exits: kill what it left behind, whose open pipes would hold `close` back.
    child.on('exit', () => killGroup(child));
    child.on('close', (code, exitSignal) => {
      signal?.removeEventListener('abort', onAbort);
      if (failure) return reject(failure);
      if (code !== 0)
        return reject(processError(`the agent command ${describeExit(code, exitSignal)}`, stderr));
      try {
        resolve(parseAnswer(readJson(Buffer.concat(stdout).toString('utf8'))));
      } catch (error) {
        reject(processError((error as AgentError).message, stderr, (error as AgentError).hint));
      }
    });
    child.stdin.end(wav);
  });
}

/**
 * The answer in the agent's stdout: the whole output as JSON, or else its last non-empty line, so
 * that an agent which logs to stdout before answering still works.
 */
function readJson(stdout: string): unknown {
  const text = stdout.trim();
  if (text === '') throw new AgentError('the agent exited without printing an answer on stdout', ANSWER_HINT);
  try {
    return JSON.parse(text);
  } catch {
    const last = text.slice(text.lastIndexOf('\n') + 1);
    try {
      return JSON.parse(last);
    } catch {
      throw new AgentError(
        `the agent's stdout does not end with a JSON answer: ${excerpt(last)}`,
        ANSWER_HINT,
      );
    }
  }
}
