import { errorMessage, RussoError } from '../core/errors.js';
import { ScenarioError, formatProblem } from '../scenarios/errors.js';
import { VERSION } from '../core/version.js';
import { UsageError } from './args.js';
import { EXIT, type CliIO } from './io.js';
import { USAGE } from './usage.js';
import { compareCommand } from './compare.js';
import { mergeCommand } from './merge.js';
import { runCommand } from './run.js';
import { validateCommand } from './validate.js';

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, io);
      case 'validate':
        return await validateCommand(rest, io);
      case 'merge':
        return await mergeCommand(rest, io);
      case 'compare':
        return await compareCommand(rest, io);
      case '--version':
      case '-v':
        io.stdout.write(`${VERSION}\n`);
        return EXIT.ok;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? EXIT.badInput : EXIT.ok;
      default:
        throw new UsageError(
          `unknown command "${command}"`,
          'the commands are run, validate, merge and compare: see russo --help',
        );
    }
  } catch (error) {
    return reportError(error, io);
  }
}

/** Prints an error the way a user can act on it; returns the exit code. */
function reportError(error: unknown, io: CliIO): number {
  if (error instanceof ScenarioError) {
    const count = error.problems.length;
    io.stderr.write(`russo: ${count} problem${count === 1 ? '' : 's'} in the scenario or config files:\n\n`);
    io.stderr.write(`${error.problems.map(formatProblem).join('\n')}\n`);
    return EXIT.badInput;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`russo: ${error.message}${error.hint ? `\n  fix: ${error.hint}` : ''}\n`);
    return EXIT.badInput;
  }
  if (error instanceof RussoError) {
    io.stderr.write(`russo: ${error.message}${error.hint ? `\n  fix: ${error.hint}` : ''}\n`);
    return EXIT.gateFailed;
  }
  io.stderr.write(`russo: internal error: ${errorMessage(error)}\n${(error as Error)?.stack ?? ''}\n`);
  return EXIT.gateFailed;
}
