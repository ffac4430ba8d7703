/** Mean time of one call of `fn` in microseconds, after a warm-up (for the per-run cost benches). */
export function timeMicros(fn, iterations) {
  for (let i = 0; i < Math.min(iterations, 1000); i++) fn();
  const started = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return ((performance.now() - started) * 1000) / iterations;
}
