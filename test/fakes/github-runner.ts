// What an Actions runner does around a JavaScript action, for tests: the INPUT_* variables from
// action.yml's defaults and the workflow's `with:`, the files it provides (step summary, outputs,
// event payload), and reading back what the action wrote to them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** action.yml as far as tests need it. */
export interface ActionMetadata {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
  branding?: { icon: string; color: string };
}

/** Reads the repository's action.yml. */
export function readActionMetadata(path = 'action.yml'): ActionMetadata {
  return parse(readFileSync(path, 'utf8')) as ActionMetadata;
}

/**
 * The INPUT_* variables a runner sets: every input with its `with:` value or its default (the
 * `${{ github.token }}` expression evaluated to `token`), named as the runner names them
 * (upper case, spaces to underscores, dashes kept).
 */
export function inputEnv(withInputs: Record<string, string>, token: string): Record<string, string> {
  const { inputs } = readActionMetadata();
  for (const name of Object.keys(withInputs)) {
    if (!(name in inputs)) throw new Error(`action.yml has no input "${name}"`);
  }
  const env: Record<string, string> = {};
  for (const [name, input] of Object.entries(inputs)) {
    const value = withInputs[name] ?? String(input.default ?? '').replace('${{ github.token }}', token);
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return env;
}

/** Parses a GITHUB_OUTPUT file (`name<<delimiter` … `delimiter` blocks, as @actions/core writes them). */
export function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let index = 0; index < lines.length; index++) {
    const header = lines[index]!.match(/^([^=<]+)<<(.+)$/);
    if (header) {
      const end = lines.indexOf(header[2]!, index + 1);
      outputs[header[1]!] = lines.slice(index + 1, end).join('\n');
      index = end;
    } else if (lines[index]!.includes('=')) {
      const [name, ...value] = lines[index]!.split('=');
      outputs[name!] = value.join('=');
    }
  }
  return outputs;
}

/** What one run of the bundled Action left behind. */
export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The step summary file's content. */
  summary: string;
  outputs: Record<string, string>;
}

/** How to run the Action: the workspace it runs in, its `with:`, the event and extra environment. */
export interface RunActionOptions {
  workspace: string;
  with?: Record<string, string>;
  token: string;
  event: { name: string; payload: unknown };
  repository: string;
  apiUrl: string;
  /** More variables (ACTIONS_CACHE_URL for a cache service, a key the job exports). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Runs `node dist/index.js` as a runner runs a JavaScript action: in the workspace, with only the
 * variables a runner sets (no ACTIONS_* unless given, so the cache service is absent), fresh
 * summary and output files, and the event payload in a file.
 */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const files = mkdtempSync(join(tmpdir(), 'russo-runner-'));
  const summary = join(files, 'step_summary.md');
  const output = join(files, 'output.txt');
  const event = join(files, 'event.json');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  writeFileSync(event, JSON.stringify(options.event.payload));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: files,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    GITHUB_EVENT_PATH: event,
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_REPOSITORY: options.repository,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: 'c7d2b7f4a1e9b0f2d5c6e3a8b9f0a1b2c3d4e5f6',
    RUNNER_TEMP: join(files, 'temp'),
    RUNNER_OS: 'Linux',
    ...inputEnv(options.with ?? {}, options.token),
    ...options.env,
  };
  const child = spawn(process.execPath, [resolve('dist/index.js')], { cwd: options.workspace, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(timer);
  return { code, stdout, stderr, summary: readFileSync(summary, 'utf8'), outputs: readOutputs(output) };
}
