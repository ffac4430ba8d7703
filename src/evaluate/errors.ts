import { RussoError } from '../core/errors.js';
import { formatPath, type PathSegment } from './format.js';

/** A mistake in an expected call's `arguments`; `path` is relative to that object, e.g. `['time', 'regex']`. */
export interface SpecProblem {
  path: PathSegment[];
  message: string;
  hint: string;
}

/** Expected arguments that cannot be evaluated (a bad regex, an unknown matcher, ...). Carries every problem. */
export class MatcherSpecError extends RussoError {
  constructor(
    readonly problems: SpecProblem[],
    /** The expected call the problems belong to (its position in the expectation and its name), when known. */
    readonly call?: { index: number; name: string },
  ) {
    const subject = call ? `expected call ${call.index + 1} (${call.name})` : 'expected value';
    const root = call ? 'arguments' : 'value';
    const details = problems.map((problem) => `${formatPath([root, ...problem.path])}: ${problem.message}`);
    super(`invalid ${subject}: ${details.join('; ')}`, problems[0]?.hint);
  }
}
