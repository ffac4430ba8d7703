import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { project } from '../fixtures/project.js';
import { REALTIME_FAKE_KEY, startRealtimeFake, type RealtimeFake } from '../fakes/openai-realtime.js';
import { CLI, ensureBundle } from './bundle.js';

const run = promisify(execFile);

// The fake model cannot understand speech; like the module agent of cli.test.ts it answers by the
// length of what it heard (24 kHz samples): long clips are bookings, short ones ask for the hours.
let fake: RealtimeFake;
beforeAll(async () => {
  await ensureBundle();
  fake = await startRealtimeFake({
    latencyMs: 50,
    respond: (session) =>
      session.samples / 24000 > 1.8
        ? { calls: [{ name: 'book_table', arguments: '{"party_size":2,"time":"19:00"}' }] }
        : { calls: [{ name: 'get_opening_hours', arguments: '{}' }] },
  });
}, 180_000);
afterAll(() => fake.close());

const TOOLS = JSON.stringify([
  {
    name: 'book_table',
    parameters: { type: 'object', properties: { party_size: { type: 'integer' }, time: { type: 'string' } } },
  },
  { name: 'get_opening_hours', parameters: { type: 'object', properties: {} } },
]);

describe('russo run with the openai-realtime agent (the package CLI)', () => {
  it('plays each run to its own Realtime session, passes, exits, and never shows the key', async () => {
    const cwd = project({
      'russo.config.yaml': [
        'synthesizer:',
        '  provider: flite',
        '  voices: [kal16]',
        'agent:',
        '  provider: openai-realtime',
        `  base_url: ${fake.baseURL}`,
        '  tools: tools.json',
        '  instructions: You take restaurant bookings.',
        'max_concurrency: 3',
        'defaults:',
        '  runs: 4',
        '',
      ].join('\n'),
      'tools.json': TOOLS,
      'scenarios/hours.yaml':
        'name: opening hours\nprompts: [When are you open]\nexpect:\n  - name: get_opening_hours\n',
      'scenarios/book.yaml':
        'name: book a table\nprompts: [Book a table for two at seven tonight]\nexpect:\n  - name: book_table\n    arguments: { party_size: 2 }\n',
    });
    // The fake's self-signed certificate, trusted as a proxy's would be: through NODE_EXTRA_CA_CERTS.
    writeFileSync(join(cwd, 'fake-ca.pem'), fake.ca);
    const { stdout, stderr } = await run(process.execPath, [CLI, 'run', '--json', 'out/report.json'], {
      cwd,
      env: {
        ...process.env,
        NO_COLOR: '1',
        OPENAI_API_KEY: REALTIME_FAKE_KEY,
        NODE_EXTRA_CA_CERTS: join(cwd, 'fake-ca.pem'),
      },
      timeout: 60_000,
    });
    const report = JSON.parse(readFileSync(join(cwd, 'out/report.json'), 'utf8'));
    expect(report.summary).toMatchObject({ total: 8, passed: 8, errored: 0, gate: 'passed' });
    // One session per run: sessions were opened ahead while runs waited, but none for nobody.
    expect(fake.sessions).toHaveLength(8);
    for (const session of fake.sessions) {
      expect(session.problems).toEqual([]);
      expect(session.session?.instructions).toBe('You take restaurant bookings.');
      expect(session.closed).toBe(true);
    }
    // The suite's counters reach the agent built from the config: requests, and the cost of gpt-realtime.
    expect(report.providers).toMatchObject({ requests: 8, retries: 0, throttles: 0 });
    expect(report.providers.estimatedCostUsd).toBeGreaterThan(0);
    expect(stdout).toContain('provider: 8 requests, 0 retries, 0 throttled · est. cost $');
    expect(`${stdout}${stderr}`).not.toContain(REALTIME_FAKE_KEY);
  }, 90_000);
});
