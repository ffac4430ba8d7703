// glob through the module, as the loader does: a named import of it would fail on a Node without it.
import fs, { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import * as core from '@actions/core';
import { baselineStep } from '../github/baseline.js';
import { fromJsonReport, parseReport, type JsonReport } from '../report/json.js';
import { mergeReports } from '../report/merge.js';
import type { SuiteResult } from '../suite/types.js';
import { InputError, type ActionInputs } from './inputs.js';

/**
 * The merge job (input `merge`): the JSON reports its globs match (relative to the workspace, e.g.
 * what actions/download-artifact put there), merged into the result of the whole suite, judged
 * against the baseline and stored as one as a run is. A glob that matches nothing is an input
 * error; reports that do not belong together are a ReportError.
 */
export async function mergeJob(
  inputs: ActionInputs,
  workspace: string,
): Promise<{ result: SuiteResult; baselineNote?: string }> {
  const reports = await readReports(inputs.merge, workspace);
  const names = reports.flatMap(
    (report) =>
      report.shard?.plan.scenarios.map((scenario) => scenario.name) ?? report.scenarios.map((s) => s.name),
  );
  const baseline = await baselineStep({
    mode: inputs.baseline,
    failOn: inputs.failOnRegression,
    workspace,
    workingDirectory: inputs.workingDirectory,
    scenarios: [...new Set(names)],
  });
  const result = fromJsonReport(
    mergeReports(reports, {
      ...(baseline.baseline ? { baseline: baseline.baseline } : {}),
    }),
  );
  const baselineNote = await baseline.store(result);
  return { result, ...(baselineNote ? { baselineNote } : {}) };
}

async function readReports(globs: readonly string[], workspace: string): Promise<JsonReport[]> {
  const files = new Set<string>();
  for (const pattern of globs) {
    for await (const entry of fs.glob(pattern, { cwd: workspace })) files.add(resolve(workspace, entry));
  }
  if (files.size === 0) {
    throw new InputError(
      `input merge (${globs.join(', ')}) matches no file in the workspace`,
      'download the shards’ reports first (actions/download-artifact) and name them, e.g. shards/*/report.json',
    );
  }
  const sorted = [...files].sort();
  core.info(
    `Merging ${sorted.length} reports: ${sorted.map((file) => relative(workspace, file)).join(', ')}`,
  );
  return Promise.all(
    sorted.map(async (file) => parseReport(await readFile(file, 'utf8'), relative(workspace, file))),
  );
}
