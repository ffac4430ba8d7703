import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readActionMetadata } from '../fakes/github-runner.js';

// README.md's "## Use it in a workflow" section holds an "### Inputs" table (Input | Default |
// Description) and an "### Outputs" table (Output | Description) that must match action.yml.
const SECTION = '## Use it in a workflow';

function readmeSection(): string {
  const readme = existsSync('README.md') ? readFileSync('README.md', 'utf8') : '';
  const start = readme.indexOf(`\n${SECTION}\n`);
  if (start === -1)
    throw new Error(`README.md has no "${SECTION}" section with the Action's inputs and outputs`);
  const end = readme.indexOf('\n## ', start + SECTION.length + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** The rows of the table under a `### heading`: cells split on unescaped pipes, trimmed. */
function tableUnder(section: string, heading: string): string[][] {
  const start = section.indexOf(`\n### ${heading}\n`);
  expect(start, `"### ${heading}" in "${SECTION}"`).toBeGreaterThan(-1);
  const lines = section.slice(start).split('\n').slice(2);
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[] = [];
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break;
    rows.push(line);
  }
  // Skip the header and the `| --- |` line; a `\|` inside a cell is not a border.
  return rows.slice(2).map((row) =>
    row
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim()),
  );
}

function name(cell: string): string {
  return cell.replace(/^`(.*)`$/, '$1');
}

describe(`README "${SECTION}"`, () => {
  const action = readActionMetadata();
  const section = readmeSection();

  it('lists every input of action.yml, in order, with its default and a description', () => {
    const rows = tableUnder(section, 'Inputs');
    expect(rows.map((row) => name(row[0]!))).toEqual(Object.keys(action.inputs));
    for (const [cell, defaultCell, description] of rows) {
      const expected = action.inputs[name(cell!)]!.default ?? '';
      expect(defaultCell === '(empty)' ? '' : name(defaultCell!), `default of ${cell}`).toBe(expected);
      expect(description, `description of ${cell}`).toMatch(/\w{3}/);
    }
  });

  it('lists every output of action.yml, in order, with a description', () => {
    const rows = tableUnder(section, 'Outputs');
    expect(rows.map((row) => name(row[0]!))).toEqual(Object.keys(action.outputs));
    for (const row of rows) expect(row[1], `description of ${row[0]}`).toMatch(/\w{3}/);
  });

  it('shows a complete pull request workflow with the permissions the comment needs', () => {
    const workflow = section.match(/```yaml\n([\s\S]*?)```/)?.[1] ?? '';
    expect(workflow).toMatch(/^on:\n {2}pull_request:/m);
    expect(workflow).toMatch(/^permissions:\n(?: {2}.*\n)* {2}pull-requests: write/m);
    expect(workflow).toMatch(/uses: [\w-]+\/russo@v\d/);
  });
});
