/**
 * The model that every part of russo shares: audio in, tool calls out, verdicts as data.
 * Nothing here knows a provider, a file system or GitHub.
 */

/** A tool call made by the agent under test. */
export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
  /** Set when the provider sent arguments that are not a JSON object; `arguments` is then `{}`. */
  argumentsError?: string;
}

/**
 * Mono 16-bit PCM audio. Read it, never write to it: the audio cache hands the same samples to
 * every run of a prompt and voice (a copy per run cost a suite of 100,000 runs more time and memory
 * than the rest of russo); a transform makes new samples (`pcm.slice()` first).
 */
export interface Audio {
  pcm: Int16Array;
  sampleRate: number;
}

/** What an agent returned for one spoken prompt. */
export interface AgentResponse {
  toolCalls: ToolCall[];
  /** What the agent heard, when it reports it (speech recognition output). */
  transcript?: string;
  /** Any text the agent answered with. */
  text?: string;
  /** Latency measured by the agent itself (e.g. end of audio to first tool call), in ms. */
  latencyMs?: number;
  /** Provider usage counters (tokens, audio seconds, ...). */
  usage?: Record<string, number>;
  /** The tool calls russo answered during this response, with what it answered, in order. */
  toolResults?: ToolExchange[];
  /** Set when the agent answered with audio and no text or transcript: `text` is then not its reply. */
  replyAudioOnly?: boolean;
}

/**
 * What russo answers a tool call with: the scenario's mocked result, an error the agent sees, or
 * (`missing`) the message that no result is mocked for that call.
 */
export type ToolOutcome = { result: unknown } | { error: unknown } | { missing: string };

/** Picks the mocked outcome of a call (the scenario's `tool_results`, compiled once per scenario). */
export type ToolResponder = (call: ToolCall) => ToolOutcome;

/** A tool call the agent made and what russo answered it with. */
export interface ToolExchange {
  call: ToolCall;
  outcome: ToolOutcome;
}

/** Turns text into speech. `id` names provider, model and voice: it keys the audio cache and the reports. */
export interface Synthesizer {
  readonly id: string;
  /** The voice that reports show; one synthesizer speaks with one voice. */
  readonly voice?: string;
  synthesize(text: string, signal?: AbortSignal): Promise<Audio>;
}

/** Options an agent receives with each run: never the prompt text, only what a real caller would give. */
export interface AgentRunOptions {
  signal?: AbortSignal;
  /** Answers the agent's tool calls (the scenario's mocked results); absent: the agent stops at its first calls. */
  respond?: ToolResponder;
  /**
   * How many runs of the batch or suite have not started yet (0 once it stops); absent for a lone
   * run. An agent may prepare for them while this run waits, e.g. open the next run's session.
   */
  upcomingRuns?: () => number;
}

/** The voice agent under test: it hears audio and answers with tool calls. */
export interface Agent {
  readonly id: string;
  run(audio: Audio, options?: AgentRunOptions): Promise<AgentResponse>;
  /**
   * Starts one conversation (one session; context carries across its turns). Agents without it can
   * run single-prompt scenarios only.
   */
  converse?(options?: ConversationOptions): Promise<AgentConversation>;
  /** Releases long-lived resources (process pools, sockets). Called once when a suite ends. */
  close?(): Promise<void>;
}

/** Options of a conversation as a whole: its signal (timeout, cancel) and the runs still to start. */
export interface ConversationOptions {
  signal?: AbortSignal;
  /** As in AgentRunOptions: runs of the batch or suite not started yet. */
  upcomingRuns?: () => number;
}

/** Options of one turn: never the caller's text, only the audio and how to answer tool calls. */
export interface TurnOptions {
  signal?: AbortSignal;
  /** Answers the agent's tool calls in this turn; absent: the agent's turn ends at its first calls. */
  respond?: ToolResponder;
}

/** One conversation with the agent under test. */
export interface AgentConversation {
  /**
   * Plays one caller turn and resolves when the agent's turn is over: its calls answered, its reply
   * given. Rejects (AgentError) when the session died; the conversation is then over.
   */
  turn(audio: Audio, options?: TurnOptions): Promise<AgentResponse>;
  /** Ends the session; idempotent, never throws. */
  close(): Promise<void>;
}

