/**
 * The oldest Node that runs russo (package.json's `engines` says the same, and a test keeps them
 * equal). Node 22 brought `fs.glob`, which finds the scenario files; on Node 20, WASI in worker
 * threads (how Flite speaks) also crashed the process within a few concurrent syntheses.
 */
export const MIN_NODE_MAJOR = 22;

/** Why this Node cannot run russo (which version it needs, and what to do); undefined when it can. */
export function nodeVersionProblem(
  version: string = process.versions.node,
): { message: string; hint: string } | undefined {
  const major = Number(version.split('.')[0]);
  if (major >= MIN_NODE_MAJOR) return undefined;
  return {
    message: `russo needs Node ${MIN_NODE_MAJOR} or newer, and this is Node ${version}`,
    hint: `install Node ${MIN_NODE_MAJOR} or newer (24 recommended)`,
  };
}
