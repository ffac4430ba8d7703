import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SuiteResult } from '../suite/types.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

/** Where to write each report format; a format without a path is not written. */
export interface ReportFiles {
  json?: string;
  junit?: string;
  html?: string;
  markdown?: string;
}

/** Writes every requested report (folders are created), relative to `cwd`; returns the paths as given. */
export async function writeReportFiles(
  result: SuiteResult,
  files: ReportFiles,
  cwd: string,
): Promise<string[]> {
  const renderers: Array<[string | undefined, () => string]> = [
    [files.json, () => renderJson(result)],
    [files.junit, () => renderJunit(result)],
    [files.html, () => renderHtml(result)],
    [files.markdown, () => renderMarkdown(result)],
  ];
  const written: string[] = [];
  for (const [file, render] of renderers) {
    if (file === undefined) continue;
    const path = resolve(cwd, file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, render());
    written.push(file);
  }
  return written;
}
