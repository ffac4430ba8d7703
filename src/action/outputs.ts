import * as core from '@actions/core';
import type { ActionResult } from '../github/outcome.js';
import type { SuiteResult } from '../suite/types.js';
import type { WrittenReports } from './reports.js';

/** Sets every output of a finished suite (action.yml lists them). */
export function setSuiteOutputs(
  result: ActionResult,
  suite: SuiteResult,
  reports: WrittenReports | undefined,
): void {
  core.setOutput('result', result);
  core.setOutput('pass-rate', suite.summary.passRate === null ? '' : String(suite.summary.passRate));
  core.setOutput('passed', suite.summary.passed);
  core.setOutput('failed', suite.summary.failed);
  core.setOutput('errored', suite.summary.errored);
  core.setOutput('total', suite.summary.total);
  core.setOutput('report-json', reports?.json ?? '');
  core.setOutput('junit', reports?.junit ?? '');
}
