import { resolve } from 'node:path';
import { fileErrorReason, writeFileAtomic } from '../core/files.js';
import { renderComparisonText } from '../report/comparison.js';
import { comparedSuiteOf } from '../report/json.js';
import {
  compare,
  DEFAULT_ALPHA,
  regressions,
  type Comparison,
  type FailOnRegression,
} from '../suite/compare.js';
import { colorFlag, parseAlpha, parseFailOn, parseFlags } from './args.js';
import { useColor } from './color.js';
import { EXIT, UsageError, verdictExit, type CliIO } from './io.js';
import { printReportWrites } from './output.js';
import { readJsonReport } from './read-report.js';
import { COMMAND_USAGE } from './usage.js';

/**
 * `russo compare old.json new.json`: runs nothing; prints what changed against the baseline and
 * exits 1 when a scenario regressed (per --fail-on-regression), 2 on bad input, 3 when the
 * comparison's JSON could not be written.
 */
export async function compareCommand(argv: string[], io: CliIO): Promise<number> {
  const flags = parseCompareFlags(argv);
  if (flags === 'help') {
    io.stdout.write(`${COMMAND_USAGE.compare}\n`);
    return EXIT.ok;
  }
  const [baseline, current] = await Promise.all(
    flags.reports.map(async (file) => comparedSuiteOf(await readJsonReport(file, io.cwd))),
  );
  // A report that cannot be read or compared is bad input (exit 2: see main.ts).
  const comparison = compare(baseline!, current!, { alpha: flags.alpha });
  io.stdout.write(
    renderComparisonText(comparison, { color: useColor(flags.color, io), failOn: flags.failOn }),
  );
  const written = flags.json === undefined || (await writeComparison(comparison, flags.json, io));
  return verdictExit(regressions(comparison, flags.failOn).length === 0, written);
}

interface CompareFlags {
  reports: [string, string];
  alpha: number;
  failOn: FailOnRegression;
  json?: string;
  color?: boolean;
}

function parseCompareFlags(argv: string[]): CompareFlags | 'help' {
  const parsed = parseFlags(
    argv,
    {
      alpha: { type: 'string' },
      'fail-on-regression': { type: 'string' },
      json: { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    'compare',
  );
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 2) {
    throw new UsageError(
      `russo compare needs two JSON reports, the baseline and the new one; got ${positionals.length}`,
      'russo compare baseline.json report.json',
    );
  }
  return {
    reports: [positionals[0]!, positionals[1]!],
    alpha: values.alpha === undefined ? DEFAULT_ALPHA : parseAlpha(values.alpha),
    failOn: parseFailOn(values['fail-on-regression'] ?? 'significant'),
    ...(values.json === undefined ? {} : { json: values.json }),
    ...colorFlag(values),
  };
}

/** Writes the comparison as JSON, like a report: whole or not at all, a failure told in one line. */
async function writeComparison(comparison: Comparison, file: string, io: CliIO): Promise<boolean> {
  const path = resolve(io.cwd, file);
  try {
    await writeFileAtomic(path, `${JSON.stringify(comparison, null, 2)}\n`);
    return printReportWrites([{ format: 'json', file, path }], io);
  } catch (error) {
    return printReportWrites([{ format: 'json', file, path, error: fileErrorReason(error) }], io);
  }
}
