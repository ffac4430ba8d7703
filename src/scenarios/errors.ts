import { RussoError } from '../core/errors.js';
import type { SourceLocation } from './types.js';

/**
 * One problem in a scenario or config file: where, what is wrong, and how to fix it. Line 0 means
 * the problem is not at a line (a file that does not exist, a glob from the command line).
 */
export interface Problem extends SourceLocation {
  message: string;
  hint?: string;
}

/** Formats a problem as `file:line:col: message (fix: hint)`, the shape editors and CI logs link. */
export function formatProblem(problem: Problem): string {
  const where = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
  return problem.hint
    ? `${where}: ${problem.message}\n    fix: ${problem.hint}`
    : `${where}: ${problem.message}`;
}

/** Every problem found while loading a suite, reported at once. */
export class ScenarioError extends RussoError {
  constructor(readonly problems: Problem[]) {
    super(
      problems.length === 1
        ? formatProblem(problems[0] as Problem)
        : `${problems.length} problems:\n${problems.map(formatProblem).join('\n')}`,
    );
  }
}
