// Builds the two shipped bundles with ncc: dist/index.js (the Action) and dist/cli.js (the CLI).
// Each entry is built into its own staging folder, then both replace dist/ in one rename, so a
// failed build never leaves a half-written dist/. Assets the two share (flite.wasm) are kept once.
// ncc names the lazily loaded chunks of every bundle `<id>.index.js`; the CLI's are renamed
// `<id>.cli.js` (in its loader too) so that the two bundles' chunks never overwrite each other.
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
    if (entry.output !== 'index.js') renameChunks(out, entry.output.replace(/\.js$/, ''));
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

/** Renames a bundle's chunks from `<id>.index.js` to `<id>.<name>.js`, and its chunk loader with them. */
function renameChunks(folder, name) {
  const entry = join(folder, 'index.js');
  const loader = '"" + chunkId + ".index.js"';
  const code = readFileSync(entry, 'utf8');
  const uses = code.split(loader).length - 1;
  const chunks = readdirSync(folder).filter((file) => /^\d+\.index\.js$/.test(file));
  if (chunks.length === 0) return;
  if (uses !== 1)
    throw new Error(`expected one chunk loader in the ${name} bundle, found ${uses}: update renameChunks`);
  writeFileSync(entry, code.replace(loader, `"" + chunkId + ".${name}.js"`));
  for (const chunk of chunks)
    renameSync(join(folder, chunk), join(folder, chunk.replace('.index.js', `.${name}.js`)));
}
