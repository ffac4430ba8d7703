import type { Progress } from '../core/types.js';

/** Where progress goes: a terminal gets one line rewritten in place, a log gets a line now and then. */
export interface ProgressSink {
  isTTY: boolean;
  write(text: string): void;
}

// In a log (CI), print a line at every 10% step or after this long without one.
const LOG_INTERVAL_MS = 15_000;

/** Reports progress of a run: counts and ETA; `done()` clears the live line. */
export function createProgress(sink: ProgressSink): { update(progress: Progress): void; done(): void } {
  let lastStep = -1;
  let lastLineAt = 0;
  let live = false;
  return {
    update(progress) {
      const line = progressLine(progress);
      if (sink.isTTY) {
        sink.write(`\r\x1b[K${line}`);
        live = true;
        return;
      }
      const step = Math.floor((progress.done / Math.max(progress.total, 1)) * 10);
      if (
        step > lastStep ||
        progress.elapsedMs - lastLineAt >= LOG_INTERVAL_MS ||
        progress.done === progress.total
      ) {
        lastStep = step;
        lastLineAt = progress.elapsedMs;
        sink.write(`${line}\n`);
      }
    },
    done() {
      if (live) sink.write('\r\x1b[K');
      live = false;
    },
  };
}

/** `[ 45/120] 38 passed · 5 failed · 2 errored · 12s elapsed · ETA 20s` */
export function progressLine(progress: Progress): string {
  const width = String(progress.total).length;
  const counts = `${progress.passed} passed · ${progress.failed} failed · ${progress.errored} errored`;
  const remaining = progress.total - progress.done;
  const eta =
    progress.done > 0 && remaining > 0
      ? ` · ETA ${duration((progress.elapsedMs / progress.done) * remaining)}`
      : '';
  return `[${String(progress.done).padStart(width)}/${progress.total}] ${counts} · ${duration(progress.elapsedMs)} elapsed${eta}`;
}

/** 950 ms → "0.9s", 75 s → "1m15s". */
export function duration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return seconds < 60
    ? `${seconds}s`
    : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}
