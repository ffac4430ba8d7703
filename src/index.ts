// The public API of russo: re-exports only, chosen on purpose. test/index.test.ts lists
// every exported name, so a change to this surface is a deliberate change to that list.

// First of all: an older Node than russo needs fails here, with a line that says what to install.
import './core/supported-node.js';

// The model: calls, audio, verdicts, and the interfaces a new provider implements.
export type * from './core/types.js';
export type {
  AgentProvider,
  SynthesizerProvider,
  JudgeProvider,
  ProviderContext,
  ProviderStats,
} from './core/provider.js';

// The pipeline: one run, one conversation, a batch of runs.
export { run, runConversation, runConcurrent } from './core/pipeline.js';
export type {
  PlayOptions,
  RunOptions,
  RunConversationOptions,
  ConversationTurn,
  RunConcurrentOptions,
} from './core/pipeline.js';
export { createRedactor, redactDeep, secretsOfEnv } from './core/redact.js';
export type { Redact } from './core/redact.js';
export { summarizeRuns, wilsonInterval } from './core/stats.js';
export type { Interval } from './core/stats.js';

// Errors, each with a hint that says what to do.
export {
  RussoError,
  TimeoutError,
  CancelledError,
  AgentError,
  FatalProviderError,
  AudioFormatError,
  SynthesisError,
} from './core/errors.js';
export { RetriesExhaustedError } from './core/retry.js';
export { ScenarioError } from './scenarios/errors.js';
export type { Problem } from './scenarios/errors.js';
export { MatcherSpecError } from './evaluate/index.js';
export { ReportError } from './report/errors.js';

// Answering the agent's tool calls with mocked results.
export { respondWith, toolOutput } from './core/tool-call.js';
export { compileToolResults } from './evaluate/index.js';
export type { ToolResultRule } from './evaluate/index.js';

// Grading tool calls, and conversation turns with their replies.
export { evaluate, ToolCallEvaluator, DEFAULT_MATCH_OPTIONS, ToolSchemas } from './evaluate/index.js';
export { TurnEvaluator } from './evaluate/index.js';
export type { TurnExpectation, TurnEvaluatorOptions, ReplyExpectation } from './evaluate/index.js';
export { OpenAIJudge } from './providers/openai/judge.js';
export type { OpenAIJudgeOptions } from './providers/openai/judge.js';

// Synthesizers.
export { FliteSynthesizer, FLITE_VOICES } from './synthesize/flite.js';
export type { FliteOptions } from './synthesize/flite.js';
export { OpenAITTSSynthesizer } from './synthesize/openai.js';
export type { OpenAITTSOptions } from './synthesize/openai.js';
export { GeminiTTSSynthesizer } from './synthesize/gemini.js';
export { PicoSynthesizer, PICO_VOICES } from './synthesize/pico.js';
export type { PicoOptions } from './synthesize/pico.js';
export { babbleBed } from './synthesize/babble.js';
export type { BabbleOptions } from './synthesize/babble.js';
export type { GeminiTTSOptions } from './synthesize/gemini.js';
export { CachedSynthesizer } from './synthesize/cached.js';
export { AudioMemory } from './synthesize/audio-memory.js';
export type { CacheOptions, CacheStats } from './synthesize/cached.js';

// Agents.
export { FunctionAgent } from './agents/function.js';
export type { AgentFunction, AgentFunctions, TurnFunction, FunctionConversation } from './agents/function.js';
export { CommandAgent } from './agents/command.js';
export type { CommandAgentOptions } from './agents/command.js';
export { HttpAgent, HttpStatusError } from './agents/http.js';
export type { HttpAgentOptions } from './agents/http.js';
export { WebSocketAgent } from './agents/websocket.js';
export type { WebSocketAgentOptions, DoneRule } from './agents/websocket.js';
export type { ToolCallLocation } from './agents/extract-calls.js';
export type { AudioEncoding, AudioFields } from './agents/audio-payload.js';
export { OpenAIRealtimeAgent } from './agents/openai-realtime.js';
export type { OpenAIRealtimeOptions, RealtimeSocketOptions } from './agents/openai-realtime.js';
export { OpenAIAudioChatAgent } from './agents/openai-chat.js';
export type { OpenAIAudioChatOptions } from './agents/openai-chat.js';
export { GeminiAgent } from './agents/gemini.js';
export type { GeminiAgentOptions, GeminiToolChoice } from './agents/gemini.js';
export { GeminiLiveAgent } from './agents/gemini-live.js';
export type { GeminiLiveOptions } from './agents/gemini-live.js';

// What network providers share: connection options, retries, adaptive concurrency, prices.
export type { OpenAIConnectionOptions } from './providers/openai/client.js';
export type { ToolChoice } from './providers/openai/agent-options.js';
export type { GeminiConnectionOptions } from './providers/gemini/client.js';
export type { RetryPolicy } from './core/retry.js';
export { AdaptiveLimit } from './core/adaptive-limit.js';
export type { AdaptiveLimitOptions } from './core/adaptive-limit.js';
export { withPrices } from './providers/cost.js';
export type { ModelPrice, PriceTable, Usage } from './providers/cost.js';
export { OPENAI_PRICES, OPENAI_PRICES_AS_OF } from './providers/openai/prices.js';

// Audio.
export { encodeWav, decodeWav } from './audio/wav.js';
export { resample } from './audio/resample.js';
export { ResampleCache } from './audio/resample-cache.js';
export { durationSeconds, rmsDbfs } from './audio/measure.js';
export { addNoise } from './audio/noise.js';
export { changeSpeed } from './audio/speed.js';

// Variants: audio conditions (docs/variants.md), one function each, composed by applyVariant.
export { applyVariant, assertVariant, variantCacheKey } from './audio/variant.js';
export {
  variantProblems,
  variantSchema,
  variantsSchema,
  CLEAN_VARIANT,
  NOISE_TYPES,
} from './audio/variant-schema.js';
export type { Variant, NoiseCondition, NoiseType, PacketLoss } from './audio/variant-schema.js';
export type { VariantProblem } from './audio/variant-schema.js';
export type { VariantSources } from './audio/variant.js';
export { changeSpeakingRate } from './audio/speaking-rate.js';
export { addNoiseAtSnr } from './audio/mix.js';
export { telephone, narrowband, muLawEncode, muLawDecode } from './audio/telephone.js';
export { dropPackets } from './audio/packet-loss.js';
export { changeGain, addSilence } from './audio/level.js';

// Suites: load scenario files, run them, render the result.
export { loadSuite } from './suite/load.js';
export type { LoadOptions } from './suite/load.js';
export type * from './scenarios/types.js';
export { runSuite } from './suite/run.js';
export type { RunSuiteOptions } from './suite/run.js';
export { parseShard, ShardError } from './suite/shard.js';
export type { Shard, ShardRecord, PlanOutline, MissingRuns } from './suite/shard.js';
export type { Voice } from './suite/providers.js';
export type * from './suite/types.js';
export { renderJson, parseReport, REPORT_VERSION } from './report/json.js';
export type { JsonReport } from './report/json.js';
export { mergeReports } from './report/merge.js';
export { renderJunit } from './report/junit.js';
export { renderMarkdown } from './report/markdown.js';
export type { MarkdownOptions } from './report/markdown.js';
export { renderHtml } from './report/html.js';
export { renderTerminal } from './report/terminal.js';
export type { TerminalOptions } from './report/terminal.js';
export { VERSION } from './core/version.js';
