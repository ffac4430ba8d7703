/**
 * Resolves once `condition()` holds, checking it every 10 ms. It has no deadline of its own: on a
 * loaded machine a fixed one fails tests that are only slow; a condition that never holds ends at
 * the test's timeout, which names the test.
 */
export async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
