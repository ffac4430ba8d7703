/**
 * Reply checks: what the agent's reply text in a conversation turn must (or must not) say. Each
 * check given must hold; a failed one is a CallFailure of kind `reply` with the reply text. Pure:
 * a `judge` check is decided by the verdict the caller got from a ReplyJudge.
 */
import { RussoError } from '../core/errors.js';
import type { AgentResponse, CallFailure, JudgeVerdict } from '../core/types.js';
import type { SpecProblem } from './errors.js';
import { formatValue } from './format.js';
import { foldCase } from './matchers.js';

/** The checks of one reply. Every key given must hold. */
export interface ReplyExpectation {
  /** Each of these must appear. */
  contains?: string[];
  /** At least one of these must appear. */
  containsAny?: string[];
  /** None of these may appear. */
  notContains?: string[];
  /** The reply must match this regular expression (JavaScript syntax). */
  regex?: string;
  /** Compare the checks above case-insensitively. */
  ignoreCase?: boolean;
  /** A sentence an LLM judge checks the reply against. */
  judge?: string;
}

/** The checks that say something (ignore_case only changes the others). */
const CHECKS = ['contains', 'containsAny', 'notContains', 'regex', 'judge'] as const;

/** Characters of the reply shown in a failure's message; `replyText` always holds all of it. */
const REPLY_IN_MESSAGE = 160;

/** Lists every problem of a reply check (paths as the check's keys are written in YAML); empty when valid. */
export function checkReplyExpectation(check: ReplyExpectation): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if (!CHECKS.some((key) => check[key] !== undefined)) {
    problems.push({
      path: [],
      message: 'the reply check checks nothing',
      hint: 'give at least one of contains, contains_any, not_contains, regex or judge',
    });
  }
  if (check.regex !== undefined) {
    try {
      new RegExp(check.regex, check.ignoreCase ? 'i' : '');
    } catch (error) {
      problems.push({
        path: ['regex'],
        message: `invalid regex: ${(error as Error).message}`,
        hint: "fix the pattern; in YAML, write it in single quotes so that backslashes stay as written ('^\\d+$')",
      });
    }
  }
  const lists = [
    ['contains', check.contains],
    ['contains_any', check.containsAny],
    ['not_contains', check.notContains],
  ] as const;
  for (const [key, list] of lists) {
    list?.forEach((text, index) => {
      if (text === '') {
        problems.push({
          path: [key, index],
          message: `${key} holds an empty text, which every reply contains`,
          hint: 'write the words the reply must (or must not) contain, or remove the item',
        });
      }
    });
  }
  return problems;
}

/** A reply check compiled once: its regex built, ready to grade any number of replies. */
export class ReplyChecker {
  /** Whether grading needs a judge's verdict (the check has `judge`). */
  readonly needsJudge: boolean;
  private readonly regex: RegExp | undefined;
  private readonly fold: (text: string) => string;

  /** Throws a RussoError when the check is invalid (see checkReplyExpectation). */
  constructor(readonly check: ReplyExpectation) {
    const problems = checkReplyExpectation(check);
    if (problems.length > 0) {
      const [first] = problems as [SpecProblem];
      throw new RussoError(
        `invalid reply check: ${problems.map((problem) => problem.message).join('; ')}`,
        first.hint,
      );
    }
    this.needsJudge = check.judge !== undefined;
    this.regex = check.regex === undefined ? undefined : new RegExp(check.regex, check.ignoreCase ? 'i' : '');
    this.fold = check.ignoreCase ? foldCase : (text) => text;
  }

  /**
   * The failures of a reply, one per check that does not hold. A reply that is audio only, or no
   * reply text at all, fails once, saying so: a check never passes on text it could not read.
   * `verdict` is the judge's, required when `needsJudge`.
   */
  grade(response: Pick<AgentResponse, 'text' | 'replyAudioOnly'>, verdict?: JudgeVerdict): CallFailure[] {
    const text = response.text ?? '';
    if (response.replyAudioOnly || text.trim() === '') {
      const why = response.replyAudioOnly
        ? 'the agent replied with audio only: there is no reply text to check'
        : 'the agent gave no reply text to check';
      return [{ kind: 'reply', diffs: [], message: why }];
    }
    const { check, fold } = this;
    const reply = fold(text);
    const has = (part: string) => reply.includes(fold(part));
    const caseNote = check.ignoreCase ? ' (ignoring case)' : '';
    const failures: string[] = [];
    const missing = (check.contains ?? []).filter((part) => !has(part));
    if (missing.length > 0) failures.push(`does not contain ${quoteAll(missing)}${caseNote}`);
    if (check.containsAny && !check.containsAny.some(has)) {
      failures.push(`does not contain any of ${quoteAll(check.containsAny)}${caseNote}`);
    }
    const present = (check.notContains ?? []).filter(has);
    if (present.length > 0) failures.push(`contains ${quoteAll(present)}${caseNote}`);
    if (this.regex && !this.regex.test(text)) failures.push(`does not match ${String(this.regex)}`);
    if (check.judge !== undefined) {
      if (verdict === undefined) throw new RussoError('a judge check was graded without a verdict');
      if (!verdict.pass) failures.push(`does not meet "${check.judge}" (judge: ${verdict.reason})`);
    }
    const shown = formatValue(text, REPLY_IN_MESSAGE);
    return failures.map((failure) => ({
      kind: 'reply',
      diffs: [],
      message: `the reply ${failure}: ${shown}`,
      replyText: text,
    }));
  }
}

function quoteAll(parts: readonly string[]): string {
  return parts.map((part) => JSON.stringify(part)).join(', ');
}
