import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { renderHtml } from '../report/html.js';
import { renderJson } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import type { SuiteResult } from '../suite/types.js';
import type { CliIO } from './io.js';

/** The report files a command was asked to write, by format. */
export interface ReportFiles {
  json?: string;
  junit?: string;
  html?: string;
  markdown?: string;
}

/** Prints the final table, failures and verdict to stdout. */
export function printResult(result: SuiteResult, io: CliIO, color: boolean): void {
  io.stdout.write(
    `${renderTerminal(result, { color, ...(io.stdout.columns ? { width: io.stdout.columns } : {}) })}\n`,
  );
}

/** Writes every requested report (folders are created); returns the paths written. */
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
