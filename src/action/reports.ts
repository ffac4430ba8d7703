import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import type { SuiteResult } from '../suite/types.js';

/** Absolute paths of the report files, for the outputs and the summary. */
export interface ReportFiles {
  json: string;
  junit: string;
  html: string;
  markdown: string;
}

/** Writes report.json, junit.xml, report.html and report.md into `dir` (created if needed). */
export async function writeReports(result: SuiteResult, dir: string): Promise<ReportFiles> {
  const folder = resolve(dir);
  await mkdir(folder, { recursive: true });
  const files: ReportFiles = {
    json: join(folder, 'report.json'),
    junit: join(folder, 'junit.xml'),
    html: join(folder, 'report.html'),
    markdown: join(folder, 'report.md'),
  };
  await Promise.all([
    writeFile(files.json, renderJson(result)),
    writeFile(files.junit, renderJunit(result)),
    writeFile(files.html, renderHtml(result)),
    writeFile(files.markdown, renderMarkdown(result)),
  ]);
  return files;
}
