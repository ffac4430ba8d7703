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
export { CommandAgent, commandAgentProvider } from './agents/command.js';
export type { CommandAgentOptions } from './agents/command.js';
export { encodeWav, decodeWav } from './audio/wav.js';
export { resample } from './audio/resample.js';
export { ResampleCache, resampleCache } from './audio/resample-cache.js';
export { durationSeconds, rmsDbfs } from './audio/measure.js';
export { addNoise } from './audio/noise.js';
export { changeSpeed } from './audio/speed.js';
export { FliteSynthesizer, fliteSynthesizerProvider, FLITE_VOICES } from './synthesize/flite.js';
export type { FliteOptions } from './synthesize/flite.js';
export { OpenAITTSSynthesizer, openAISynthesizerProvider } from './synthesize/openai.js';
export type { OpenAITTSOptions } from './synthesize/openai.js';
export { OpenAIRealtimeAgent, openAIRealtimeAgentProvider } from './agents/openai-realtime.js';
export type { OpenAIRealtimeOptions, RealtimeSocketOptions } from './agents/openai-realtime.js';
export { OpenAIAudioChatAgent, openAIChatAgentProvider } from './agents/openai-chat.js';
export type { OpenAIAudioChatOptions } from './agents/openai-chat.js';
export type { OpenAIConnectionOptions } from './openai/client.js';
export type { ToolChoice } from './openai/agent-options.js';
export {
  withRetry,
  classifyError,
  createProviderStats,
  DEFAULT_RETRY_POLICY,
  RetryableError,
  RetriesExhaustedError,
} from './core/retry.js';
export type { RetryPolicy, RetryOptions, RetryDecision, ProviderStats } from './core/retry.js';
export { AdaptiveLimit } from './core/adaptive-limit.js';
export type { AdaptiveLimitOptions } from './core/adaptive-limit.js';
export { DEFAULT_PRICES, PRICES_AS_OF, estimateCost, priceOf, withPrices } from './core/cost.js';
export type { ModelPrice, PriceTable, Usage } from './core/cost.js';
export { CachedSynthesizer, cacheKey } from './synthesize/cached.js';
export type { CacheOptions, CacheStats } from './synthesize/cached.js';
export { HttpAgent, httpAgentProvider, HttpStatusError } from './agents/http.js';
export type { HttpAgentOptions } from './agents/http.js';
export { WebSocketAgent, websocketAgentProvider } from './agents/websocket.js';
export type { WebSocketAgentOptions, DoneRule } from './agents/websocket.js';
export { extractToolCalls, readPath, parsePath, DEFAULT_TOOL_CALL_LOCATION } from './agents/extract-calls.js';
export type { ToolCallLocation } from './agents/extract-calls.js';
export type { AudioEncoding, AudioFields } from './agents/audio-payload.js';
export { GeminiAgent, geminiAgentProvider } from './agents/gemini.js';
export type { GeminiAgentOptions, GeminiToolChoice } from './agents/gemini.js';
export { GeminiLiveAgent, geminiLiveAgentProvider, LIVE_SAMPLE_RATE } from './agents/gemini-live.js';
export type { GeminiLiveOptions } from './agents/gemini-live.js';
export { GeminiTTSSynthesizer, geminiSynthesizerProvider } from './synthesize/gemini.js';
export type { GeminiTTSOptions } from './synthesize/gemini.js';
export { GEMINI_KEY_ENV } from './gemini/client.js';
export type { GeminiConnectionOptions } from './gemini/client.js';
export {
  evaluate,
  ToolCallEvaluator,
  DEFAULT_MATCH_OPTIONS,
  checkArgumentSpec,
  describeSpec,
} from './evaluate/index.js';
export { MatcherSpecError, formatValue, formatDiff, formatCall } from './evaluate/index.js';
export type { SpecProblem } from './evaluate/index.js';
export { loadSuite } from './scenarios/load.js';
export type { LoadOptions } from './scenarios/load.js';
export { ScenarioError, formatProblem } from './scenarios/errors.js';
export type { Problem } from './scenarios/errors.js';
export type * from './scenarios/types.js';
export { runSuite } from './suite/run.js';
export type { RunSuiteOptions } from './suite/run.js';
export { createAgent, createVoices, missingSecrets } from './suite/providers.js';
export type { Voice, ProviderOptions } from './suite/providers.js';
export type * from './suite/types.js';
export { agentProviders } from './agents/registry.js';
export { synthesizerProviders } from './synthesize/registry.js';
export { renderJson, toJsonReport, fromJsonReport, parseReport, REPORT_VERSION } from './report/json.js';
export type { JsonReport } from './report/json.js';
export { mergeReports } from './report/merge.js';
export { renderJunit } from './report/junit.js';
export { renderMarkdown } from './report/markdown.js';
export type { MarkdownOptions } from './report/markdown.js';
export { renderHtml } from './report/html.js';
export { renderTerminal } from './report/terminal.js';
export type { TerminalOptions } from './report/terminal.js';
export { ReportError } from './report/errors.js';
export { VERSION } from './version.js';
