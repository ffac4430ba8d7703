// Builds the Action's bundle with ncc: dist/index.js, its lazily loaded chunks (`<id>.index.js`, one
// per provider SDK) and flite.wasm. The CLI and the library ship unbundled in lib/ (npm run build).
// The bundle is built into a staging folder, then replaces dist/ in one rename, so a failed build
// never leaves a half-written dist/.
//
// The code ncc writes (index.js and its chunks) is minified as `ncc --minify` minifies the entry
// file (whitespace and local names only: no compression, class and function names kept for readable
// stack traces), chunks included, which ncc leaves as they are. That halves it (about 8.5 MB → 4 MB)
// and the code Node compiles at each start. Assets copied as they are (flite.wasm, Pico's and Sonic's
// glue and .wasm) stay untouched. Pico's voices are not copied: the bundle reads them from the
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
      compress: false,
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
