/**
 * The JSON report: stable and versioned, the input of baselines, shard merges and replays.
 * DESIGN.md names its fields; fields may be added, never renamed (a rename is a new `version`).
 */
import type { Interval } from '../core/stats.js';
import type {
  AgentResponse,
  EvalResult,
  ExpectedCall,
  MatchOptions,
  ToolCall,
  ToolExchange,
  TurnResult,
} from '../core/types.js';
import type { ReplyExpectation } from '../evaluate/index.js';
import type { Scenario, ScenarioTurn, ScenarioVariant, SourceLocation } from '../scenarios/types.js';
import {
  scenarioBreakdown,
  suiteBreakdown,
  type Slice,
  type SuiteBreakdown,
  type VariantSlice,
} from '../suite/breakdown.js';
import {
  consistency,
  type CellCounts,
  type RunsHint,
  type ScenarioConsistency,
} from '../suite/consistency.js';
import type { ComparedSuite } from '../suite/compare.js';
import { expectationHash } from '../suite/expectation.js';
import type {
  BaselineOutcome,
  ErrorGroup,
  LatencySummary,
  ProviderSummary,
  Replay,
  ScenarioResult,
  SuiteResult,
  SuiteRun,
} from '../suite/types.js';
import { DEFAULT_VARIANT, runId } from '../suite/plan.js';
import type { MissingRuns, ShardRecord } from '../suite/shard.js';
import { ReportError } from './errors.js';
import { validateReport } from './report-validator.generated.js';

/** The version this russo writes and reads. */
export const REPORT_VERSION = 1;

/** One run in the JSON report. Absent values are `null`, so every key is always there. */
export interface JsonRun {
  /**
   * The run's stable id: scenario, prompt index, voice, variant and run index. Absent from reports
   * written before ids existed; reading one derives it.
   */
  id: string;
  prompt: string;
  promptIndex: number;
  runIndex: number;
  voice: string;
  /** The variant the run was heard under (`default` when the suite names none); absent in reports written before variants. */
  variant: string;
  status: 'passed' | 'failed' | 'error';
  /** The calls the agent made; empty when it never answered (an errored run). */
  toolCalls: ToolCall[];
  transcript: string | null;
  /** Text the agent answered with, if any. */
  text: string | null;
  evalResult: EvalResult | null;
  error: string | null;
  /** Wall time of the run, synthesis included. */
  latencyMs: number;
  /** Latency the agent measured itself. */
  agentLatencyMs: number | null;
  usage: Record<string, number> | null;
  /** True when this run's error stopped the suite. */
  fatal: boolean;
  /** The tool calls russo answered, with what it answered, in order (every turn's, for a conversation). */
  toolResults: ToolExchange[];
  /** A conversation's turns, in order; null for a one-turn run of a `prompts` scenario. */
  turns: JsonTurn[] | null;
}

/** One turn of a conversation run. The run's `toolCalls`, `toolResults` and `evalResult` merge its turns'. */
export interface JsonTurn {
  /** 0-based turn index. */
  index: number;
  /** What the caller said. */
  say: string;
  /** skipped: not played, because an earlier turn errored. */
  status: TurnResult['status'];
  toolCalls: ToolCall[];
  toolResults: ToolExchange[];
  transcript: string | null;
  /** The agent's reply text in the turn. */
  text: string | null;
  /** True when the agent replied with audio and no text: its reply checks failed, saying so. */
  replyAudioOnly: boolean;
  /** The turn's calls against its expect/forbid, and its reply checks' failures. */
  evalResult: EvalResult | null;
  error: string | null;
  /** Wall time of the turn, its synthesis included. */
  latencyMs: number;
  agentLatencyMs: number | null;
  usage: Record<string, number> | null;
}

/** One turn of a `turns` scenario as it was asked. */
export interface JsonScenarioTurn {
  say: string;
  /** Where `say` is written. */
  location: SourceLocation;
  /** null: the turn's calls are not graded (only `forbid`); []: it must make none. */
  expect: Array<ExpectedCall & { location: SourceLocation }> | null;
  forbid: string[];
  /** The reply checks, with where `reply` is written; null when the turn has none. */
  reply: (ReplyExpectation & { location: SourceLocation }) | null;
}

