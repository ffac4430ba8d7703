import * as core from '@actions/core';
import type { ReportWrite } from '../report/files.js';
import type { SuiteResult } from '../suite/types.js';
import type { ActionResult } from './outcome.js';

/** Sets every output of a finished suite (action.yml lists them); a report that was not written has an empty path. */
export function setSuiteOutputs(
  result: ActionResult,
  suite: SuiteResult,
  reports: readonly ReportWrite[],
): void {
  const written = (format: ReportWrite['format']): string =>
    reports.find((write) => write.format === format && write.error === undefined)?.path ?? '';
  core.setOutput('result', result);
  core.setOutput('pass-rate', suite.summary.passRate === null ? '' : String(suite.summary.passRate));
  core.setOutput('passed', suite.summary.passed);
  core.setOutput('failed', suite.summary.failed);
  core.setOutput('errored', suite.summary.errored);
  core.setOutput('total', suite.summary.total);
  core.setOutput('report-json', written('json'));
  core.setOutput('junit', written('junit'));
}
