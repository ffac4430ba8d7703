import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The e2e tests run the shipped bundles (dist/index.js, dist/cli.js) as processes. Rebuild them once
// before any test when a source file is newer than the bundles, so a test never runs stale code.
// (In CI, .ci/run has already checked that the committed bundles are current.)
export default function setup(): void {
  const bundles = ['dist/index.js', 'dist/cli.js'];
  const oldest = Math.min(...bundles.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
  if (newest('src') > oldest) execFileSync('npm', ['run', '--silent', 'bundle'], { stdio: 'inherit' });
}

function newest(folder: string): number {
  let latest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}