/** One scenario in the JSON report, with the settings needed to judge it again (merge, replay). */
export interface JsonScenario {
  name: string;
  file: string;
  line: number;
  column: number;
  passRate: number | null;
  minPassRate: number;
  /** Whether the scenario reached its own threshold. */
  passed: boolean;
  counts: { total: number; passed: number; failed: number; errored: number };
  matchRate: number | null;
  interval: Interval | null;
  latency: LatencySummary;
  prompts: Array<{ text: string; location: SourceLocation }>;
  expect: Array<ExpectedCall & { location: SourceLocation }>;
  forbid: string[];
  match: MatchOptions;
  /** Runs per prompt and voice, as planned. */
  runsPerPrompt: number;
  timeoutMs: number;
  tags: string[];
  /** The scenario's expectation hash; absent in reports made before it existed (then computed on reading). */
  expectationHash?: string;
  /**
   * A conversation's turns (its `prompts` then hold its first `say`, its `expect` is empty); null for
   * a `prompts` scenario. Absent in reports made before conversations existed.
   */
  turns?: JsonScenarioTurn[] | null;
  /** The scenario's mocked tool outcomes (`tool_results`) as written; null when none. Absent in older reports. */
  toolResults?: Record<string, unknown> | null;
  /** The variants it ran under, with their thresholds; null: the one default variant. Absent in older reports. */
  variants?: JsonScenarioVariant[] | null;
  /** Pass rate and interval per variant and per voice; recomputed from the runs when read. Absent in older reports. */
  breakdown?: { variants: JsonVariantSlice[]; voices: JsonSlice[] };
  /** pass^k, flaky cells and the runs hint; absent in reports made before they existed. */
  consistency?: JsonScenarioConsistency;
  runs: JsonRun[];
}

/** A variant of a scenario: its conditions as written, its threshold, and where it is written. */
export interface JsonScenarioVariant {
  variant: ScenarioVariant['variant'];
  minPassRate: number;
  location: SourceLocation | null;
}

/** The runs of one variant or one voice: counts, pass rate and interval. */
export interface JsonSlice {
  name: string;
  counts: { total: number; passed: number; failed: number; errored: number };
  passRate: number | null;
  interval: Interval | null;
}

/** A scenario's runs under one variant, judged against its threshold. */
export interface JsonVariantSlice extends JsonSlice {
  minPassRate: number;
  passed: boolean;
}

/** The suite's breakdown: per variant, per voice, the sweeps and the clean reference. */
export interface JsonBreakdown {
  variants: JsonSlice[];
  voices: JsonSlice[];
  sweeps: Array<{ axis: 'snr_db' | 'speed'; label: string; points: Array<JsonSlice & { x: number }> }>;
  clean: JsonSlice | null;
}

/** A scenario's consistency (suite/consistency.ts) in the JSON report. */
export interface JsonScenarioConsistency {
  k: number;
  /** The chance that k runs in a row all pass; null when fewer than k runs completed. */
  passHatK: number | null;
  /** Prompt × voice cells with a completed run. */
  cells: number;
  /** Cells whose runs both passed and failed, with their counts. */
  flaky: CellCounts[];
  /** Runs needed to see a 10-point drop at the report's alpha; null when no run completed or the rate is under 10%. */
  runsNeeded: RunsHint | null;
}

/** The suite's consistency in the JSON report: what it was measured with and the flaky share. */
export interface JsonConsistency {
  alpha: number;
  /** The k asked for; null when each scenario used its default. */
  k: number | null;
  cells: number;
  flakyCells: number;
  flakyRate: number | null;
}

