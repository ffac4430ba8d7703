/**
 * The Actions cache service (@actions/cache), loaded only where it can be used. The module pulls in
 * Azure's storage SDK: 0.66 MB of minified code, the largest chunk of the Action's bundle, which
 * Node would otherwise compile before the first run of every job. Without the service (a plain
 * shell, a local test) it is never loaded.
 */
export type ActionsCache = typeof import('@actions/cache');

/**
 * The cache module when the service is available here, else undefined. Each version of the service
 * announces itself with one of these variables (@actions/cache's `isFeatureAvailable` decides which
 * one counts); with neither set, the service is absent whatever the version.
 */
export async function availableActionsCache(): Promise<ActionsCache | undefined> {
  if (!process.env.ACTIONS_CACHE_URL && !process.env.ACTIONS_RESULTS_URL) return undefined;
  const cache = await import('@actions/cache');
  return cache.isFeatureAvailable() ? cache : undefined;
}
