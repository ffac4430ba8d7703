import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Files that run the CLI, the Action, a bundle or the sample agent as processes: the long ones. */
const RUNS_PROCESSES = /^(test\/e2e|test\/examples|examples)\//;

/**
 * Vitest's own order (longest first once it has timings of an earlier run, largest file first on a
 * clean clone), with the files that run processes first: started last, one of them would keep a
 * worker busy alone at the end.
 */
class ProcessesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const long = (file: TestSpecification) =>
      RUNS_PROCESSES.test(relative(file.project.config.root, file.moduleId));
    return [...sorted.filter(long), ...sorted.filter((file) => !long(file))];
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // One worker per core (vitest's default, cores − 1, leaves a 2-core machine one worker): an e2e
    // file mostly waits for its processes, and the other worker uses that time.
    maxWorkers: availableParallelism(),
    // A worker runs file after file in one module graph: src/ is loaded once per worker, not once per
    // file, and what src/ keeps per process (compiled schemas, WebAssembly modules, the Flite worker
    // pool, babble beds) is made once. Audited: no test file mocks a module (vi.mock), every
    // vi.stubEnv and vi.spyOn is undone after its test, and src/'s process listeners come and go
    // with the run that installs them. A test that changes process-wide state must undo it.
    isolate: false,
    sequence: { sequencer: ProcessesFirst },
    // Generous: a test that only waits for events ends as soon as they come; on a loaded 2-core machine a
    // heavy one (a dozen agent processes, the bundle) can take minutes, and must not fail for it.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
