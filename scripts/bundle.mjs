// Builds the two shipped bundles with ncc: dist/index.js (the Action) and dist/cli.js (the CLI).
// Each entry is built into its own staging folder, then both replace dist/ in one rename, so a
// failed build never leaves a half-written dist/. Assets the two share (flite.wasm) are kept once.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

const entries = [
  { source: 'src/action/index.ts', output: 'index.js' },
  { source: 'src/cli/index.ts', output: 'cli.js' },
];
const staging = mkdtempSync('.bundle-');
const dist = join(staging, 'dist');
try {
  for (const entry of entries) {
    const out = join(staging, entry.output);
    execFileSync('npx', ['ncc', 'build', entry.source, '-o', out, '--target', 'es2023', '--quiet'], {
      stdio: 'inherit',
    });
    for (const file of readdirSync(out)) {
      const target = join(dist, file === 'index.js' ? entry.output : file);
      if (
        file !== 'package.json' &&
        existsSync(target) &&
        !readFileSync(target).equals(readFileSync(join(out, file)))
      ) {
        throw new Error(`both bundles emit a different ${file}; give one of them another name`);
      }
      cpSync(join(out, file), target, { recursive: true });
    }
  }
  // ncc marks ESM output with a package.json of its own; one serves both bundles.
  writeFileSync(join(dist, 'package.json'), '{\n  "type": "module"\n}\n');
  rmSync('dist', { recursive: true, force: true });
  renameSync(dist, 'dist');
} finally {
  rmSync(staging, { recursive: true, force: true });
}
