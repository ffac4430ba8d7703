// russo on a Node older than it needs (the system Node of this machine is 20, like many CI images):
// the CLI, the library and russo/vitest each stop with one line that names the version needed,
// before any module that uses a newer Node's API can fail with an internal error. Skipped where
// /usr/bin/node (or OLD_NODE) is not older than 22.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIN_NODE_MAJOR } from '../../src/core/node-version.js';
import { project } from '../fixtures/project.js';
import { CLI, ensureLib } from './bundle.js';

const OLD_NODE = process.env.OLD_NODE ?? '/usr/bin/node';
const version = existsSync(OLD_NODE)
  ? execFileSync(OLD_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim()
  : undefined;
const old = version !== undefined && Number(version.split('.')[0]) < MIN_NODE_MAJOR;
const LINE = `russo needs Node ${MIN_NODE_MAJOR} or newer, and this is Node ${version}`;

beforeAll(ensureLib, 180_000);

describe.skipIf(!old)(`russo on Node ${version ?? '(none found)'}`, () => {
  it('the CLI prints one line that names the version needed, and exits 2', () => {
    const cwd = project({
      'scenarios/hello.yaml': 'name: hello\nprompts: [Hello there]\nexpect: []\n',
    });
    const { status, stdout, stderr } = spawnSync(OLD_NODE, [CLI, 'run'], { cwd, encoding: 'utf8' });
    expect(stderr).toBe(`${LINE}: install Node ${MIN_NODE_MAJOR} or newer (24 recommended)\n`);
    expect(stdout).toBe('');
    expect(status).toBe(2);
  });

  it.each(['lib/index.js', 'lib/vitest.js'])('importing %s throws a RussoError with that line', (entry) => {
    const script = `import(${JSON.stringify(pathToFileURL(resolve(entry)).href)}).then(
      () => console.log('imported'),
      (error) => console.log(JSON.stringify({ name: error.name, message: error.message, hint: error.hint })),
    );`;
    const { stdout } = spawnSync(OLD_NODE, ['-e', script], { encoding: 'utf8' });
    expect(JSON.parse(stdout)).toEqual({
      name: 'RussoError',
      message: LINE,
      hint: `install Node ${MIN_NODE_MAJOR} or newer (24 recommended)`,
    });
  });
});