/** The whole JSON report (version 1). */
export interface JsonReport {
  version: 1;
  /** The suite's counts and rates, and the verdict as `gate`. */
  summary: SuiteResult['summary'] & { gate: 'passed' | 'failed' };
  /**
   * The verdict, its reasons, and the thresholds it was judged with (a merge judges again with them).
   * `maxFlakyRate` is absent in reports made before it existed.
   */
  gate: Omit<SuiteResult['gate'], 'maxFlakyRate'> & { maxFlakyRate?: number | null };
  /** How pass^k and the runs hint were measured, and the flaky share; absent in reports made before they existed. */
  consistency?: JsonConsistency;
  /** The baseline comparison (suite/compare.ts) and the policy it gated with; null when no baseline was asked for. */
  baseline?: BaselineOutcome | null;
  /** For a report of `russo grade`: the report graded again and the runs it could not grade; null otherwise. */
  replay?: Replay | null;
  errors: ErrorGroup[];
  agent: string;
  voices: string[];
  startedAt: string;
  durationMs: number;
  cancelled: boolean;
  stoppedBy: string | null;
  /** Provider counters (requests, retries, throttles, cost, speech, concurrency); null when unknown. */
  providers: ProviderSummary | null;
  /** Pass rates per variant and per voice over the suite, and its sweeps; recomputed when read. Absent in older reports. */
  breakdown?: JsonBreakdown;
  /** The shard this report is and the outline of the whole plan; null when not sharded. Absent in older reports. */
  shard?: ShardRecord | null;
  /** Of merged shards: the planned runs no report held; null when none is missing. Absent in older reports. */
  missingRuns?: MissingRuns | null;
  scenarios: JsonScenario[];
}

/** The JSON report of a suite result, as an object. */
export function toJsonReport(result: SuiteResult): JsonReport {
  return {
    version: REPORT_VERSION,
    summary: { ...result.summary, gate: result.gate.passed ? 'passed' : 'failed' },
    gate: result.gate,
    consistency: {
      alpha: result.consistency.alpha,
      k: result.consistency.k,
      cells: result.consistency.cells,
      flakyCells: result.consistency.flakyCells,
      flakyRate: result.consistency.flakyRate,
    },
    baseline: result.baseline ?? null,
    replay: result.replay ?? null,
    errors: result.errors,
    agent: result.agent,
    voices: result.voices,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    cancelled: result.cancelled,
    stoppedBy: result.stoppedBy ?? null,
    providers: result.providers ?? null,
    breakdown: toJsonBreakdown(result.breakdown),
    shard: result.shard ?? null,
    missingRuns: result.missingRuns ?? null,
    scenarios: result.scenarios.map((scenario, index) =>
      toJsonScenario(scenario, result.consistency.scenarios[index]!),
    ),
  };
}

function toJsonBreakdown(breakdown: SuiteBreakdown): JsonBreakdown {
  return {
    variants: breakdown.variants.map(toJsonSlice),
    voices: breakdown.voices.map(toJsonSlice),
    sweeps: breakdown.sweeps.map((sweep) => ({
      ...sweep,
      points: sweep.points.map((point) => ({ ...toJsonSlice(point), x: point.x })),
    })),
    clean: breakdown.clean === null ? null : toJsonSlice(breakdown.clean),
  };
}

function toJsonSlice({ name, summary, interval }: Slice): JsonSlice {
  const { total, passed, failed, errored, passRate } = summary;
  return { name, counts: { total, passed, failed, errored }, passRate, interval };
}

function toJsonVariantSlice(slice: VariantSlice): JsonVariantSlice {
  return { ...toJsonSlice(slice), minPassRate: slice.minPassRate, passed: slice.passed };
}

/** The JSON report of a suite result, as text (2-space indented, newline-terminated). */
export function renderJson(result: SuiteResult): string {
  return [...jsonReportChunks(result)].join('');
}

// Runs serialized per chunk: about 50 kB of text, small enough to die young (a string over
// 128 kB goes straight to the large-object space and waits there for a full collection).
const RUNS_PER_CHUNK = 32;

/**
 * The JSON report as text in chunks, the same bytes as `renderJson`: each run is serialized only
 * when its chunk is pulled, so a report of 100,000 runs is written to disk without ever being one
 * string (or one object) in memory.
 */
