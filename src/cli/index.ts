#!/usr/bin/env node
import { main } from './main.js';

// The first Ctrl-C (or a SIGTERM from a CI runner or `timeout`) cancels: runs in flight are
// stopped and the table and reports of what finished are still written. A second signal exits now.
const controller = new AbortController();
function onSignal(signal: NodeJS.Signals): void {
  if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
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
