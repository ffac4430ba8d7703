// The package as a user gets it: `npm pack`, then `npm install ./russo-<version>.tgz` in a fresh
// project (its dependencies come from the npm registry, or npm's cache when it has them). In that
// project the CLI runs a small offline suite (`npx russo run`: Flite and a command agent), a script
// imports the library (Flite, Pico with its language files from a folder, Sonic), and TypeScript with skipLibCheck off compiles against russo's declarations
// with no devDependency of russo installed (no @types/ws: TS7016 before).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_LANGUAGE_DIR } from '../../src/synthesize/pico.js';
import { ensureLib } from './bundle.js';

const execute = promisify(execFile);
const COMMAND_AGENT = resolve('test/fixtures/command-agent.mjs');
const TSC = resolve('node_modules/typescript/bin/tsc');
// This Node first on the PATH: the CLI's `#!/usr/bin/env node` and npm must not pick an older one.
const env = {
  ...process.env,
  NO_COLOR: '1',
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
};

let folder: string;

/** Runs a command in the installed project; resolves with its exit code and output, never throws on a failure. */
async function inProject(command: string, args: string[]) {
  return execute(command, args, { cwd: folder, env, timeout: 120_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

beforeAll(async () => {
  await ensureLib();
  folder = mkdtempSync(join(tmpdir(), 'russo-installed-'));
  // lib/ is current (ensureLib), so the pack skips `prepare`, which would build it again.
  await execute('npm', ['pack', '--ignore-scripts', '--pack-destination', folder], { env });
  const tarball = readdirSync(folder).find((file) => file.endsWith('.tgz')) as string;
  writeFileSync(join(folder, 'package.json'), '{ "private": true, "type": "module" }\n');
  const types = (
    JSON.parse(readFileSync('node_modules/@types/node/package.json', 'utf8')) as { version: string }
  ).version;
  await execute(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`, `@types/node@${types}`],
    { cwd: folder, env },
  );
}, 600_000);

afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('russo installed from its tarball', () => {
  it("installs none of the Action's packages", () => {
    expect(existsSync(join(folder, 'node_modules/russo/lib/cli/index.js'))).toBe(true);
    for (const name of ['@actions', '@azure', '@octokit', '@types/ws']) {
      expect(existsSync(join(folder, 'node_modules', name)), name).toBe(false);
    }
  });

  it('npx russo run passes an offline suite: Flite speaks, a command agent answers', async () => {
    writeFileSync(
      join(folder, 'russo.config.yaml'),
      [
        'synthesizer: { provider: flite, voices: [kal16] }',
        `agent: { provider: command, command: [node, ${JSON.stringify(COMMAND_AGENT)}] }`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(folder, 'hello.yaml'),
      'name: hello\nprompts: [Hello there]\nruns: 2\nexpect:\n  - name: heard\n    arguments: { riff: true, sample_rate: 16000 }\n',
    );
    const { code, stdout, stderr } = await inProject('npx', [
      '--no',
      'russo',
      'run',
      'hello.yaml',
      '--no-cache',
    ]);
    expect(stdout).toContain('gate passed: 2/2 runs passed');
    expect(stderr).toContain('russo: 1 scenario, 2 runs');
    expect(code).toBe(0);
  });

  it("a script imports the library and runs prompts through russo's pipeline: Flite, Pico, Sonic", async () => {
    // The package leaves Pico's language files out: the script points at the repository's, as a
    // user points at theirs, and the default lookup names the system package that installs them.
    writeFileSync(
      join(folder, 'script.mjs'),
      `import { applyVariant, FliteSynthesizer, FunctionAgent, PicoSynthesizer, run, ToolCallEvaluator } from 'russo';
const languageDir = ${JSON.stringify(resolve('vendor/svox-pico/lang'))};
const agent = new FunctionAgent((audio) => [{ name: 'heard', arguments: { rate: audio.sampleRate } }]);
const results = [];
for (const synthesizer of [new FliteSynthesizer({ voice: 'slt' }), new PicoSynthesizer({ voice: 'en-GB', languageDir })]) {
  const result = await run({
    prompt: 'Book a table for two',
    synthesizer,
    agent,
    evaluator: new ToolCallEvaluator(),
    expect: [{ name: 'heard', arguments: { rate: 16000 } }],
  });
  results.push({ status: result.status, calls: result.response?.toolCalls });
}
const audio = await new PicoSynthesizer({ languageDir }).synthesize('Book a table for two');
const faster = await applyVariant(audio, { name: 'fast', speed: 1.5 }, 1);
results.push({ faster: faster.pcm.length < audio.pcm.length * 0.8 });
try {
  new PicoSynthesizer();
  results.push({ systemFiles: true });
} catch (error) {
  results.push({ missing: error.message, hint: error.hint });
}
console.log(JSON.stringify(results));
`,
    );
    const { code, stdout, stderr } = await inProject(process.execPath, ['script.mjs']);
    expect(stderr).toBe('');
    const heard = { status: 'passed', calls: [{ name: 'heard', arguments: { rate: 16000 } }] };
    const lookup = existsSync(join(SYSTEM_LANGUAGE_DIR, 'en-US_ta.bin'))
      ? { systemFiles: true }
      : {
          missing: "Pico's language files en-US_ta.bin and en-US_lh0_sg.bin are not installed",
          hint: expect.stringContaining('sudo apt-get install libttspico-data') as unknown,
        };
    expect(JSON.parse(stdout)).toEqual([heard, heard, { faster: true }, lookup]);
    expect(code).toBe(0);
  });

  it("TypeScript with skipLibCheck off compiles against 'russo' and 'russo/vitest'", async () => {
    writeFileSync(
      join(folder, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          types: ['node'],
        },
        files: ['check.ts'],
      }),
    );
    writeFileSync(
      join(folder, 'check.ts'),
      `import { OpenAIRealtimeAgent, run, WebSocketAgent, type RealtimeSocketOptions, type RunResult } from 'russo';
import { expectToolCalls, type ExpectToolCallsOptions } from 'russo/vitest';
export const used: unknown[] = [OpenAIRealtimeAgent, WebSocketAgent, run, expectToolCalls];
export type Types = [RealtimeSocketOptions, RunResult, ExpectToolCallsOptions];
`,
    );
    const { code, stdout } = await inProject(process.execPath, [TSC, '-p', '.']);
    expect(stdout).toBe('');
    expect(code).toBe(0);
    // Type-checking every declaration file (@types/node's, the SDKs') takes a while on a busy machine.
  }, 300_000);
});
