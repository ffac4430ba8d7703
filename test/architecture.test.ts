// The import rules of docs/architecture.md, checked on the source: which folder of src/ may import
// which, and which entry points must not load a provider SDK before a config names it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, packageName } from './imports.js';

const SRC = resolve('src');

/** Every .ts file under src/, relative to it. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

/** The folder of src/ a file belongs to; top-level files (entry points) are '.'. */
function layerOf(file: string): string {
  const [first, ...rest] = file.split('/');
  return rest.length === 0 ? '.' : (first as string);
}

// What each folder may import besides itself (docs/architecture.md, "Layers").
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  audio: ['core'],
  evaluate: ['core'],
  providers: ['core', 'audio'],
  synthesize: ['core', 'audio', 'providers'],
  agents: ['core', 'audio', 'evaluate', 'providers'],
  scenarios: ['core', 'audio', 'evaluate'],
  suite: ['core', 'audio', 'evaluate', 'providers', 'scenarios', 'synthesize', 'agents'],
  report: ['core', 'evaluate', 'scenarios', 'suite'],
  github: ['core', 'evaluate', 'scenarios', 'suite', 'report'],
  cli: ['core', 'audio', 'evaluate', 'scenarios', 'suite', 'report', 'synthesize', 'agents', 'providers'],
  action: ['core', 'scenarios', 'suite', 'report', 'github', 'synthesize', 'agents', 'providers'],
};
// Packages a folder may import; provider SDKs belong to providers/, agents/ and synthesize/.
const CORE_PACKAGES: string[] = [];
const SDKS = ['openai', '@google/genai', 'ws'];

const files = sourceFiles();
const codeOf = new Map(files.map((file) => [file, readFileSync(join(SRC, file), 'utf8')]));

/** The src/ file a relative specifier names, or undefined for a package. */
function resolveLocal(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return relative(SRC, resolve(SRC, dirname(from), specifier)).replace(/\.js$/, '.ts');
}

describe('architecture', () => {
  it('knows every folder of src/', () => {
    const layers = new Set(files.map(layerOf));
    layers.delete('.');
    expect([...layers].sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it('keeps each folder to the layers below it', () => {
    const violations: string[] = [];
    for (const file of files) {
      const layer = layerOf(file);
      if (layer === '.') continue;
      for (const { specifier } of importsOf(codeOf.get(file) as string)) {
        const target = resolveLocal(file, specifier);
        if (target === undefined) {
          const name = packageName(specifier);
          if (layer === 'core' && !name.startsWith('node:') && !CORE_PACKAGES.includes(name)) {
            violations.push(`${file} imports the package ${name}`);
          }
          continue;
        }
        const targetLayer = layerOf(target);
        if (targetLayer !== layer && !(ALLOWED[layer] ?? []).includes(targetLayer)) {
          violations.push(`${file} imports ${target}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('finds a violation when core/ imports a provider (the check can fail)', () => {
    const code =
      "import { OPENAI_PRICES } from '../providers/openai/prices.js';\nimport OpenAI from 'openai';";
    const targets = importsOf(code).map(
      ({ specifier }) => resolveLocal('core/cost.ts', specifier) ?? specifier,
    );
    expect(targets).toEqual(['providers/openai/prices.ts', 'openai']);
    expect(ALLOWED.core).not.toContain(layerOf(targets[0] as string));
  });

  it('reads type-only and dynamic imports as lazy, and value imports as eager', () => {
    const code = [
      "import type OpenAI from 'openai';",
      "import { type A, b } from './b.js';",
      "export type { C } from './c.js';",
      "export * from './d.js';",
      "const sdk = await import('@google/genai');",
    ].join('\n');
    expect(importsOf(code)).toEqual([
      { specifier: 'openai', eager: false },
      { specifier: './b.js', eager: true },
      { specifier: './c.js', eager: false },
      { specifier: './d.js', eager: true },
      { specifier: '@google/genai', eager: false },
    ]);
  });
});

/** The src/ files and the packages a file loads eagerly, through every static value import it reaches in src/. */
export function eagerImports(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const code = codeOf.get(file);
    if (code === undefined) throw new Error(`${file} is not a source file`);
    for (const { specifier, eager } of importsOf(code)) {
      if (!eager) continue;
      const target = resolveLocal(file, specifier);
      if (target === undefined) packages.add(packageName(specifier));
      else visit(target);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('lazy provider SDKs', () => {
  // Entry points (the CLI, the Action, the library) and what `russo validate` runs: each loads a
  // provider SDK only when a provider that needs it makes its first call (a dynamic import).
  it.each([
    'index.ts',
    'vitest.ts',
    'cli/index.ts',
    'cli/validate.ts',
    'action/index.ts',
    'suite/load.ts',
    'scenarios/load.ts',
  ])('%s loads no provider SDK', (entry) => {
    const sdks = [...eagerImports(entry).packages].filter((name) => SDKS.includes(name));
    expect(sdks).toEqual([]);
  });
});

describe('what `russo run` and the Action load before they read the config', () => {
  // suite/load.ts reads the config and tells onConfig (which starts Flite's worker for a --no-cache
  // run) before it imports the scenario checks; cli/run.ts and action/main.ts import the runner after
  // loading. What they import statically is loaded before the worker can start: it must stay the
  // config's share.
  const LATER = [
    'scenarios/load.ts',
    'evaluate/evaluator.ts',
    'evaluate/tool-schemas.ts',
    'audio/variant.ts',
    'suite/run.ts',
  ];

  /** What of ajv, the agents and LATER a file reaches through static value imports. */
  const laterOf = (entry: string) => {
    const { files, packages } = eagerImports(entry);
    return [
      ...[...packages].filter((name) => name === 'ajv'),
      ...[...files].filter((file) => file.startsWith('agents/') || LATER.includes(file)),
    ];
  };

  it.each(['cli/run.ts', 'action/main.ts', 'suite/load.ts'])(
    '%s loads neither ajv, nor an agent, nor the scenario checks',
    (entry) => {
      expect(laterOf(entry)).toEqual([]);
    },
  );

  it('finds them through the runner (the check can fail)', () => {
    expect(laterOf('suite/run.ts')).toEqual(
      expect.arrayContaining(['ajv', 'agents/registry.ts', 'suite/run.ts']),
    );
  });
});
