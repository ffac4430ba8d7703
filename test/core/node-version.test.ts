import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_NODE_MAJOR, nodeVersionProblem } from '../../src/core/node-version.js';

describe('nodeVersionProblem', () => {
  it('refuses a Node older than 22, naming the version needed and this one', () => {
    expect(nodeVersionProblem('20.20.2')).toEqual({
      message: 'russo needs Node 22 or newer, and this is Node 20.20.2',
      hint: 'install Node 22 or newer (24 recommended)',
    });
    expect(nodeVersionProblem('21.7.3')?.message).toContain('Node 22 or newer');
  });

  it('accepts 22 and later', () => {
    for (const version of ['22.0.0', '22.12.0', '24.21.0', '26.1.0']) {
      expect(nodeVersionProblem(version)).toBeUndefined();
    }
  });

  it("is the same version as package.json's engines", () => {
    const { engines } = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    expect(engines.node).toBe(`>=${MIN_NODE_MAJOR}`);
  });
});
