import { join, resolve } from 'node:path';
import { fileErrorReason, writeFileAtomic } from '../core/files.js';
import type { SuiteResult } from '../suite/types.js';
import { renderHtml } from './html.js';
import { jsonReportChunks } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

/** The report formats russo writes, in the order they are written. */
export type ReportFormat = 'json' | 'junit' | 'html' | 'markdown';

/** Where to write each report format; a format without a path is not written. */
export type ReportFiles = Partial<Record<ReportFormat, string>>;

/** How writing one report went: its path as given and as written, and why it failed if it did. */
export interface ReportWrite {
  format: ReportFormat;
  /** The path as the user gave it (for messages). */
  file: string;
  /** The absolute path. */
  path: string;
  /** Why the report could not be written (`ENOSPC (no space left on device)`); absent when it was. */
  error?: string;
}

// The JSON report lists every run, so it is streamed to its file in chunks; the others are summarised.
const RENDERERS: Record<ReportFormat, (result: SuiteResult) => string | Iterable<string>> = {
  json: jsonReportChunks,
  junit: renderJunit,
  html: renderHtml,
  markdown: renderMarkdown,
};

/** The four reports in one folder, as the Action writes them: report.json, junit.xml, report.html, report.md. */
export function reportFolder(dir: string): Required<ReportFiles> {
  return {
    json: join(dir, 'report.json'),
    junit: join(dir, 'junit.xml'),
    html: join(dir, 'report.html'),
    markdown: join(dir, 'report.md'),
  };
}

/**
 * Writes every requested report, each on its own and atomically (folders are made), relative to
 * `cwd`. A report that cannot be written does not stop the others: its failure is returned with the
 * rest, for the caller to tell the user and to set the exit code.
 */
export async function writeReportFiles(
  result: SuiteResult,
  files: ReportFiles,
  cwd: string,
): Promise<ReportWrite[]> {
  const writes: ReportWrite[] = [];
  for (const format of Object.keys(RENDERERS) as ReportFormat[]) {
    const file = files[format];
    if (file === undefined) continue;
    const path = resolve(cwd, file);
    try {
      await writeFileAtomic(path, RENDERERS[format](result));
      writes.push({ format, file, path });
    } catch (error) {
      writes.push({ format, file, path, error: fileErrorReason(error) });
    }
  }
  return writes;
}
