/**
 * The grader of one conversation turn: the turn's calls against its `expect` and `forbid` (with the
 * scenario's match options), then its reply against its checks, asking the judge when a check needs it.
 */
import { RussoError } from '../core/errors.js';
import type {
  AgentResponse,
  CallFailure,
  EvalResult,
  EvaluateOptions,
  ExpectedCall,
  ReplyJudge,
  ToolCall,
  TurnContext,
  TurnGrader,
} from '../core/types.js';
import { ToolCallEvaluator } from './evaluator.js';
import { callFailure, rankFailures } from './failures.js';
import { ReplyChecker, type ReplyExpectation } from './reply.js';

/** What one turn must do. */
export interface TurnExpectation {
  /** The calls the agent must make in the turn (`[]`: none); absent: its calls are not graded, only `forbid`. */
  expect?: ExpectedCall[];
  /** Tools that must not be called in the turn. */
  forbid?: string[];
  reply?: ReplyExpectation;
}

/** Options of a TurnEvaluator: the match options and the tools' schemas, as ToolCallEvaluator takes them, and a judge. */
export interface TurnEvaluatorOptions extends Omit<EvaluateOptions, 'forbid'> {
  /** Grades `reply: {judge}` checks; required when the turn has one. */
  judge?: ReplyJudge;
}

/** Grades the turns of one kind (a scenario's turn): compiled once, used by every run. */
export class TurnEvaluator implements TurnGrader {
  private readonly calls: ToolCallEvaluator;
  private readonly expect: ExpectedCall[] | undefined;
  private readonly reply: ReplyChecker | undefined;
  private readonly judge: ReplyJudge | undefined;

  /** Throws a RangeError for an unknown match option, a RussoError for an invalid reply check or a judge check without a judge. */
  constructor(turn: TurnExpectation, options: TurnEvaluatorOptions = {}) {
    const { judge, ...match } = options;
    this.calls = new ToolCallEvaluator({ ...match, forbid: turn.forbid ?? [] });
    this.expect = turn.expect;
    this.reply = turn.reply === undefined ? undefined : new ReplyChecker(turn.reply);
    if (this.reply?.needsJudge && judge === undefined) {
      throw new RussoError(
        'the turn has a judge check but no judge was given',
        'pass a judge (e.g. OpenAIJudge) in the options, or check the reply with contains or regex',
      );
    }
    this.judge = judge;
  }

  /**
   * The turn's verdict: call failures worst first, then reply failures, each with the turn's index.
   * Returns a promise only when the judge is asked (a reply with text and a judge check).
   */
  grade(response: AgentResponse, turn: TurnContext): EvalResult | Promise<EvalResult> {
    const graded = this.gradeCalls(response.toolCalls);
    const reply = this.reply;
    const readable = !response.replyAudioOnly && (response.text ?? '').trim() !== '';
    if (reply?.needsJudge && readable && this.judge) {
      const request = { criterion: reply.check.judge ?? '', reply: response.text ?? '', said: turn.say };
      return this.judge
        .judge({ ...request, toolResults: response.toolResults ?? [] }, turn.signal)
        .then((verdict) => withReply(graded, reply.grade(response, verdict), turn.index));
    }
    return withReply(graded, reply?.grade(response) ?? [], turn.index);
  }

  private gradeCalls(calls: ToolCall[]): EvalResult {
    if (this.expect !== undefined) return this.calls.evaluate(this.expect, calls);
    // No expectation: the calls are not graded, but a forbidden one still fails the turn.
    const forbidden = calls.filter((call) => this.calls.forbid.has(call.name));
    return {
      passed: forbidden.length === 0,
      matchRate: 1,
      calls: [],
      extra: [],
      forbidden,
      failures: forbidden.map((call) => callFailure('forbidden', call)),
    };
  }
}

/** The calls' verdict with the reply's failures added, every failure marked with its turn. */
function withReply(calls: EvalResult, reply: CallFailure[], turn: number): EvalResult {
  const failures = rankFailures([...calls.failures, ...reply]).map((failure) => ({ ...failure, turn }));
  return { ...calls, passed: failures.length === 0, failures };
}
