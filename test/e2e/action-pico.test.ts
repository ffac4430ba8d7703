// The bundled Action speaks with SVOX Pico as a runner has it: dist/index.js reads Pico's language
// files from the repository's vendor/ beside it (the Action is downloaded as the whole repository),
// not from a second copy in dist/.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushEvent } from '../fakes/github-events.js';
import { runAction } from '../fakes/github-runner.js';
import { startFakeGitHub, type FakeGitHub } from '../fakes/github-server.js';
import { ensureBundle } from './bundle.js';

const TOKEN = 'ghs_picoworkflowtoken';
const OWNER = 'acme';
const REPO = 'voice';

// The agent refuses anything that is not 16 kHz speech, and books the table it was asked for.
const FILES = {
  'russo.config.yaml': `synthesizer:
  provider: pico
  voices: [en-US, de-DE]
agent:
  provider: module
  module: agent.mjs
defaults:
  runs: 1
`,
  'agent.mjs': `export default async function agent(audio) {
  let energy = 0;
  for (const sample of audio.pcm) energy += sample * sample;
  const seconds = audio.pcm.length / audio.sampleRate;
  if (audio.sampleRate !== 16000 || seconds < 0.5 || Math.sqrt(energy / audio.pcm.length) < 200) {
    throw new Error('not Pico speech: ' + seconds + ' s at ' + audio.sampleRate + ' Hz');
  }
  return [{ name: 'book_table', arguments: { party_size: 2 } }];
}
`,
  'scenarios/book.yaml': `name: book a table
prompts:
  - Book a table for two
expect:
  - name: book_table
    arguments: { party_size: 2 }
`,
};

let github: FakeGitHub;

beforeAll(async () => {
  await ensureBundle();
  github = await startFakeGitHub({ token: TOKEN, owner: OWNER, repo: REPO });
}, 300_000);

afterAll(() => github?.close());

describe('the bundled Action with the pico synthesizer', () => {
  it('carries no copy of the language files, and speaks every voice from vendor/', async () => {
    expect(readdirSync('dist').filter((file) => file.endsWith('.bin'))).toEqual([]);
    const workspace = mkdtempSync(join(tmpdir(), 'russo-action-pico-'));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(workspace, path)), { recursive: true });
      writeFileSync(join(workspace, path), text);
    }
    const job = await runAction({
      workspace,
      token: TOKEN,
      repository: `${OWNER}/${REPO}`,
      apiUrl: github.url,
      event: { name: 'push', payload: pushEvent({ owner: OWNER, repo: REPO }) },
    });
    expect(job.stderr).toBe('');
    expect(job.code).toBe(0);
    expect(job.outputs).toMatchObject({ result: 'passed', passed: '2', total: '2' });
    const report = JSON.parse(readFileSync(job.outputs['report-json']!, 'utf8'));
    expect(report.voices).toEqual(['en-US', 'de-DE']);
    expect(report.providers.synthesis.requests).toBe(2);
  });
});