export function* jsonReportChunks(result: SuiteResult): Generator<string, void, undefined> {
  const { scenarios: _scenarios, ...head } = toJsonReport({ ...result, scenarios: [] });
  yield `${withoutClosingBrace(stringifyAt(head, 0))},\n  "scenarios": `;
  if (result.scenarios.length === 0) yield '[]';
  for (const [index, scenario] of result.scenarios.entries()) {
    const measured = result.consistency.scenarios[index]!;
    const { runs: _runs, ...rest } = toJsonScenario({ ...scenario, runs: [] }, measured);
    yield `${index === 0 ? '[\n' : ',\n'}    ${withoutClosingBrace(stringifyAt(rest, 2))},\n      "runs": `;
    if (scenario.runs.length === 0) yield '[]';
    for (let first = 0; first < scenario.runs.length; first += RUNS_PER_CHUNK) {
      const chunk = scenario.runs.slice(first, first + RUNS_PER_CHUNK);
      const text = chunk.map((run) => `        ${stringifyAt(toJsonRun(run), 4)}`).join(',\n');
      yield `${first === 0 ? '[\n' : ',\n'}${text}`;
    }
    if (scenario.runs.length > 0) yield '\n      ]';
    yield '\n    }';
  }
  if (result.scenarios.length > 0) yield '\n  ]';
  yield '\n}\n';
}

/** `JSON.stringify(value, null, 2)` for a value nested `depth` levels deep (each level 2 spaces). */
function stringifyAt(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2);
  return depth === 0 ? text : text.replaceAll('\n', `\n${'  '.repeat(depth)}`);
}

/** An object's JSON without its last line (the closing brace), so more keys can follow. */
function withoutClosingBrace(text: string): string {
  return text.slice(0, text.lastIndexOf('\n'));
}

function toJsonScenario(result: ScenarioResult, measured: ScenarioConsistency): JsonScenario {
  const { scenario, summary } = result;
  return {
    name: scenario.name,
    file: scenario.location.file,
    line: scenario.location.line,
    column: scenario.location.column,
    passRate: summary.passRate,
    minPassRate: scenario.minPassRate,
    passed: result.passed,
    counts: {
      total: summary.total,
      passed: summary.passed,
      failed: summary.failed,
      errored: summary.errored,
    },
    matchRate: summary.matchRate,
    interval: result.interval,
    latency: result.latency,
    prompts: scenario.prompts,
    expect: scenario.expect,
    forbid: scenario.forbid,
    match: scenario.match,
    runsPerPrompt: scenario.runs,
    timeoutMs: scenario.timeoutMs,
    tags: scenario.tags,
    expectationHash: result.expectationHash,
    turns: scenario.turns?.map(toJsonScenarioTurn) ?? null,
    toolResults: scenario.toolResults ?? null,
    variants:
      scenario.variants?.map(({ variant, minPassRate, location }) => ({
        variant,
        minPassRate,
        location: location ?? null,
      })) ?? null,
    breakdown: {
      variants: result.breakdown.variants.map(toJsonVariantSlice),
      voices: result.breakdown.voices.map(toJsonSlice),
    },
    consistency: {
      k: measured.k,
      passHatK: measured.passHatK,
      cells: measured.cells,
      flaky: measured.flaky,
      runsNeeded: measured.runsNeeded,
    },
    runs: result.runs.map(toJsonRun),
  };
}

function toJsonScenarioTurn(turn: ScenarioTurn): JsonScenarioTurn {
  return {
    say: turn.say,
    location: turn.location,
    expect: turn.expect ?? null,
    forbid: turn.forbid,
    reply: turn.reply ?? null,
  };
}

function toJsonRun(run: SuiteRun): JsonRun {
  return {
    id: run.id,
    prompt: run.prompt,
    promptIndex: run.promptIndex,
    runIndex: run.runIndex,
    voice: run.voice,
    variant: run.variant,
    status: run.status,
    toolCalls: run.response?.toolCalls ?? [],
    transcript: run.response?.transcript ?? null,
    text: run.response?.text ?? null,
    evalResult: run.evalResult ?? null,
    error: run.error ?? null,
    latencyMs: run.latencyMs,
    agentLatencyMs: run.response?.latencyMs ?? null,
    usage: run.response?.usage ?? null,
    fatal: run.fatal === true,
    toolResults: run.response?.toolResults ?? [],
    turns: run.turns?.map(toJsonTurn) ?? null,
  };
}

