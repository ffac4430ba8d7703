// Runs the benchmarks: `npm run bench` runs them all, `npm run bench -- cache` only those whose
// file name contains "cache". Each bench is a `bench/<name>.bench.mjs` module that imports the
// built library from ../lib (built here first), or runs the package's CLI from it as a process
// (startup, compare), and prints its figures; they never run in `npm test`.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: join(here, '..'), stdio: 'inherit' });
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.bench.mjs'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (benches.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}`);
  process.exit(2);
}
for (const bench of benches) {
  console.log(`\n## ${bench.replace('.bench.mjs', '')}`);
  // One process per bench, so one bench's memory and timers never skew another's figures.
  execFileSync(process.execPath, ['--expose-gc', join(here, bench)], { stdio: 'inherit' });
}