/** How to compare expected and actual calls. */
export interface MatchOptions {
  /** any: calls may come in any order; in-order: expected calls appear in this order; exact: the same calls, same order, nothing else. */
  order: 'any' | 'in-order' | 'exact';
  /** Whether calls that were not expected fail the run. */
  extraCalls: 'allow' | 'fail';
  /** exact: argument objects must have the same keys; subset: the actual call may carry more keys (recursively). */
  arguments: 'exact' | 'subset';
  /**
   * Whether each call's arguments are checked against its tool's JSON Schema (when the evaluator has
   * the tool definitions): a call that breaks it fails the run as `invalid_arguments`.
   */
  validateArguments: boolean;
}

/**
 * One expected call. Argument values are plain values (deep equality) or matcher objects
 * (`{regex}`, `{any: true}`, `{type}`, `{one_of}`, `{approx, tolerance}`, `{ignore_case}`, `{equals}`).
 */
export interface ExpectedCall {
  name: string;
  arguments?: Record<string, unknown>;
}

/** Options of the tool-call evaluator: match options, the names that must never be called, and the tools' schemas. */
export interface EvaluateOptions extends Partial<MatchOptions> {
  forbid?: string[];
  /** Validates a call's arguments against its tool's JSON Schema; without it no call is validated. */
  argumentsValidator?: ArgumentsValidator;
}

/** One way a call's arguments break its tool's JSON Schema. `path` is like `guests[0].name`, '' for the object. */
export interface SchemaError {
  path: string;
  /** What is wrong, as a phrase that follows the path: `must be integer, got "two"`, `is required`. */
  message: string;
}

/** Checks a call's arguments against the JSON Schema of its tool (see evaluate/tool-schemas.ts). */
export interface ArgumentsValidator {
  /** The schema errors of `args` for the tool `name`; undefined when no schema of that tool is known. */
  validate(name: string, args: Record<string, unknown>): SchemaError[] | undefined;
}

/** Grades the calls of one run against the expected calls. */
export interface Evaluator {
  evaluate(expected: ExpectedCall[], actual: ToolCall[]): EvalResult;
}

/** What the grader of a conversation turn is told besides the agent's response. */
export interface TurnContext {
  /** 0-based turn index. */
  index: number;
  /** What the caller said in the turn (for a judge; never given to the agent). */
  say: string;
  signal?: AbortSignal;
}

/**
 * Grades one turn of a conversation: its calls against the turn's expectation and its reply against
 * the turn's checks. A promise when a judge is asked (evaluate/turn.ts's TurnEvaluator).
 */
export interface TurnGrader {
  grade(response: AgentResponse, turn: TurnContext): EvalResult | Promise<EvalResult>;
}

/** What a judge is asked: does the agent's reply in one turn meet a criterion written in words? */
export interface JudgeRequest {
  /** The sentence of the scenario's `judge` check, e.g. "asks for the party size". */
  criterion: string;
  /** The agent's reply text in the turn. */
  reply: string;
  /** What the caller said in the turn. */
  said: string;
  /** The tool calls of the turn and what they were answered with. */
  toolResults: ToolExchange[];
}

/** A judge's verdict on one reply, with its reason in one sentence. */
export interface JudgeVerdict {
  pass: boolean;
  reason: string;
}

/** Grades a reply against a criterion written in words (an LLM: providers/openai/judge.ts). */
export interface ReplyJudge {
  readonly id: string;
  judge(request: JudgeRequest, signal?: AbortSignal): Promise<JudgeVerdict>;
}

/** One difference between an expected and an actual argument. `path` is like `guests[0].name`. */
export interface ArgumentDiff {
  path: string;
  kind: 'mismatch' | 'missing' | 'unexpected';
  /** A readable description of what was expected (a value, or a matcher such as `matches /^19/`). */
  expected: string;
  /** The actual value, absent when the key is missing. */
  actual?: unknown;
}

/** The outcome for one expected call. */
export interface CallMatch {
  /** Index of the expected call in the expectation. */
  index: number;
  expected: ExpectedCall;
  /**
   * matched: an actual call fits. missing: no call of that name was left to match.
   * wrong_arguments: the closest call of that name differs in `diffs`.
   * out_of_order: a fitting call was made, but not in the required order.
   */
  status: 'matched' | 'missing' | 'wrong_arguments' | 'out_of_order';
  /** The matched call, or the closest candidate for a failure. */
  actual?: ToolCall;
  /** Index of `actual` in the agent's calls. */
  actualIndex?: number;
  diffs: ArgumentDiff[];
}

