import { normalizeToolCall } from '../core/tool-call.js';
import type {
  ArgumentDiff,
  ArgumentsValidator,
  CallFailure,
  CallMatch,
  EvalResult,
  EvaluateOptions,
  Evaluator,
  ExpectedCall,
  MatchOptions,
  ToolCall,
} from '../core/types.js';
import {
  callFailure,
  expectedCallFailure,
  invalidArgumentsFailure,
  rankFailures,
  type UnmatchedCall,
} from './failures.js';
import { isPlainObject } from './json.js';
import { DEFAULT_MATCH_OPTIONS } from './match-options.js';
import { pairAnyOrder, pairInOrder, type Comparison, type Pair } from './pairing.js';
import { compileArguments, type ValueSpec } from './spec.js';

const ALLOWED: { [K in keyof MatchOptions]: readonly MatchOptions[K][] } = {
  order: ['any', 'in-order', 'exact'],
  extraCalls: ['allow', 'fail'],
  arguments: ['exact', 'subset'],
  validateArguments: [true, false],
};

/** An expected call's arguments, compiled once. */
interface CompiledCall {
  /** Undefined when the expected call gives no arguments: then any arguments do. */
  spec: ValueSpec | undefined;
  /** The arguments as a missing-call message shows them, e.g. `({party_size: 2})`; empty when none. */
  described: string;
}

/** Grades tool calls against expected calls; compiles each expected call's argument spec once and reuses it. */
export class ToolCallEvaluator implements Evaluator {
  /** The match options in effect, defaults filled in. */
  readonly options: MatchOptions;
  /** Tool names that must never be called. */
  readonly forbid: ReadonlySet<string>;
  /** Checks calls against their tools' schemas; absent when there are none or `validateArguments` is off. */
  private readonly validator: ArgumentsValidator | undefined;
  // Keyed by the expected call object: the pipeline passes the same expectation to every run.
  private readonly compiled = new WeakMap<ExpectedCall, CompiledCall>();

  /** Throws a RangeError for an unknown option value. */
  constructor(options: EvaluateOptions = {}) {
    const { forbid = [], argumentsValidator, ...match } = options;
    const chosen = Object.fromEntries(Object.entries(match).filter(([, value]) => value !== undefined));
    this.options = { ...DEFAULT_MATCH_OPTIONS, ...chosen };
    for (const [name, allowed] of Object.entries(ALLOWED) as Array<
      [keyof MatchOptions, ReadonlyArray<MatchOptions[keyof MatchOptions]>]
    >) {
      if (!allowed.includes(this.options[name])) {
        throw new RangeError(
          `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(this.options[name])}`,
        );
      }
    }
    this.forbid = new Set(forbid);
    this.validator = this.options.validateArguments ? argumentsValidator : undefined;
  }

  /**
   * Grades one run's calls. Throws a MatcherSpecError when an expected call's arguments are not a valid
   * spec (once per expected call object; the compiled spec is cached).
   */
  evaluate(expected: ExpectedCall[], actual: ToolCall[]): EvalResult {
    const compiled = expected.map((call, index) => this.compile(call, index));
    const calls = actual.map(readableCall);
    const forbidden = calls.filter((call) => this.forbid.has(call.name));
    const pool = calls.flatMap((call, index) => (this.forbid.has(call.name) ? [] : [index]));
    if (expected.length === 0) return gradeNoCallExpected(calls, pool, forbidden, this.invalidCalls(calls));
    const compare = memoize(calls.length, (e, a) => {
      if (expected[e]!.name !== calls[a]!.name) return undefined;
      const error = calls[a]!.argumentsError;
      if (error !== undefined)
        return [{ path: '', kind: 'mismatch', expected: 'a JSON object', actual: error }];
      return compiled[e]!.spec?.compare(calls[a]!.arguments, [], this.options.arguments) ?? [];
    });
    const pair = this.options.order === 'any' ? pairAnyOrder : pairInOrder;
    const pairs = pair(
      expected.map((_, index) => index),
      pool,
      compare,
      (index) => calls[index]!.argumentsError !== undefined,
    );
    const matches = pairs.map((found) => callMatch(found, expected, calls));
    const claimed = new Set(pairs.map((found) => found.actual));
    const extra = pool.filter((index) => !claimed.has(index)).map((index) => calls[index]!);
    const extraFails = this.options.extraCalls === 'fail' || this.options.order === 'exact';
    const failures = [
      ...forbidden.map((call) => callFailure('forbidden', call)),
      ...this.invalidCalls(calls, matches),
      ...matches
        .filter((match): match is UnmatchedCall => match.status !== 'matched')
        .map((match) =>
          expectedCallFailure(match, {
            expected,
            actualCount: calls.length,
            described: compiled[match.index]!.described,
          }),
        ),
      ...(extraFails ? extra.map((call) => callFailure('extra', call)) : []),
    ];
    const matched = matches.filter((match) => match.status === 'matched').length;
    return {
      passed: failures.length === 0,
      matchRate: matched / expected.length,
      calls: matches,
      extra,
      forbidden,
      failures: rankFailures(failures),
    };
  }

