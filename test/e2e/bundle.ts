import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const BUNDLES = ['dist/index.js', 'dist/cli.js'];

/** The bundled CLI. */
export const CLI = resolve('dist/cli.js');

const exec = promisify(execFile);

/** Runs the bundled CLI as a process in `cwd` (colours off); never throws on a non-zero exit. */
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
 * The e2e tests run the shipped bundles as processes. Call this in `beforeAll`: it rebuilds them when
 * a source file is newer, so a test never runs stale code. A lock folder keeps test files that run at
 * the same time from bundling at once. (In CI, .ci/run has already checked the committed bundles.)
 */
export async function ensureBundle(): Promise<void> {
  while (!tryLock()) await new Promise((resolve) => setTimeout(resolve, 200));
  try {
    const oldest = Math.min(...BUNDLES.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
    if (newest('src') > oldest) execFileSync('npm', ['run', '--silent', 'bundle'], { stdio: 'inherit' });
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

function newest(folder: string): number {
  let latest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}
