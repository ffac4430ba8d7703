/** Numbers as every report prints them, so a rate reads the same in the terminal, the PR comment and the HTML. */
import type { Interval } from '../core/stats.js';

/** What a report prints where there is no number (no completed run, no latency). */
export const NONE = '—';

/** A rate as a percentage with at most one decimal: `87.5%`, `80%`; `—` for null. */
export function formatRate(rate: number | null): string {
  if (rate === null) return NONE;
  return `${Number((rate * 100).toFixed(1))}%`;
}

/** A 95% interval in whole percents, `[72–95%]`; `—` for null. */
export function formatInterval(interval: Interval | null): string {
  if (interval === null) return NONE;
  return `[${Math.round(interval.low * 100)}–${Math.round(interval.high * 100)}%]`;
}

/** A duration: `840 ms` under a second, `12.3 s` under a minute, `2 min 5 s` above; `—` for null. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return NONE;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** `1 run`, `3 runs`: a count with its noun in the right number. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** An estimated cost in USD: `$0.42`; `under $0.01` for less, which would otherwise print as `$0.00`. */
export function formatUsd(usd: number): string {
  return usd < 0.005 ? 'under $0.01' : `$${usd.toFixed(2)}`;
}
