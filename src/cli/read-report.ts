import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseReport, type JsonReport } from '../report/json.js';
import { UsageError } from './io.js';

/** Reads and checks a JSON report named on the command line; one that cannot be read is bad input. */
export async function readJsonReport(file: string, cwd: string): Promise<JsonReport> {
  const text = await readFile(resolve(cwd, file), 'utf8').catch(() => {
    throw new UsageError(
      `cannot read report ${file}`,
      'pass the paths of JSON reports written by russo run --json',
    );
  });
  return parseReport(text, file);
}
