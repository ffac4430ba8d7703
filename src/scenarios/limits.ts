import type { Problem } from './errors.js';
import type { Limits, SourceLocation } from './types.js';

// Bounds on what one number or one file can make russo do, so that a typo (`runs: 1e9`), a pasted
// document or a hostile file is a clear error before anything runs, not an exhausted machine. The
// config's `limits` raises or lowers them.

/** The limits when the config sets none. */
export const DEFAULT_LIMITS: Limits = { maxRuns: 100_000, maxPromptChars: 2_000, maxFileBytes: 1_048_576 };

/** YAML aliases expanded per document at most: a "billion laughs" file is refused, not expanded. */
export const MAX_YAML_ALIASES = 100;

/** A file larger than the limit, refused before it is read. */
export function fileSizeProblem(
  file: string,
  bytes: number,
  maxBytes: number,
  config: boolean,
): Problem | undefined {
  if (bytes <= maxBytes) return undefined;
  return {
    file,
    line: 0,
    column: 0,
    message: `the file is ${formatBytes(bytes)}, more than limits.max_file_bytes (${formatBytes(maxBytes)})`,
    hint: config
      ? 'a config file is a few lines: check that this is the right file'
      : 'split it into several scenario files, or raise `limits: {max_file_bytes: N}` in russo.config.yaml',
  };
}

/** A prompt (or a turn's `say`) longer than the limit: what one person says in one turn is a few sentences. */
export function promptLengthProblem(
  text: string,
  maxChars: number,
  location: SourceLocation,
  what = 'the prompt',
): Problem | undefined {
  // Characters as people count them (code points); UTF-16 length is never fewer, so check it first.
  if (text.length <= maxChars) return undefined;
  const chars = [...text].length;
  if (chars <= maxChars) return undefined;
  return {
    ...location,
    message: `${what} is ${chars.toLocaleString('en-US')} characters long, more than limits.max_prompt_chars (${maxChars.toLocaleString('en-US')})`,
    hint: 'a prompt is what a person says in one turn: shorten it, or raise `limits: {max_prompt_chars: N}` in russo.config.yaml',
  };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;
}
