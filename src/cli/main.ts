import { errorMessage, RussoError } from '../core/errors.js';
import { createRedactor, secretsOfEnv } from '../core/redact.js';
import { ReportError } from '../report/errors.js';
import { ScenarioError, formatProblem } from '../scenarios/errors.js';
import { ComparisonError } from '../suite/compare.js';
import { nearest } from '../core/suggest.js';
import { VERSION } from '../core/version.js';
import { EXIT, UsageError, type CliIO } from './io.js';
import { USAGE } from './usage.js';

const COMMANDS = ['run', 'validate', 'merge', 'compare', 'grade'];

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. Each command's module
 * is imported when it is given, so that a command loads only what it uses (`--version` and `--help`
 * next to nothing).
 */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await (await import('./run.js')).runCommand(rest, io);
      case 'validate':
        return await (await import('./validate.js')).validateCommand(rest, io);
      case 'merge':
        return await (await import('./merge.js')).mergeCommand(rest, io);
      case 'compare':
        return await (await import('./compare.js')).compareCommand(rest, io);
      case 'grade':
        return await (await import('./grade.js')).gradeCommand(rest, io);
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
      default: {
        const guess = nearest(command, COMMANDS);
        throw new UsageError(
          `unknown command "${command}"${guess ? ` (did you mean russo ${guess}?)` : ''}`,
          `the commands are ${COMMANDS.slice(0, -1).join(', ')} and ${COMMANDS.at(-1)}: see russo --help`,
        );
      }
    }
  } catch (error) {
    return reportError(error, io);
  }
}

/**
 * Prints an error the way a user can act on it, with the environment's secrets redacted (an error
 * may quote what an agent or a server sent); returns the exit code.
 */
function reportError(error: unknown, io: CliIO): number {
  const redact = createRedactor(secretsOfEnv(io.env));
  const print = (text: string) => io.stderr.write(redact(text));
  if (error instanceof ScenarioError) {
    const count = error.problems.length;
    print(`russo: ${count} problem${count === 1 ? '' : 's'} in the scenario or config files:\n\n`);
    print(`${error.problems.map(formatProblem).join('\n')}\n`);
    return EXIT.badInput;
  }
  // A report that cannot be read, or a comparison that cannot be made, is bad input like a wrong flag.
  if (error instanceof UsageError || error instanceof ReportError || error instanceof ComparisonError) {
    print(`russo: ${error.message}${error.hint ? `\n  fix: ${error.hint}` : ''}\n`);
    return EXIT.badInput;
  }
  if (error instanceof RussoError) {
    print(`russo: ${error.message}${error.hint ? `\n  fix: ${error.hint}` : ''}\n`);
    return EXIT.gateFailed;
  }
  print(`russo: internal error: ${errorMessage(error)}\n${(error as Error)?.stack ?? ''}\n`);
  return EXIT.gateFailed;
}
