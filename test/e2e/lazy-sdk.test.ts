// Provider SDKs are loaded only when a provider that needs them is used: `russo validate` and a run
// with the command agent load none, a run with the openai-realtime agent loads the openai SDK and ws.
// Checked on what ships. The CLI (the package's bin, lib/) runs as a process with a module hook given
// to `node --import`, which records every file it loads: no file of an SDK's package unless the config
// names a provider that needs it. The Action's bundle (dist/) keeps each SDK in a lazy chunk of its
// own (found by a class the SDK defines), out of dist/index.js.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REALTIME_FAKE_KEY, startRealtimeFake, type RealtimeFake } from '../fakes/openai-realtime.js';
import { project } from '../fixtures/project.js';
import { CLI, ensureBundle } from './bundle.js';

const execute = promisify(execFile);
const COMMAND_AGENT = resolve('test/fixtures/command-agent.mjs');

/**
 * Each SDK: a class it defines, as it appears in the minified bundle (names of classes are kept), and
 * the folder of node_modules its files load from.
 */
const SDKS: Readonly<Record<string, { marker: RegExp; files: string }>> = {
  openai: { marker: /class OpenAI ?\{/, files: 'node_modules/openai/' },
  'openai/realtime/ws': { marker: /class OpenAIRealtimeWS /, files: 'node_modules/openai/realtime/ws.' },
  '@google/genai': { marker: /class GoogleGenAI ?\{/, files: 'node_modules/@google/genai/' },
  ws: { marker: /class WebSocketServer /, files: 'node_modules/ws/' },
};

/** The chunk of the Action's bundle that holds each SDK; fails unless each is in exactly one chunk, and not in dist/index.js. */
function sdkChunks(): Record<string, string> {
  const entry = readFileSync('dist/index.js', 'utf8');
  const chunks = readdirSync('dist')
    .filter((file) => /^\d+\.index\.js$/.test(file))
    .map((file) => [file, readFileSync(join('dist', file), 'utf8')] as const);
  return Object.fromEntries(
    Object.entries(SDKS).map(([sdk, { marker }]) => {
      expect(marker.test(entry), `${sdk} in dist/index.js itself`).toBe(false);
      const holders = chunks.filter(([, code]) => marker.test(code)).map(([file]) => file);
      expect(holders, `the chunks of dist/index.js that hold ${sdk}`).toHaveLength(1);
      return [sdk, holders[0] as string];
    }),
  );
}

// Runs in the CLI's process: records the URL of every module Node loads.
const HOOK = `import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
registerHooks({
  load(url, context, nextLoad) {
    appendFileSync(process.env.LOADED_LOG, url + '\\n');
    return nextLoad(url, context);
  },
});
`;

let folder: string;
let fake: RealtimeFake;
beforeAll(async () => {
  await ensureBundle();
  fake = await startRealtimeFake({
    latencyMs: 10,
    respond: () => ({ calls: [{ name: 'get_opening_hours', arguments: '{}' }] }),
  });
  folder = project({ 'hook.mjs': HOOK });
}, 180_000);
afterAll(() => {
  fake?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

let logs = 0;
/**
 * Runs the CLI with the hook; resolves with its exit code, its output, the files it loaded from
 * node_modules and the SDKs among them.
 */
async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const log = join(folder, `loaded-${++logs}.txt`);
  writeFileSync(log, '');
  const { code, stdout } = await execute(
    process.execPath,
    ['--import', pathToFileURL(join(folder, 'hook.mjs')).href, CLI, ...args],
    { cwd, env: { ...process.env, NO_COLOR: '1', LOADED_LOG: log, ...env }, timeout: 60_000 },
  ).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => error,
  );
  const loaded = readFileSync(log, 'utf8').split('\n');
  const sdks = Object.entries(SDKS)
    .filter(([, { files }]) => loaded.some((url) => url.includes(`/${files}`)))
    .map(([sdk]) => sdk);
  // The hook sees what the process loads: the CLI's entry, and (but for --version and --help) a
  // package every command uses.
  expect(loaded).toContain(pathToFileURL(CLI).href);
  if (!args[0]?.startsWith('--'))
    expect(loaded.some((url) => url.includes('/node_modules/yaml/'))).toBe(true);
  return { code, stdout, sdks, packages: loaded.filter((url) => url.includes('/node_modules/')) };
}

describe('provider SDKs are loaded lazily', () => {
  it("keeps every SDK out of the Action's dist/index.js, each in a lazy chunk of its own", () => {
    const chunks = sdkChunks();
    expect(new Set(Object.values(chunks)).size).toBe(Object.keys(SDKS).length);
  });

  it('russo --version and --help load no package at all: no SDK, nor ajv or yaml', async () => {
    for (const flag of ['--version', '--help']) {
      const { code, stdout, packages } = await cli([flag], resolve('.'));
      expect(stdout).toMatch(flag === '--version' ? /^\d+\.\d+\.\d+\n$/ : /russo run/);
      expect(code).toBe(0);
      expect(packages).toEqual([]);
    }
  }, 90_000);

  it('russo validate loads no SDK', async () => {
    const { code, stdout, sdks } = await cli(['validate'], resolve('.'));
    expect(stdout).toContain('are valid');
    expect(code).toBe(0);
    expect(sdks).toEqual([]);
  }, 90_000);

  it('a run with the command agent loads no SDK', async () => {
    const cwd = project({
      'russo.config.yaml': [
        'synthesizer: { provider: flite, voices: [kal16] }',
        `agent: { provider: command, command: [node, ${JSON.stringify(COMMAND_AGENT)}] }`,
        '',
      ].join('\n'),
      'scenarios/hello.yaml': 'name: hello\nprompts: [Hello there]\nruns: 2\nexpect:\n  - name: heard\n',
    });
    const { code, stdout, sdks } = await cli(['run', '--no-cache'], cwd);
    expect(stdout).toContain('gate passed: 2/2 runs passed');
    expect(code).toBe(0);
    expect(sdks).toEqual([]);
  }, 90_000);

  it('a run with the openai-realtime agent loads the openai SDK and ws, and passes', async () => {
    const cwd = project({
      'russo.config.yaml': [
        'synthesizer: { provider: flite, voices: [kal16] }',
        'agent:',
        '  provider: openai-realtime',
        `  base_url: ${fake.baseURL}`,
        '  tools: tools.json',
        'defaults: { runs: 2 }',
        '',
      ].join('\n'),
      'tools.json': JSON.stringify([{ name: 'get_opening_hours', parameters: { type: 'object' } }]),
      'scenarios/hours.yaml':
        'name: opening hours\nprompts: [When are you open]\nexpect:\n  - name: get_opening_hours\n',
      'fake-ca.pem': fake.ca,
    });
    const { code, stdout, sdks } = await cli(['run', '--no-cache'], cwd, {
      OPENAI_API_KEY: REALTIME_FAKE_KEY,
      NODE_EXTRA_CA_CERTS: join(cwd, 'fake-ca.pem'),
    });
    expect(stdout).toContain('gate passed: 2/2 runs passed');
    expect(code).toBe(0);
    expect(sdks).toEqual(['openai', 'openai/realtime/ws', 'ws']);
  }, 90_000);
});
