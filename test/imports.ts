// Reading the imports of a module's code, for the tests that check what may import what: the layers
// of src/ (architecture.test.ts) and what the package's lib/ reaches (package.test.ts).

export interface Import {
  specifier: string;
  /** Loaded when the importing module loads (a static value import), not later or for types only. */
  eager: boolean;
}

/** The imports of a source file: static ones (type-only ones marked lazy) and dynamic `import()`s. */
export function importsOf(code: string): Import[] {
  const found: Import[] = [];
  const statics = /^\s*(import|export)\s+(type\s+)?([^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const match of code.matchAll(statics)) {
    const typeOnly = match[2] !== undefined || /^\s*export\s+type\b/.test(match[0]);
    // `export * from` / `export { x } from` load the module; a bare `export {}` has no specifier.
    found.push({ specifier: match[4] as string, eager: !typeOnly });
  }
  for (const match of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push({ specifier: match[1] as string, eager: false });
  }
  return found;
}

/** The package a bare specifier names: `@scope/name` or `name` (`node:fs` stays `node:fs`). */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}
