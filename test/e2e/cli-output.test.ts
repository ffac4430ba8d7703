// What the package's CLI prints, run as a process: a log or a pipe gets every line whole (a CI log
// wraps; a cut line loses the voice and the gate's reason), a terminal gets lines fitted to COLUMNS.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/report/terminal.js';
import { project } from '../fixtures/project.js';
import { CLI, ensureLib, russo } from './bundle.js';

const NAME =
  'book a table for a party of twelve on a holiday evening, with a name far longer than any terminal';
const PROMPT = 'Book a table for twelve people at seven in the evening on the last day of the year please';

// A module agent that always books for two: every run fails with a wrong argument.
const FILES = {
  'russo.config.yaml':
    'agent:\n  provider: module\n  module: agent.mjs\nsynthesizer:\n  provider: flite\n  voices: [kal16]\ndefaults:\n  runs: 1\n',
  'agent.mjs': `export default () => [{ name: 'book_table', arguments: { party_size: 2 } }];\n`,
  'scenarios/book.yaml': `name: ${NAME}\nprompts:\n  - ${PROMPT}\nexpect:\n  - name: book_table\n    arguments:\n      party_size: 12\n`,
};

beforeAll(ensureLib, 180_000);

describe('russo run output (the package CLI)', () => {
  it('never cuts a line when stdout is a pipe: the voice and the gate reason are there in full', async () => {
    const { code, stdout } = await russo(project(FILES), 'run');
    expect(code).toBe(1);
    expect(stdout).toContain(`  ✗ ${NAME} › "${PROMPT}" · run 1 · kal16\n`);
    expect(stdout).toContain(`  • ${NAME}: pass rate 0% (0/1) is under 80%\n`);
    expect(stdout).not.toContain('…');
  });

  // `script` gives the CLI a pseudo-terminal, as a user's shell would.
  it.skipIf(!existsSync('/usr/bin/script'))('fits every line in COLUMNS on a terminal', async () => {
    const command = [process.execPath, CLI, 'run'].map((word) => `'${word}'`).join(' ');
    const { stdout } = await promisify(execFile)('script', ['-qec', command, '/dev/null'], {
      cwd: project(FILES),
      env: { ...process.env, NO_COLOR: '1', COLUMNS: '60' },
    }).catch((error: { stdout: string }) => error);
    // The pseudo-terminal ends lines with \r\n; the progress line redraws itself with \r and "clear line".
    const lines = stdout
      .replace(/\r\n/g, '\n')
      // eslint-disable-next-line no-control-regex -- the terminal's escape sequence
      .replace(/^[^\n]*\r\u001b\[K/gm, '')
      .split('\n');
    expect(lines.some((line) => line.startsWith('  ✗ book a table for a party') && line.endsWith('…'))).toBe(
      true,
    );
    const report = lines.slice(lines.findIndex((line) => line.startsWith('Scenario')));
    expect(report.length).toBeGreaterThan(3);
    for (const line of report) expect(displayWidth(line)).toBeLessThanOrEqual(60);
  });
});