function toJsonTurn(turn: TurnResult): JsonTurn {
  const { response } = turn;
  return {
    index: turn.index,
    say: turn.say,
    status: turn.status,
    toolCalls: response?.toolCalls ?? [],
    toolResults: response?.toolResults ?? [],
    transcript: response?.transcript ?? null,
    text: response?.text ?? null,
    replyAudioOnly: response?.replyAudioOnly === true,
    evalResult: turn.evalResult ?? null,
    error: turn.error ?? null,
    latencyMs: turn.latencyMs,
    agentLatencyMs: response?.latencyMs ?? null,
    usage: response?.usage ?? null,
  };
}

/**
 * Reads a JSON report (e.g. a shard's, for `russo merge`) and checks it against the report schema.
 * Throws a ReportError naming `source` and the first problems when it is not a version 1 report.
 */
export function parseReport(text: string, source = 'report'): JsonReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReportError(
      `${source} is not JSON: ${(error as Error).message}`,
      'pass the file that `russo run --json FILE` wrote',
    );
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > REPORT_VERSION) {
    throw new ReportError(
      `${source} is a version ${version} report; this russo reads version ${REPORT_VERSION}`,
      'read it with the russo version that wrote it',
    );
  }
  if (!validateReport(data)) {
    const problems = (validateReport.errors ?? [])
      .slice(0, 5)
      .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
    throw new ReportError(
      `${source} is not a russo JSON report (version ${REPORT_VERSION}): ${problems.join('; ')}`,
      'pass the file that `russo run --json FILE` wrote, unedited',
    );
  }
  return data as JsonReport;
}

/** The suite result a JSON report was written from, so every renderer can render a (merged) report. */
export function fromJsonReport(report: JsonReport): SuiteResult {
  const { gate: _verdict, ...summary } = report.summary;
  const scenarios = report.scenarios.map(fromJsonScenario);
  // Measured again from the runs, with what the report was measured with: the same numbers, also for older reports.
  const measured = consistency(
    { scenarios },
    {
      ...(report.consistency ? { alpha: report.consistency.alpha } : {}),
      ...(typeof report.consistency?.k === 'number' ? { k: report.consistency.k } : {}),
    },
  );
  return {
    scenarios,
    summary,
    gate: { ...report.gate, maxFlakyRate: report.gate.maxFlakyRate ?? null },
    consistency: measured,
    ...(report.baseline ? { baseline: report.baseline } : {}),
    ...(report.replay ? { replay: report.replay } : {}),
    breakdown: suiteBreakdown(scenarios),
    errors: report.errors,
    agent: report.agent,
    voices: report.voices,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    cancelled: report.cancelled,
    ...(report.stoppedBy === null ? {} : { stoppedBy: report.stoppedBy }),
    ...(report.providers ? { providers: report.providers } : {}),
    ...(report.shard ? { shard: report.shard } : {}),
    ...(report.missingRuns ? { missingRuns: report.missingRuns } : {}),
  };
}

/**
 * What `compare` reads of a report: each scenario's name, place, counts and expectation hash, without
 * rebuilding its runs as fromJsonReport does (`russo compare` of two reports of 10,000 runs spent a
 * fifth of its time on them).
 */
export function comparedSuiteOf(report: JsonReport): ComparedSuite {
  return {
    scenarios: report.scenarios.map((scenario) => ({
      scenario: { name: scenario.name, location: locationOf(scenario) },
      summary: { ...scenario.counts, passRate: scenario.passRate },
      expectationHash: expectationHashOf(scenario),
    })),
  };
}

function fromJsonScenario(scenario: JsonScenario): ScenarioResult {
  const { counts } = scenario;
  const loaded = scenarioOf(scenario);
  const runs = scenario.runs.map((run) => fromJsonRun(run, scenario.name));
  return {
    scenario: loaded,
    runs,
    summary: { ...counts, passRate: scenario.passRate, matchRate: scenario.matchRate },
    interval: scenario.interval,
    latency: scenario.latency,
    passed: scenario.passed,
    breakdown: scenarioBreakdown(loaded, runs),
    expectationHash: expectationHashOf(scenario, loaded),
  };
}

/** The hash the report stored, or, in a report written before it did, the hash of the scenario it holds. */
function expectationHashOf(scenario: JsonScenario, loaded?: Scenario): string {
  return scenario.expectationHash ?? expectationHash(loaded ?? scenarioOf(scenario));
}

