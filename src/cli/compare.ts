import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileErrorReason, writeFileAtomic } from '../core/files.js';
import { renderComparisonText } from '../report/comparison.js';
import { ReportError } from '../report/errors.js';
import { fromJsonReport, parseReport } from '../report/json.js';
import {
  compare,
  ComparisonError,
  DEFAULT_ALPHA,
  regressions,
  type Comparison,
  type FailOnRegression,
} from '../suite/compare.js';
import { colorFlag, parseFlags, UsageError } from './args.js';
import { useColor } from './color.js';
import { EXIT, verdictExit, type CliIO } from './io.js';
import { printReportWrites } from './output.js';
import { COMMAND_USAGE } from './usage.js';

const POLICIES: readonly FailOnRegression[] = ['significant', 'any', 'off'];

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
  try {
    const [baseline, current] = await Promise.all(flags.reports.map((file) => readReport(file, io.cwd)));
    const comparison = compare(baseline!, current!, { alpha: flags.alpha });
    io.stdout.write(
      renderComparisonText(comparison, { color: useColor(flags.color, io), failOn: flags.failOn }),
    );
    const written = flags.json === undefined || (await writeComparison(comparison, flags.json, io));
    return verdictExit(regressions(comparison, flags.failOn).length === 0, written);
  } catch (error) {
    // A report that cannot be read or compared is bad input, like a wrong flag: exit 2.
    if (error instanceof ReportError || error instanceof ComparisonError) {
      throw new UsageError(error.message, error.hint);
    }
    throw error;
  }
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
  const alpha = values.alpha === undefined ? DEFAULT_ALPHA : Number(values.alpha);
  if (values.alpha?.trim() === '' || !Number.isFinite(alpha)) {
    throw new UsageError(
      `--alpha ${JSON.stringify(values.alpha)} is not a number`,
      'write e.g. --alpha 0.05',
    );
  }
  const failOn = (values['fail-on-regression'] ?? 'significant') as FailOnRegression;
  if (!POLICIES.includes(failOn)) {
    throw new UsageError(
      `--fail-on-regression ${JSON.stringify(failOn)} is not one of ${POLICIES.join(', ')}`,
      'write e.g. --fail-on-regression significant',
    );
  }
  return {
    reports: [positionals[0]!, positionals[1]!],
    alpha,
    failOn,
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

async function readReport(file: string, cwd: string) {
  const text = await readFile(resolve(cwd, file), 'utf8').catch(() => {
    throw new UsageError(
      `cannot read report ${file}`,
      'pass the paths of JSON reports written by russo run --json',
    );
  });
  return fromJsonReport(parseReport(text, file));
}
