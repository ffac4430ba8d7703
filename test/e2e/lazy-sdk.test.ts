// Provider SDKs are loaded only when a provider that needs them is used: `russo validate` and a run
// with the command agent load none, a run with the openai-realtime agent loads the openai SDK and ws.
// Checked on the shipped bundles, as processes run from a copy of dist/ in a folder with no
// node_modules above it (the chunks must come along): each SDK sits in a lazy chunk of its own
// (found by a class the SDK defines), and a module hook given to `node --import` records every file
// of dist/ the process loads.
import { execFile } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REALTIME_FAKE_KEY, startRealtimeFake, type RealtimeFake } from '../fakes/openai-realtime.js';
import { project } from '../fixtures/project.js';
import { ensureBundle } from './bundle.js';

const execute = promisify(execFile);
const COMMAND_AGENT = resolve('test/fixtures/command-agent.mjs');

/** A class each SDK defines, as it appears in the bundles (ncc does not minify). */
const SDK_MARKERS: Readonly<Record<string, string>> = {
  openai: 'class OpenAI {',
  'openai/realtime/ws': 'class OpenAIRealtimeWS ',
  '@google/genai': 'class GoogleGenAI {',
  ws: 'class WebSocket extends EventEmitter {',
};

/** The lazy chunks of a bundle (`<id>.cli.js` or `<id>.index.js`) with their code. */
function chunksOf(bundle: 'cli' | 'index'): Map<string, string> {
  const pattern = new RegExp(`^\\d+\\.${bundle}\\.js$`);
  const files = readdirSync(dist).filter((file) => pattern.test(file));
  return new Map(files.map((file) => [file, readFileSync(join(dist, file), 'utf8')]));
}

/** The chunk of a bundle that holds each SDK; fails unless each is in exactly one chunk, and not in the entry file. */
function sdkChunks(bundle: 'cli' | 'index'): Record<string, string> {
  const entry = readFileSync(join(dist, `${bundle}.js`), 'utf8');
  const chunks = [...chunksOf(bundle)];
  return Object.fromEntries(
    Object.entries(SDK_MARKERS).map(([sdk, marker]) => {
      expect(entry.includes(marker), `${sdk} in ${bundle}.js itself`).toBe(false);
      const holders = chunks.filter(([, code]) => code.includes(marker)).map(([file]) => file);
      expect(holders, `the chunks of ${bundle}.js that hold ${sdk}`).toHaveLength(1);
      return [sdk, holders[0] as string];
    }),
  );
}

// Runs in the CLI's process: records the URL of every module Node loads (the bundle's entry and chunks).
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
/** The copy of dist/ that the tests run. */
let dist: string;
let fake: RealtimeFake;
beforeAll(async () => {
  await ensureBundle();
  fake = await startRealtimeFake({
    latencyMs: 10,
    respond: () => ({ calls: [{ name: 'get_opening_hours', arguments: '{}' }] }),
  });
  folder = project({ 'hook.mjs': HOOK });
  dist = join(folder, 'dist');
  cpSync('dist', dist, { recursive: true });
}, 180_000);
afterAll(() => {
  fake?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

let logs = 0;
/** Runs the bundled CLI with the hook; resolves with its exit code, its output and the files of dist/ it loaded. */
async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const log = join(folder, `loaded-${++logs}.txt`);
  writeFileSync(log, '');
  const { code, stdout } = await execute(
    process.execPath,
    ['--import', pathToFileURL(join(folder, 'hook.mjs')).href, join(dist, 'cli.js'), ...args],
    { cwd, env: { ...process.env, NO_COLOR: '1', LOADED_LOG: log, ...env }, timeout: 60_000 },
  ).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => error,
  );
  const inDist = pathToFileURL(dist).href + '/';
  const loaded = readFileSync(log, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith(inDist))
    .map((url) => url.slice(inDist.length));
  return { code, stdout, loaded };
}

describe('provider SDKs are loaded lazily (bundled CLI)', () => {
  it('keeps every SDK out of the entry files of both bundles, each in a lazy chunk of its own', () => {
    for (const bundle of ['cli', 'index'] as const) {
      const chunks = sdkChunks(bundle);
      expect(new Set(Object.values(chunks)).size).toBe(Object.keys(SDK_MARKERS).length);
    }
  });

  it('russo validate loads no SDK', async () => {
    const { code, stdout, loaded } = await cli(['validate'], resolve('.'));
    expect(stdout).toContain('are valid');
    expect(code).toBe(0);
    expect(loaded).toContain('cli.js'); // the hook sees what the process loads
    for (const chunk of Object.values(sdkChunks('cli'))) expect(loaded).not.toContain(chunk);
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
    const { code, stdout, loaded } = await cli(['run', '--no-cache'], cwd);
    expect(stdout).toContain('gate passed: 2/2 runs passed');
    expect(code).toBe(0);
    expect(loaded).toContain('cli.js');
    for (const chunk of Object.values(sdkChunks('cli'))) expect(loaded).not.toContain(chunk);
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
    const { code, stdout, loaded } = await cli(['run', '--no-cache'], cwd, {
      OPENAI_API_KEY: REALTIME_FAKE_KEY,
      NODE_EXTRA_CA_CERTS: join(cwd, 'fake-ca.pem'),
    });
    expect(stdout).toContain('gate passed: 2/2 runs passed');
    expect(code).toBe(0);
    const chunks = sdkChunks('cli');
    expect(loaded).toEqual(
      expect.arrayContaining([chunks.openai, chunks['openai/realtime/ws'], chunks.ws] as string[]),
    );
    expect(loaded).not.toContain(chunks['@google/genai']);
  }, 90_000);
});
