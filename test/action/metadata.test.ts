import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readActionMetadata } from '../fakes/github-runner.js';

const action = readActionMetadata();
const EXAMPLES = 'examples/workflows';

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { steps: Step[]; permissions?: Record<string, string> }>;
}

function workflow(file: string): { text: string; parsed: Workflow } {
  const text = readFileSync(join(EXAMPLES, file), 'utf8');
  return { text, parsed: parse(text) as Workflow };
}

describe('action.yml', () => {
  it('runs the bundle on node24 and has branding', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(action.branding).toEqual({ icon: 'mic', color: 'purple' });
  });

  it('declares every input with a description and a default', () => {
    expect(Object.keys(action.inputs)).toEqual([
      'scenarios',
      'config',
      'runs',
      'max-concurrency',
      'min-pass-rate',
      'baseline',
      'fail-on-regression',
      'alpha',
      'openai-api-key',
      'gemini-api-key',
      'github-token',
      'comment',
      'annotations',
      'cache',
      'cache-key',
      'report-dir',
      'working-directory',
      'on-missing-secrets',
      'shard',
      'merge',
    ]);
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description, name).toMatch(/\w{3}/);
      expect(typeof input.default, name).toBe('string');
    }
    expect(action.inputs['github-token']!.default).toBe('${{ github.token }}');
  });

  it('declares every output with a description', () => {
    expect(Object.keys(action.outputs)).toEqual([
      'result',
      'pass-rate',
      'passed',
      'failed',
      'errored',
      'total',
      'report-json',
      'junit',
    ]);
    for (const [name, output] of Object.entries(action.outputs))
      expect(output.description, name).toMatch(/\w{3}/);
  });
});

describe('example workflows', () => {
  const files = readdirSync(EXAMPLES).filter((file) => file.endsWith('.yml'));

  it('cover a pull request gate (with pushes that store its baseline), a nightly schedule and a manual dispatch', () => {
    const triggers = files.map((file) => Object.keys(workflow(file).parsed.on).join(','));
    expect(triggers.sort()).toEqual([
      'pull_request,push',
      'pull_request,push',
      'schedule',
      'workflow_dispatch',
    ]);
  });

  it.each(files)('%s passes only inputs the action has and reads only outputs it sets', (file) => {
    const { text, parsed } = workflow(file);
    // One russo step per job (the matrix example has a shard job and a merge job).
    const russo = Object.values(parsed.jobs).flatMap((job) => {
      const steps = job.steps.filter((step) => step.uses?.endsWith('/russo@v1'));
      expect(steps.length).toBeLessThanOrEqual(1);
      return steps;
    });
    expect(russo.length).toBeGreaterThanOrEqual(1);
    for (const step of russo) {
      for (const name of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
    }
    for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      expect(russo.map((step) => step.id)).toContain(id);
      expect(Object.keys(action.outputs)).toContain(output);
    }
  });

  it('splits the matrix example into shards that a merge job joins, every shard once', () => {
    const { parsed } = workflow('matrix.yml');
    type Job = Workflow['jobs'][string] & {
      strategy?: { 'fail-fast'?: boolean; matrix: { shard: number[] } };
      needs?: string;
      if?: string;
    };
    const jobs = parsed.jobs as Record<string, Job>;
    const shards = jobs.shards!.strategy!;
    expect(shards['fail-fast']).toBe(false);
    expect(jobs.shards!.steps.find((step) => step.id === 'russo')?.with?.shard).toBe(
      `\${{ matrix.shard }}/${shards.matrix.shard.length}`,
    );
    expect(shards.matrix.shard).toEqual(shards.matrix.shard.map((_, index) => index + 1));
    // The merge job runs even when a shard failed or died, so a missing shard is reported, not skipped.
    expect(jobs.merge!.needs).toBe('shards');
    expect(jobs.merge!.if).toContain('!cancelled()');
    expect(jobs.merge!.steps.find((step) => step.id === 'russo')?.with?.merge).toBeTruthy();
  });

  it('gives the pull request gate the permission its comment needs, and no more', () => {
    expect(workflow('pull-request.yml').parsed.permissions).toEqual({
      contents: 'read',
      'pull-requests': 'write',
    });
  });
});
