#!/usr/bin/env node
// The `russo` command. It checks the Node version before it loads the rest of russo, whose modules
// use newer Nodes' APIs: on an older Node the user gets one line that says what to install, exit 2.
import module from 'node:module';
import { nodeVersionProblem } from '../core/node-version.js';
import { EXIT } from './io.js';

const problem = nodeVersionProblem();
if (problem !== undefined) {
  process.stderr.write(`${problem.message}: ${problem.hint}\n`);
  process.exit(EXIT.badInput);
}
// Node keeps the compiled code of russo's modules (and of yaml's and ajv's, about 270 files) in a
// folder of the OS's temp dir, so that later starts skip compiling them. Node 22.0 does not have it.
module.enableCompileCache?.();
const { main } = await import('./main.js');
// The first Ctrl-C (or a SIGTERM from a CI runner or `timeout`) cancels at whatever phase russo is
// in: loading stops, runs in flight are stopped, and the table and reports of what finished are
// still written. It also gives both signals back their default action, so that a second one ends
// the process at once, even while the event loop is busy (a handler would wait for it).
const controller = new AbortController();
function onSignal(signal: NodeJS.Signals): void {
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.stderr.write(
    `\nrusso: cancelling; the results so far will be reported (${signal} again to quit now)\n`,
  );
  controller.abort();
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  signal: controller.signal,
});
