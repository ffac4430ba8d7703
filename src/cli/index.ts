#!/usr/bin/env node
import { main } from './main.js';

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
