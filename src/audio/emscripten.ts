import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RussoError } from '../core/errors.js';

/**
 * Loading an Emscripten build (a JavaScript glue module and its .wasm) so that it also works from
 * the ncc bundles. Bundled by webpack, the glue's own `new URL('x.wasm', import.meta.url)` comes out
 * as a corrupt copy of the .wasm under a hashed name. So the glue is never bundled: the caller names
 * the glue and the .wasm each with a literal `new URL('../../node_modules/<package>/<file>',
 * import.meta.url)`, which ncc copies unchanged next to the bundle; the glue is imported at run time
 * from there and handed the module compiled here, so it never looks for its .wasm itself.
 */

// The project's lib settings carry no WebAssembly types: only what is used here is declared.
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<CompiledModule>;
  Instance: new (module: CompiledModule, imports: unknown) => { exports: unknown };
};
/** A compiled WebAssembly.Module: compiled once, instantiated by each user (a thread, a glue). */
export type CompiledModule = object;

/**
 * The path of a file of a package: `local` when it exists (next to the bundle, or in the
 * repository's node_modules), else beside the package's main file wherever Node resolves it (russo
 * installed as a dependency).
 */
export function packageFile(local: URL | string, packageName: string, fileName: string): string {
  if (existsSync(local)) return typeof local === 'string' ? local : fileURLToPath(local);
  try {
    return join(dirname(createRequire(import.meta.url).resolve(packageName)), fileName);
  } catch {
    throw new RussoError(
      `the WebAssembly package ${packageName} is missing`,
      'run `npm install`, or rebuild the bundle so that its files sit next to it',
    );
  }
}

/** Reads and compiles a .wasm file. */
export async function compileWasm(path: string): Promise<CompiledModule> {
  return WebAssembly.compile(await readFile(path));
}

/** Imports the glue at `gluePath` and instantiates it with `module` (each call: a new instance, its own memory). */
export async function instantiateGlue<Instance>(gluePath: string, module: CompiledModule): Promise<Instance> {
  // webpackIgnore: ncc leaves this import to Node instead of bundling the glue (see above).
  const glue = (await import(/* webpackIgnore: true */ pathToFileURL(gluePath).href)) as {
    default: (options: object) => Promise<Instance>;
  };
  return glue.default({
    instantiateWasm(imports: unknown, receive: (instance: unknown, module: CompiledModule) => void) {
      const instance = new WebAssembly.Instance(module, imports);
      receive(instance, module);
      return instance.exports;
    },
  });
}
