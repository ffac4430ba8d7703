import * as core from '@actions/core';
import type { Progress } from '../core/types.js';

/** A progress callback that logs a line at most every `everyMs`, and always for the last run. */
export function progressLogger(everyMs = 10_000): (progress: Progress) => void {
  let last = 0;
  return (progress) => {
    const now = Date.now();
    if (progress.done < progress.total && now - last < everyMs) return;
    last = now;
    core.info(
      `${progress.done}/${progress.total} runs done: ${progress.passed} passed, ${progress.failed} failed, ${progress.errored} errored`,
    );
  };
}
