import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** The CLI as users run it: the package's bin (lib/cli/index.js, built from src/ by tsc). */
export const CLI = resolve(
  (JSON.parse(readFileSync('package.json', 'utf8')) as { bin: { russo: string } }).bin.russo,
);

/** The Action as a runner runs it (action.yml's main), bundled by ncc. */
const ACTION = resolve('dist/index.js');

const exec = promisify(execFile);

/** Runs the CLI as a process in `cwd` (colours off); never throws on a non-zero exit. */
export async function russo(
  cwd: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
const LOCK = 'dist.lock';

/**
 * The e2e tests run what ships as processes: the CLI from lib/ and the Action's bundle in dist/. Call
 * this in `beforeAll`: it rebuilds either when a source file is newer, so a test never runs stale
 * code. A lock folder keeps test files that run at the same time from building at once. (In CI,
 * .ci/run has already checked the committed bundle, and `npm ci` built lib/.)
 */
export async function ensureBundle(): Promise<void> {
  await whileLocked(() => {
    buildLib();
    if (!committedTogether() && newest('src') > modified(ACTION))
      execFileSync('npm', ['run', '--silent', 'bundle'], { stdio: 'inherit' });
  });
}

/**
 * True when src/ and dist/ are both as the current commit has them: then dist/ is current, as every
 * commit that changes src/ rebuilds dist/ (.ci/run checks it). File times cannot tell: a checkout or a
 * merge writes src/ and dist/ in any order, and a src/ file written after dist/index.js made each
 * first `npm test` after it bundle again (a minute on a busy machine).
 */
function committedTogether(): boolean {
  try {
    return execFileSync('git', ['status', '--porcelain', '--', 'src', 'dist'], { encoding: 'utf8' }) === '';
  } catch {
    return false; // not a git checkout: file times decide
  }
}

/** Like ensureBundle, for tests that use only lib/ (the package): rebuilds it when a source file is newer. */
export async function ensureLib(): Promise<void> {
  await whileLocked(buildLib);
}

function buildLib(): void {
  // tsc in place rather than `npm run build`, which empties lib/ first: another test file may be
  // running the CLI from it.
  if (newest('src') > modified(CLI))
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}

async function whileLocked(build: () => void): Promise<void> {
  while (!tryLock()) await new Promise((resolve) => setTimeout(resolve, 200));
  try {
    build();
  } finally {
    rmdirSync(LOCK);
  }
}

function tryLock(): boolean {
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    // A lock older than 5 minutes belongs to a test run that was killed.
    if (Date.now() - statSync(LOCK).mtimeMs > 300_000) rmdirSync(LOCK);
    return false;
  }
}

function modified(file: string): number {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

function newest(folder: string): number {
  let latest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * For the tests of what travels with a bundle (flite.wasm, Pico, Sonic): builds `entry` with ncc the
 * way `npm run bundle` builds dist/, in a new temporary folder `work`, and moves the bundle to
 * `moved`, a folder with no node_modules or vendor/ anywhere above it. Remove `work` afterwards.
 */
export async function bundleElsewhere(
  entry: string,
  prefix: string,
): Promise<{ work: string; moved: string }> {
  const work = await mkdtemp(join(tmpdir(), prefix));
  await promisify(execFile)('npx', [
    'ncc',
    'build',
    entry,
    '-o',
    join(work, 'built'),
    '--target',
    'es2023',
    '--quiet',
  ]);
  const moved = join(work, 'elsewhere', 'bundle');
  await cp(join(work, 'built'), moved, { recursive: true });
  await rm(join(work, 'built'), { recursive: true });
  return { work, moved };
}