/** A failure of a run in one kind-tagged shape, so every renderer reads the same thing. */
export interface CallFailure {
  kind:
    | 'missing'
    | 'wrong_arguments'
    | 'out_of_order'
    | 'extra'
    | 'forbidden'
    | 'unexpected_call'
    | 'invalid_arguments'
    | 'reply';
  /** Expected call index, for failures that belong to an expectation. */
  index?: number;
  expected?: ExpectedCall;
  actual?: ToolCall;
  diffs: ArgumentDiff[];
  /** For `invalid_arguments`: every way the actual call's arguments break its tool's JSON Schema. */
  schemaErrors?: SchemaError[];
  /** One-line human summary, e.g. `book_table: party_size expected 2, got 3`. */
  message: string;
  /** The conversation turn (0-based) the failure belongs to; absent for a one-turn run. */
  turn?: number;
  /** For a `reply` failure: the reply text that was checked (absent when the agent gave none). */
  replyText?: string;
}

/** The verdict of one run. */
export interface EvalResult {
  passed: boolean;
  /** Share of expected calls that matched (1 when nothing was expected and nothing was called). */
  matchRate: number;
  calls: CallMatch[];
  /** Calls that no expectation claimed. */
  extra: ToolCall[];
  /** Calls to names in `forbid`. */
  forbidden: ToolCall[];
  /** Every reason the run failed, worst first; empty when it passed. */
  failures: CallFailure[];
}

/** The outcome of one run of one prompt. */
export interface RunResult {
  prompt: string;
  runIndex: number;
  status: 'passed' | 'failed' | 'error';
  evalResult?: EvalResult;
  /** Message of the error that ended the run, with the stage (`synthesize:`, `agent:`) first. */
  error?: string;
  response?: AgentResponse;
  /** Wall time of the run, synthesis included, in ms. */
  latencyMs: number;
  /** Set on an error that retrying cannot fix and that stops the suite (bad key, no quota). */
  fatal?: boolean;
  /**
   * The turns of a conversation run, in order; absent for a one-turn run. The run's `response`
   * then merges the turns (every call in order, the last reply), its `evalResult` every turn's
   * failures (each with its `turn`), and its status is the worst turn's.
   */
  turns?: TurnResult[];
}

/** The outcome of one turn of a conversation run. */
export interface TurnResult {
  /** 0-based turn index. */
  index: number;
  /** What the caller said (spoken to the agent; never given to it as text). */
  say: string;
  /** skipped: not played, because an earlier turn ended the session (error) or the run was stopped. */
  status: 'passed' | 'failed' | 'error' | 'skipped';
  response?: AgentResponse;
  /** The turn's calls graded against its expect/forbid/match, with its reply checks' failures. */
  evalResult?: EvalResult;
  error?: string;
  /** Wall time of the turn, its synthesis included, in ms. */
  latencyMs: number;
}

/** Counts over a set of runs. `passRate` is over completed runs (errors excluded); null when none completed. */
export interface RunSummary {
  total: number;
  passed: number;
  failed: number;
  errored: number;
  passRate: number | null;
  /** Mean match rate of the completed runs; null when none completed. */
  matchRate: number | null;
}

/** The result of `runConcurrent`: every run in input order, and summaries. */
export interface BatchResult {
  runs: RunResult[];
  summary: RunSummary;
  /** Summary per prompt, in input order. */
  prompts: Array<{ prompt: string; summary: RunSummary }>;
  /** True when a cancel or a fatal error stopped the batch before every run was started. */
  cancelled: boolean;
  /** The error of the fatal run that stopped the batch, if one did. */
  stoppedBy?: string;
}

/** Progress of a batch or suite: finished runs so far out of all planned. */
export interface Progress {
  done: number;
  total: number;
  passed: number;
  failed: number;
  errored: number;
  /** Milliseconds since the start. */
  elapsedMs: number;
}

/** A tool the agent may call, as its JSON Schema definition (OpenAI's function shape, provider-neutral). */
export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters?: Record<string, unknown>;
}