function locationOf(scenario: JsonScenario): SourceLocation {
  return { file: scenario.file, line: scenario.line, column: scenario.column };
}

/** The scenario a report's scenario was judged as. */
function scenarioOf(scenario: JsonScenario): Scenario {
  return {
    name: scenario.name,
    location: locationOf(scenario),
    prompts: scenario.prompts,
    expect: scenario.expect,
    forbid: scenario.forbid,
    match: scenario.match,
    runs: scenario.runsPerPrompt,
    minPassRate: scenario.minPassRate,
    timeoutMs: scenario.timeoutMs,
    tags: scenario.tags,
    ...(scenario.toolResults ? { toolResults: scenario.toolResults } : {}),
    ...(scenario.turns ? { turns: scenario.turns.map(fromJsonScenarioTurn) } : {}),
    ...(scenario.variants ? { variants: scenario.variants.map(fromJsonScenarioVariant) } : {}),
  };
}

function fromJsonScenarioVariant({ variant, minPassRate, location }: JsonScenarioVariant): ScenarioVariant {
  return { variant, minPassRate, ...(location === null ? {} : { location }) };
}

function fromJsonScenarioTurn(turn: JsonScenarioTurn): ScenarioTurn {
  return {
    say: turn.say,
    location: turn.location,
    ...(turn.expect === null ? {} : { expect: turn.expect }),
    forbid: turn.forbid,
    ...(turn.reply === null ? {} : { reply: turn.reply }),
  };
}

function fromJsonRun(run: JsonRun, scenario: string): SuiteRun {
  const response = responseOf(run.status, {
    ...run,
    // Reports written before tool results were recorded have none.
    toolResults: run.toolResults ?? [],
    replyAudioOnly: false,
  });
  // Reports written before variants ran every run under the default one.
  const variant = (run as Partial<JsonRun>).variant ?? DEFAULT_VARIANT;
  return {
    id:
      (run as Partial<JsonRun>).id ??
      runId({ scenario, promptIndex: run.promptIndex, voice: run.voice, variant, runIndex: run.runIndex }),
    prompt: run.prompt,
    promptIndex: run.promptIndex,
    runIndex: run.runIndex,
    voice: run.voice,
    variant,
    status: run.status,
    latencyMs: run.latencyMs,
    ...(run.evalResult === null ? {} : { evalResult: run.evalResult }),
    ...(run.error === null ? {} : { error: run.error }),
    ...(run.fatal ? { fatal: true } : {}),
    ...(response ? { response } : {}),
    ...(run.turns ? { turns: run.turns.map(fromJsonTurn) } : {}),
  };
}

function fromJsonTurn(turn: JsonTurn): TurnResult {
  const response = turn.status === 'skipped' ? undefined : responseOf(turn.status, turn);
  return {
    index: turn.index,
    say: turn.say,
    status: turn.status,
    ...(response ? { response } : {}),
    ...(turn.evalResult === null ? {} : { evalResult: turn.evalResult }),
    ...(turn.error === null ? {} : { error: turn.error }),
    latencyMs: turn.latencyMs,
  };
}

/** The agent's response as a run or turn stored it; undefined for an errored one that never got an answer. */
function responseOf(
  status: string,
  stored: Pick<
    JsonTurn,
    'toolCalls' | 'toolResults' | 'transcript' | 'text' | 'replyAudioOnly' | 'agentLatencyMs' | 'usage'
  >,
): AgentResponse | undefined {
  const answered =
    status !== 'error' || stored.toolCalls.length > 0 || stored.transcript !== null || stored.text !== null;
  if (!answered) return undefined;
  return {
    toolCalls: stored.toolCalls,
    ...(stored.transcript === null ? {} : { transcript: stored.transcript }),
    ...(stored.text === null ? {} : { text: stored.text }),
    ...(stored.agentLatencyMs === null ? {} : { latencyMs: stored.agentLatencyMs }),
    ...(stored.usage === null ? {} : { usage: stored.usage }),
    ...(stored.toolResults.length > 0 ? { toolResults: stored.toolResults } : {}),
    ...(stored.replyAudioOnly ? { replyAudioOnly: true } : {}),
  };
}
