import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { RussoError } from '../core/errors.js';

/**
 * Loading an Emscripten build (a JavaScript glue module and its .wasm) so that it also works from
 * the ncc bundles. Bundled by webpack, the glue's own `new URL('x.wasm', import.meta.url)` comes out
 * as a corrupt copy of the .wasm under a hashed name. So the glue is never bundled: the caller names
 * it with a literal `new URL('../../node_modules/<package>/<glue>.js', import.meta.url)`, which ncc
 * copies unchanged next to the bundle (with the .wasm, named the same way), and the glue is imported
 * at run time from there, where it finds its .wasm itself.
 */

/**
 * The file URL of a glue module: `local` when it exists (next to the bundle, or in the repository's
 * node_modules), else wherever Node resolves `packageName` (russo installed as a dependency).
 */
export function glueUrl(local: URL | string, packageName: string): string {
  if (existsSync(local)) return typeof local === 'string' ? pathToFileURL(local).href : local.href;
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve(packageName)).href;
  } catch {
    throw new RussoError(
      `the WebAssembly package ${packageName} is missing`,
      'run `npm install`, or rebuild the bundle so that its files sit next to it',
    );
  }
}

/** Imports the glue at `url` and instantiates its module (each call makes a new instance with its own memory). */
export async function instantiateGlue<Instance>(url: string): Promise<Instance> {
  // webpackIgnore: ncc leaves this import to Node instead of bundling the glue (see above).
  const glue = (await import(/* webpackIgnore: true */ url)) as { default: () => Promise<Instance> };
  return glue.default();
}
