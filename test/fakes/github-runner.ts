// What an Actions runner does around a JavaScript action, for tests: the INPUT_* variables from
// action.yml's defaults and the workflow's `with:`, the files it provides (step summary, outputs,
// event payload), and reading back what the action wrote to them.
import { readFileSync } from 'node:fs';
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
