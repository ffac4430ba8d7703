// Builds the Action's bundle with ncc: dist/index.js, its lazily loaded chunks (`<id>.index.js`: one
// per provider SDK, the Actions cache, the report reader, publishing, …) and flite.wasm. The CLI and
// the library ship unbundled in lib/ (npm run build).
// The bundle is built into a staging folder, then replaces dist/ in one rename, so a failed build
// never leaves a half-written dist/.
//
// The code ncc writes (index.js and its chunks) is minified with terser, chunks included (which
// `ncc --minify` leaves as they are): whitespace, local names and terser's compression, with class and
// function names kept for readable stack traces. Whitespace and names halve it (about 8.5 MB → 4.3 MB),
// compression takes 0.45 MB more (dist/ without flite.wasm 5.12 → 4.68 MB, issue 15's ≤ 5 MB) for
// about 20 s more per bundle; a start is as fast either way (bench/startup.bench.mjs). Assets copied
// as they are (flite.wasm, Pico's and Sonic's glue and .wasm) stay untouched. Pico's voices are not copied: the bundle reads them from the
// repository's vendor/ (src/synthesize/pico.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const staging = mkdtempSync('.bundle-');
const dist = join(staging, 'dist');
try {
  execFileSync('npx', ['ncc', 'build', 'src/action/index.ts', '-o', dist, '--target', 'es2023', '--quiet'], {
    stdio: 'inherit',
  });
  for (const file of readdirSync(dist).filter((name) => /^(\d+\.)?index\.js$/.test(name))) {
    const path = join(dist, file);
    const { code } = await minify(readFileSync(path, 'utf8'), {
      module: true,
      compress: { keep_classnames: true, keep_fnames: true },
      mangle: { keep_classnames: true, keep_fnames: true },
    });
    if (code === undefined) throw new Error(`terser returned nothing for ${file}`);
    writeFileSync(path, code);
  }
  rmSync('dist', { recursive: true, force: true });
  renameSync(dist, 'dist');
} finally {
  rmSync(staging, { recursive: true, force: true });
}
