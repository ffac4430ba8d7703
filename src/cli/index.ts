#!/usr/bin/env node
import { main } from './main.js';

// The first Ctrl-C cancels: runs in flight are stopped and the reports of what finished are
// still written. A second one exits at once.
const controller = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write(
    '\nrusso: cancelling; the results so far will be reported (Ctrl-C again to quit now)\n',
  );
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  signal: controller.signal,
});
