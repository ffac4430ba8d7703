import { loadSuite } from '../suite/load.js';
import { planSuite } from '../suite/plan.js';
import { parseRunFlags } from './args.js';
import { EXIT, type CliIO } from './io.js';
import { COMMAND_USAGE } from './usage.js';

/** `russo validate`: load and check every scenario and the config; run nothing. */
export async function validateCommand(argv: string[], io: CliIO): Promise<number> {
  const flags = parseRunFlags(argv, 'validate');
  if (flags.help) {
    io.stdout.write(`${COMMAND_USAGE.validate}\n`);
    return EXIT.ok;
  }
  const suite = await loadSuite(flags.globs, {
    cwd: io.cwd,
    ...(flags.config ? { config: flags.config } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  // Planning checks the suite against its limits (the total number of runs).
  planSuite(suite, flags.runs === undefined ? {} : { runs: flags.runs });
  const prompts = suite.scenarios.reduce((sum, scenario) => sum + scenario.prompts.length, 0);
  io.stdout.write(
    `russo: ${suite.scenarios.length} scenario${suite.scenarios.length === 1 ? '' : 's'} with ${prompts} prompt${prompts === 1 ? '' : 's'} are valid` +
      `${suite.config.file ? ` (config ${suite.config.file})` : ''}\n`,
  );
  return EXIT.ok;
}