  /**
   * An `invalid_arguments` failure for each call whose arguments break its tool's schema, tied to the
   * expected call it was paired with, if any. Unreadable arguments are already a failure of their own.
   */
  private invalidCalls(calls: readonly ToolCall[], matches: readonly CallMatch[] = []): CallFailure[] {
    const validator = this.validator;
    if (validator === undefined) return [];
    const pairedWith = new Map(matches.map((match) => [match.actualIndex, match]));
    return calls.flatMap((call, index) => {
      if (call.argumentsError !== undefined) return [];
      const errors = validator.validate(call.name, call.arguments);
      if (errors === undefined || errors.length === 0) return [];
      return [invalidArgumentsFailure(call, errors, pairedWith.get(index))];
    });
  }

  private compile(call: ExpectedCall, index: number): CompiledCall {
    let compiled = this.compiled.get(call);
    if (!compiled) {
      const spec = compileArguments(call.arguments, index, call.name);
      const hasArguments = spec !== undefined && Object.keys(call.arguments ?? {}).length > 0;
      compiled = { spec, described: hasArguments ? `(${spec.describe()})` : '' };
      this.compiled.set(call, compiled);
    }
    return compiled;
  }
}

/** Grades `actual` against `expected` with the given options (defaults: DEFAULT_MATCH_OPTIONS, nothing forbidden). */
export function evaluate(
  expected: ExpectedCall[],
  actual: ToolCall[],
  options?: EvaluateOptions,
): EvalResult {
  return new ToolCallEvaluator(options).evaluate(expected, actual);
}

/** `expect: []` means "no call": every call fails it, whatever extraCalls says; forbidden calls fail as forbidden. */
function gradeNoCallExpected(
  calls: ToolCall[],
  pool: number[],
  forbidden: ToolCall[],
  invalid: CallFailure[],
): EvalResult {
  const unexpected = pool.map((index) => calls[index]!);
  const failures = rankFailures([
    ...forbidden.map((call) => callFailure('forbidden', call)),
    ...unexpected.map((call) => callFailure('unexpected_call', call)),
    ...invalid,
  ]);
  return {
    passed: failures.length === 0,
    matchRate: calls.length === 0 ? 1 : 0,
    calls: [],
    extra: unexpected,
    forbidden,
    failures,
  };
}

/** Arguments that arrived as a JSON string (or anything but an object) are parsed or flagged, never trusted. */
function readableCall(call: ToolCall): ToolCall {
  if (call.argumentsError !== undefined || isPlainObject(call.arguments)) return call;
  return normalizeToolCall(call.name, call.arguments);
}

function memoize(columns: number, compare: Comparison): Comparison {
  const cache = new Map<number, ArgumentDiff[] | undefined>();
  return (e, a) => {
    const key = e * columns + a;
    if (!cache.has(key)) cache.set(key, compare(e, a));
    return cache.get(key);
  };
}

function callMatch(found: Pair, expected: readonly ExpectedCall[], calls: readonly ToolCall[]): CallMatch {
  const base = { index: found.expected, expected: expected[found.expected]!, diffs: found.diffs };
  if (found.actual === undefined) return { ...base, status: 'missing' };
  const status = found.outOfOrder ? 'out_of_order' : found.diffs.length === 0 ? 'matched' : 'wrong_arguments';
  return { ...base, status, actual: calls[found.actual]!, actualIndex: found.actual };
}
