// Reports are never lost: the package's CLI run as a process against report paths that cannot be
// written (a full device, a folder that is a file, a file size limit) and an audio cache folder that
// cannot be made. Every run finishes, the other reports are written, and the exit code tells a
// report failure (3) from a failed gate (1).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBundle } from './bundle.js';
import { project } from '../fixtures/project.js';

/** Runs the package's CLI (through bash when `shell` sets limits first); never throws on a non-zero exit. */
function russo(
  cwd: string,
  args: string[],
  options: { ulimitFileKb?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [command, argv] =
    options.ulimitFileKb === undefined
      ? [process.execPath, [CLI, ...args]]
      : ['bash', ['-c', `ulimit -f ${options.ulimitFileKb}; exec "$0" "$@"`, process.execPath, CLI, ...args]];
  return new Promise((done) => {
    // The kill is a backstop for a hung process (the cache bug this file guards against), not a timing.
    execFile(
      command,
      argv,
      { cwd, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

// A module agent that books for two; `answer.json` may add a transcript (to make the reports large).
const AGENT = `import { readFileSync } from 'node:fs';
export default function agent(audio) {
  const { party, transcript } = JSON.parse(readFileSync(new URL('./answer.json', import.meta.url), 'utf8'));
  if (audio.pcm.length / audio.sampleRate < 0.5) throw new Error('not speech');
  return { toolCalls: [{ name: 'book_table', arguments: { party_size: party } }], transcript };
}
`;

function files(answer: { party: number; transcript?: string }, config = ''): Record<string, string> {
  return {
    'russo.config.yaml':
      'agent:\n  provider: module\n  module: agent.mjs\nsynthesizer:\n  provider: flite\n  voices: [kal16]\n' +
      `defaults:\n  runs: 2\n${config}`,
    'agent.mjs': AGENT,
    'answer.json': JSON.stringify(answer),
    'scenarios/book.yaml':
      'name: book a table\nprompts:\n  - Book a table for two at seven tonight\nexpect:\n  - name: book_table\n    arguments:\n      party_size: 2\n',
  };
}

beforeAll(ensureBundle, 180_000);

describe('russo run when a report cannot be written (the package CLI)', () => {
  it('names the file and the reason, writes the other reports, and exits 3 when the gate passed', async () => {
    const cwd = project(files({ party: 2 }));
    writeFileSync(join(cwd, 'afile'), 'a file, not a folder');
    const { code, stdout, stderr } = await russo(cwd, [
      'run',
      '--json',
      '/dev/full',
      '--junit',
      'afile/j.xml',
      '--html',
      'out/report.html',
      '--markdown',
      'out/report.md',
    ]);
    expect(stdout).toContain('book a table');
    expect(stdout).toMatch(/passed/);
    expect(stderr).toContain('russo: could not write /dev/full: ENOSPC (no space left on device)\n');
    expect(stderr).toContain('russo: could not write afile/j.xml: ENOTDIR (not a directory)\n');
    expect(stderr).toContain('russo: wrote out/report.html\n');
    expect(stderr).toContain('russo: wrote out/report.md\n');
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
    expect(code).toBe(3);
    expect(readFileSync(join(cwd, 'out/report.md'), 'utf8')).toContain('book a table');
    expect(readFileSync(join(cwd, 'out/report.html'), 'utf8')).toContain('book a table');
    // The device is written in place, never replaced by a renamed file.
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('exits 1 when the gate failed too, and still says which report was not written', async () => {
    const cwd = project(files({ party: 3 }));
    writeFileSync(join(cwd, 'afile'), '');
    const { code, stderr } = await russo(cwd, ['run', '--junit', 'afile/j.xml', '--json', 'r.json']);
    expect(code).toBe(1);
    expect(stderr).toContain('russo: could not write afile/j.xml: ENOTDIR (not a directory)\n');
    expect(JSON.parse(readFileSync(join(cwd, 'r.json'), 'utf8')).summary.gate).toBe('failed');
  });

  it('leaves neither a partial report nor a temporary file when a write fails half way', async () => {
    // A 400 KB transcript makes report.json larger than the file size limit; the short markdown fits.
    const cwd = project(files({ party: 2, transcript: 'x'.repeat(400_000) }));
    const { code, stderr } = await russo(
      cwd,
      ['run', '--no-cache', '--json', 'reports/report.json', '--markdown', 'reports/report.md'],
      { ulimitFileKb: 200 },
    );
    expect(stderr).toContain('russo: could not write reports/report.json: EFBIG (file too large)\n');
    expect(stderr).toContain('russo: wrote reports/report.md\n');
    expect(code).toBe(3);
    expect(readdirSync(join(cwd, 'reports'))).toEqual(['report.md']);
  });
});

describe('russo merge when a report cannot be written (the package CLI)', () => {
  it('writes the other reports and exits 3', async () => {
    const cwd = project(files({ party: 2 }));
    writeFileSync(join(cwd, 'afile'), '');
    expect((await russo(cwd, ['run', '--json', 'a.json'])).code).toBe(0);
    const { code, stderr } = await russo(cwd, [
      'merge',
      'a.json',
      '--json',
      'afile/merged.json',
      '--markdown',
      'merged.md',
    ]);
    expect(stderr).toContain('russo: could not write afile/merged.json: ENOTDIR (not a directory)\n');
    expect(stderr).toContain('russo: wrote merged.md\n');
    expect(code).toBe(3);
    expect(existsSync(join(cwd, 'merged.md'))).toBe(true);
  });
});

describe('an audio cache folder that cannot be made (the package CLI)', () => {
  it.each([
    ['under /proc', '/proc/russo-no-such-folder/cache'],
    ['under a regular file', 'afile/cache'],
  ])(
    '%s: one warning, the runs are spoken from memory, exit 0',
    async (_, dir) => {
      const cwd = project({
        ...files({ party: 2 }),
        'scenarios/book.yaml':
          'name: book a table\nprompts:\n  - Book a table for two at seven tonight\n  - A table for two people at seven please\nexpect:\n  - name: book_table\n',
      });
      writeFileSync(join(cwd, 'afile'), '');
      writeFileSync(
        join(cwd, 'russo.config.yaml'),
        readFileSync(join(cwd, 'russo.config.yaml'), 'utf8') + `cache:\n  dir: ${dir}\n`,
      );
      const { code, stdout, stderr } = await russo(cwd, ['run', '--runs', '3']);
      expect(code).toBe(0);
      expect(stdout).toContain('book a table');
      const warnings = stderr.split('\n').filter((line) => line.includes('warning'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        /^russo: warning: the audio cache folder \S+ cannot be used: (ENOENT|ENOTDIR) /,
      );
      expect(warnings[0]).toContain(dir.startsWith('/') ? dir : join(cwd, dir));
    },
    150_000,
  );
});
