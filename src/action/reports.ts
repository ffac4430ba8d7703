import { join, resolve } from 'node:path';
import { writeReportFiles } from '../report/files.js';
import type { SuiteResult } from '../suite/types.js';

/** Absolute paths of the report files, for the outputs and the summary. */
export interface WrittenReports {
  json: string;
  junit: string;
  html: string;
  markdown: string;
}

/** Writes report.json, junit.xml, report.html and report.md into `dir` (created if needed). */
export async function writeReports(result: SuiteResult, dir: string): Promise<WrittenReports> {
  const folder = resolve(dir);
  const files: WrittenReports = {
    json: join(folder, 'report.json'),
    junit: join(folder, 'junit.xml'),
    html: join(folder, 'report.html'),
    markdown: join(folder, 'report.md'),
  };
  await writeReportFiles(result, files, folder);
  return files;
}
