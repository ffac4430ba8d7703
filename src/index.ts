// The public API of russo: re-exports only.
export type * from './core/types.js';
export type * from './core/provider.js';
export { run, runConcurrent } from './core/pipeline.js';
export type { RunOptions, RunConcurrentOptions } from './core/pipeline.js';
export { summarizeRuns, wilsonInterval, percentile } from './core/stats.js';
export {
  RussoError,
  TimeoutError,
  CancelledError,
  AgentError,
  FatalProviderError,
  AudioFormatError,
  SynthesisError,
} from './core/errors.js';
export { normalizeToolCall } from './core/tool-call.js';
export { FunctionAgent } from './agents/function.js';
export type { AgentFunction } from './agents/function.js';
export { encodeWav, decodeWav } from './audio/wav.js';
export { FliteSynthesizer, fliteSynthesizerProvider, FLITE_VOICES } from './synthesize/flite.js';
export type { FliteOptions } from './synthesize/flite.js';
