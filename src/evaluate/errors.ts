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
    /** Position of the expected call in the expectation. */
    readonly callIndex: number,
    readonly callName: string,
    readonly problems: SpecProblem[],
  ) {
    super(
      `invalid expected call ${callIndex + 1} (${callName}): ` +
        problems
          .map((problem) => `${formatPath(['arguments', ...problem.path])}: ${problem.message}`)
          .join('; '),
      problems[0]?.hint,
    );
  }
}
