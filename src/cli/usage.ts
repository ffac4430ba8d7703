import { VERSION } from '../core/version.js';

/** The help text of the CLI. */
export const USAGE = `russo ${VERSION}: regression tests for voice agents

Usage:
  russo run [paths or globs…] [options]    speak every scenario, play it to the agent, grade its tool calls
  russo validate [paths or globs…] [-c F]  check scenario and config files without running anything
  russo merge <report.json…> [options]     combine the JSON reports of shards into one report
  russo compare <old.json> <new.json>      what changed against a baseline report, and whether it is significant
                [--alpha 0.05] [--fail-on-regression significant|any|off] [--json FILE]
  russo grade <report.json> [paths…]       grade a report's recorded answers again with the current scenario
                                           files: nothing is spoken, no agent is started

Options of run:
  -c, --config FILE        config file (default: russo.config.yaml in the working directory)
  -n, --runs N             runs per prompt and voice, for every scenario
  -j, --max-concurrency N  runs in flight at once, across the suite (also --concurrency)
      --min-pass-rate X    pass rate (0..1) the whole suite must reach
      --shard I/N          run shard I of N (CI matrix); russo merge joins the shards' JSON reports
      --baseline FILE      compare with this JSON report (the base branch's) and gate on drops
      --fail-on-regression P  significant (default): a significant drop fails; any: any drop; off: none
      --alpha X            significance level of the comparison and the runs hint, in (0, 0.5] (default 0.05)
      --pass-k K           k of pass^k for every scenario (default: its runs per prompt and voice, at most 8)
      --json FILE          write the JSON report (merge, baselines, grade)
      --junit FILE         write a JUnit XML report
      --html FILE          write a self-contained HTML report
      --markdown FILE      write a Markdown report
      --no-cache           neither read nor write the disk audio cache (.russo/cache)
      --color, --no-color  force colours on or off (default: on for a terminal, NO_COLOR honoured)
  -q, --quiet              no progress output
  -h, --help               this help
grade takes -c, --min-pass-rate, the baseline options and the report options of run.

Exit codes: 0 every gate held · 1 a gate failed (pass rate, regression, errors) · 2 bad input ·
            3 every gate held but a report could not be written
With no paths, russo runs the config's \`scenarios\` globs (default scenarios/**/*.yaml).`;
