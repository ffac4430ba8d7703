import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// README.md is the front door and docs/*.md the reference: every relative link between them must
// land on a file that exists and, with a #fragment, on a heading of that file.
const README_LIMIT = 20_000;

/** The lines of a markdown text outside fenced code blocks. */
function proseLines(markdown: string): string[] {
  const lines: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced) lines.push(line);
  }
  return lines;
}

/** The targets of the inline links and images of a markdown text, code blocks and spans left out. */
export function linksOf(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(markdown)) {
    if (/^( {4}|\t)/.test(line)) continue; // an indented code block
    const text = line.replace(/`[^`]*`/g, '');
    for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) targets.push(match[1] as string);
  }
  return targets;
}

/** The anchor GitHub gives a heading: lowercase, punctuation but '-' and '_' dropped, spaces to '-'. */
export function anchorOf(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor of a markdown text's headings; a repeated heading gets -1, -2, … as on GitHub. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const anchor = anchorOf(heading);
    const count = seen.get(anchor) ?? 0;
    seen.set(anchor, count + 1);
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
  }
  return anchors;
}

/** The relative links of a markdown file that lead nowhere, as `file: target (why)`. */
export function brokenLinks(file: string): string[] {
  const problems: string[] = [];
  for (const target of linksOf(readFileSync(file, 'utf8'))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …: not a file here
    const [path = '', fragment] = target.split('#', 2);
    const linked = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
    if (!existsSync(linked)) {
      problems.push(`${file}: ${target} (no such file)`);
    } else if (fragment !== undefined) {
      const isMarkdown = statSync(linked).isFile() && linked.endsWith('.md');
      if (!isMarkdown || !anchorsOf(readFileSync(linked, 'utf8')).has(fragment)) {
        problems.push(`${file}: ${target} (no heading "#${fragment}")`);
      }
    }
  }
  return problems;
}

/** The markdown files of a folder, and of its subfolders with `deep`. */
function markdownIn(folder: string, deep = false): string[] {
  return readdirSync(folder, { recursive: deep })
    .map(String)
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(folder, name));
}

const pages = ['README.md', ...markdownIn('docs')];

describe('documentation links', () => {
  it('has the reference pages in docs/', () => {
    expect(pages.length).toBeGreaterThan(5);
  });

  it('links only to files and headings that exist', () => {
    expect([...pages, ...markdownIn('examples', true)].flatMap(brokenLinks)).toEqual([]);
  });

  it('links every page of docs/ from README.md', () => {
    const linked = new Set(linksOf(readFileSync('README.md', 'utf8')).map((target) => target.split('#')[0]));
    expect(pages.filter((page) => page !== 'README.md' && !linked.has(page))).toEqual([]);
  });

  it(`keeps README.md under ${README_LIMIT} bytes`, () => {
    expect(statSync('README.md').size).toBeLessThan(README_LIMIT);
  });
});

describe('the link check', () => {
  it('names anchors as GitHub does', () => {
    expect(anchorOf('`flite` (default): offline speech')).toBe('flite-default-offline-speech');
    expect(anchorOf('JSON (`--json`)')).toBe('json---json');
    expect(anchorOf('Retries, rate limits and cost')).toBe('retries-rate-limits-and-cost');
    expect(anchorOf('In your own tests: `russo/vitest`')).toBe('in-your-own-tests-russovitest');
    expect(anchorOf('snake_case and [a link](x.md)')).toBe('snake_case-and-a-link');
    expect([...anchorsOf('# A\n## A\n```\n# not a heading\n```\n## B')]).toEqual(['a', 'a-1', 'b']);
  });

  it('reads the links of prose only, not of code', () => {
    const markdown = [
      'See [one](one.md) and [`two`](two.md#part "title").',
      '`[not](a-link.md)` in a code span',
      '    [not](indented-code.md)',
      '```md',
      '[not](fenced.md)',
      '```',
      '![image](img.png)',
    ].join('\n');
    expect(linksOf(markdown)).toEqual(['one.md', 'two.md#part', 'img.png']);
  });

  it('finds a missing file and a missing heading (the check can fail)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'russo-links-'));
    writeFileSync(join(folder, 'target.md'), '# Target\n\n## A part\n');
    writeFileSync(
      join(folder, 'page.md'),
      '# Page\n\n[ok](target.md#a-part) [ok](#page) [web](https://example.com/x.md)\n' +
        '[gone](missing.md) [no part](target.md#b-part) [no self part](#nowhere)\n',
    );
    const page = join(folder, 'page.md');
    expect(brokenLinks(page)).toEqual([
      `${page}: missing.md (no such file)`,
      `${page}: target.md#b-part (no heading "#b-part")`,
      `${page}: #nowhere (no heading "#nowhere")`,
    ]);
  });
});
